import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Reads the causes of an {@code incidents.json}, or of a live run's {@code incidents.jsonl} (its start and end lines):
 * per incident an infrastructure cause, and a dependency cause when the incident's services have callers; per
 * deployment window a deployment cause. Errors name the file and the entry (or line).
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
        if (file.getFileName().toString().endsWith(".jsonl")) return readLive(file);
        JsonNode root;
        try {
            if (!Files.isRegularFile(file)) throw new GroundTruthException(file + ": ground truth not found (incidents.json of generate-monitoring)");
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new GroundTruthException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (!root.path("incidents").isArray() || !root.path("deployment_windows").isArray())
            throw new GroundTruthException(file + ": no \"incidents\" and \"deployment_windows\" arrays - is this an incidents.json?");
        return new GroundTruth(causes(file, root.get("incidents"), root.get("deployment_windows")), root.path("incident_intensity").asDouble(1),
                root.path("seed").asLong());
    }

    /**
     * A live run's {@code incidents.jsonl}: each incident and deployment window from its start line, ended where its end
     * line says (a drill ended early, a stop), with the errors the end line counted; one without an end line (the run was
     * killed) keeps its planned end and no count (-1: findable). Drills count like planned incidents.
     */
    private static GroundTruth readLive(Path file) {
        if (!Files.isRegularFile(file)) throw new GroundTruthException(file + ": ground truth not found (incidents.jsonl of a live run)");
        var mapper = new ObjectMapper();
        var incidents = new LinkedHashMap<String, ObjectNode>();
        var windows = new LinkedHashMap<String, ObjectNode>();
        long seed = 0;
        double intensity = 1;
        int lineNo = 0;
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new GroundTruthException(file + ": cannot read (" + e.getMessage() + ")");
        }
        for (String line : lines) {
            lineNo++;
            if (line.isBlank()) continue;
            JsonNode n;
            try {
                n = mapper.readTree(line);
            } catch (IOException e) {
                throw new GroundTruthException(file + ":" + lineNo + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
            }
            String at = "line " + lineNo;
            switch (n.path("event").asText()) {
                case "live_start" -> {
                    seed = n.path("seed").asLong();
                    intensity = n.path("incident_intensity").asDouble(1);
                }
                case "incident_start" -> incidents.put(n.path("id").asText(), ((ObjectNode) n).put("observed_errors", -1)
                        .put("observed_cascade_errors", -1));
                case "deployment_start" -> windows.put(windowKey(file, at, n), (ObjectNode) n);
                case "incident_end" -> {
                    var start = incidents.get(n.path("id").asText());
                    if (start == null) throw new GroundTruthException(file + ":" + lineNo + ": incident_end of incident " + n.path("id").asText() + " that never started");
                    start.put("end", n.hasNonNull("end") ? n.get("end").asText() : text(file, at, n, "time"));
                    start.put("observed_errors", n.path("observed_errors").asLong(-1));
                    start.put("observed_cascade_errors", n.path("observed_cascade_errors").asLong(-1));
                }
                case "deployment_end" -> {
                    var start = windows.get(windowKey(file, at, n));
                    if (start == null) throw new GroundTruthException(file + ":" + lineNo + ": deployment_end of a window that never started");
                    start.put("end", n.hasNonNull("end") ? n.get("end").asText() : text(file, at, n, "time"));
                }
                default -> { } // live_end, bursts: no cause to blame
            }
        }
        return new GroundTruth(causes(file, List.copyOf(incidents.values()), List.copyOf(windows.values())), intensity, seed);
    }

    /**
     * The causes of incidents and deployment windows in incidents.json's form. An incident without a count of its errors
     * reads as 0 (unfindable); the live reader puts -1 there for one the run never ended.
     */
    private static List<TruthCause> causes(Path file, Iterable<JsonNode> incidents, Iterable<JsonNode> windows) {
        var causes = new ArrayList<TruthCause>();
        for (JsonNode i : incidents) {
            String id = "incident " + i.path("id").asText("?");
            long start = time(file, id, i, "start"), end = time(file, id, i, "end");
            String component = text(file, id, i, "component");
            List<String> services = strings(i.path("affected_services"));
            causes.add(new TruthCause(CauseKind.INFRASTRUCTURE, id, start, end, component, services, null, i.path("observed_errors").asLong(0)));
            if (!strings(i.path("cascade_callers")).isEmpty())
                causes.add(new TruthCause(CauseKind.DEPENDENCY, id, start, end, component, services, null, i.path("observed_cascade_errors").asLong(0)));
        }
        int n = 0;
        for (JsonNode w : windows) {
            String id = "deployment window " + ++n;
            String service = text(file, id, w, "stack") + ":" + text(file, id, w, "service");
            causes.add(new TruthCause(CauseKind.DEPLOYMENT, id, time(file, id, w, "start"), time(file, id, w, "end"), null, List.of(service),
                    text(file, id, w, "release_id"), -1));
        }
        return causes;
    }

    /** A deployment window's lines share release, deployment and planned start. */
    private static String windowKey(Path file, String at, JsonNode n) {
        return text(file, at, n, "release_id") + "|" + text(file, at, n, "deployment_id") + "|" + text(file, at, n, "start");
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
