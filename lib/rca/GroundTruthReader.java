import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the causes of an {@code incidents.json}: per incident an infrastructure cause, and a dependency cause when the
 * incident's services have callers; per deployment window a deployment cause. Errors name the file and the entry.
 */
final class GroundTruthReader {
    private GroundTruthReader() {}

    /** The ground truth of one run, and the incident intensity it was made with (1 when not recorded). */
    record GroundTruth(List<TruthCause> causes, double incidentIntensity, long seed) {}

    /** Thrown for a ground truth that cannot be used; the message is one line with the file. */
    static final class GroundTruthException extends RuntimeException {
        GroundTruthException(String message) { super(message); }
    }

    static GroundTruth read(Path file) {
        JsonNode root;
        try {
            if (!Files.isRegularFile(file)) throw new GroundTruthException(file + ": ground truth not found (incidents.json of generate-monitoring)");
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new GroundTruthException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (!root.path("incidents").isArray() || !root.path("deployment_windows").isArray())
            throw new GroundTruthException(file + ": no \"incidents\" and \"deployment_windows\" arrays - is this an incidents.json?");
        var causes = new ArrayList<TruthCause>();
        for (JsonNode i : root.get("incidents")) {
            String id = "incident " + i.path("id").asText("?");
            long start = time(file, id, i, "start"), end = time(file, id, i, "end");
            String component = text(file, id, i, "component");
            List<String> services = strings(i.path("affected_services"));
            causes.add(new TruthCause(CauseKind.INFRASTRUCTURE, id, start, end, component, services, null, i.path("observed_errors").asLong(0)));
            if (!strings(i.path("cascade_callers")).isEmpty())
                causes.add(new TruthCause(CauseKind.DEPENDENCY, id, start, end, component, services, null, i.path("observed_cascade_errors").asLong(0)));
        }
        int n = 0;
        for (JsonNode w : root.get("deployment_windows")) {
            String id = "deployment window " + ++n;
            String service = text(file, id, w, "stack") + ":" + text(file, id, w, "service");
            causes.add(new TruthCause(CauseKind.DEPLOYMENT, id, time(file, id, w, "start"), time(file, id, w, "end"), null, List.of(service),
                    text(file, id, w, "release_id"), -1));
        }
        return new GroundTruth(causes, root.path("incident_intensity").asDouble(1), root.path("seed").asLong());
    }

    private static String text(Path file, String id, JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) throw new GroundTruthException(file + ": " + id + " has no \"" + field + "\"");
        return v.asText();
    }

    private static long time(Path file, String id, JsonNode n, String field) {
        String s = text(file, id, n, field);
        try {
            Instant t = Instant.parse(s);
            return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
        } catch (DateTimeParseException e) {
            throw new GroundTruthException(file + ": " + id + " \"" + field + "\" is not an ISO instant: " + s);
        }
    }

    private static List<String> strings(JsonNode array) {
        var out = new ArrayList<String>();
        for (JsonNode v : array) out.add(v.asText());
        return out;
    }
}
