import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * What generate-monitoring injected, read back from its {@code incidents.json}: incidents, deployment windows and
 * traffic bursts, times in epoch microseconds UTC. Only the questions and the dashboard's series read it; the
 * detector never does.
 */
record GroundTruth(long startMicros, long endMicros, List<Incident> incidents, List<Deployment> deployments, List<Burst> bursts) {

    /** One injected infrastructure incident and the errors it caused, directly and through callers. */
    record Incident(int id, String component, String errorType, long startMicros, long endMicros, List<String> affectedServices,
                    long observedErrors, long observedCascadeErrors) {}

    /** One rolling restart of a release on one deployment. */
    record Deployment(String releaseId, String deploymentId, String stack, String service, long startMicros, long endMicros) {}

    /** One traffic burst. */
    record Burst(long startMicros, long endMicros, double trafficFactor) {}

    static GroundTruth read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the ground truth (" + e.getMessage() + ")", e);
        }
        var f = new Fields(file);
        JsonNode range = f.node(root, "time_range", "");
        var incidents = new ArrayList<Incident>();
        for (JsonNode i : f.array(root, "incidents")) {
            String at = "incidents[" + incidents.size() + "]";
            var services = new ArrayList<String>();
            for (JsonNode s : f.array(i, "affected_services")) services.add(s.asText());
            incidents.add(new Incident(f.node(i, "id", at).asInt(), f.text(i, "component", at), f.text(i, "error_type", at),
                    f.time(i, "start", at), f.time(i, "end", at), List.copyOf(services),
                    f.node(i, "observed_errors", at).asLong(), f.node(i, "observed_cascade_errors", at).asLong()));
        }
        var deployments = new ArrayList<Deployment>();
        for (JsonNode w : f.array(root, "deployment_windows")) {
            String at = "deployment_windows[" + deployments.size() + "]";
            deployments.add(new Deployment(f.text(w, "release_id", at), f.text(w, "deployment_id", at), f.text(w, "stack", at),
                    f.text(w, "service", at), f.time(w, "start", at), f.time(w, "end", at)));
        }
        var bursts = new ArrayList<Burst>();
        for (JsonNode b : f.array(root, "traffic_bursts")) {
            String at = "traffic_bursts[" + bursts.size() + "]";
            bursts.add(new Burst(f.time(b, "start", at), f.time(b, "end", at), f.node(b, "traffic_factor", at).asDouble()));
        }
        return new GroundTruth(f.time(range, "start", "time_range"), f.time(range, "end", "time_range"), List.copyOf(incidents),
                List.copyOf(deployments), List.copyOf(bursts));
    }

    static long micros(String iso) {
        Instant t = Instant.parse(iso);
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    static String iso(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000).toString();
    }

    /** Field access that names the file and the place of a missing or malformed field. */
    private record Fields(Path file) {
        JsonNode node(JsonNode parent, String name, String at) {
            JsonNode n = parent.get(name);
            if (n == null || n.isNull()) throw new IllegalArgumentException(file + ": " + at + (at.isEmpty() ? "" : ".") + name + " is missing");
            return n;
        }

        Iterable<JsonNode> array(JsonNode parent, String name) {
            JsonNode n = node(parent, name, "");
            if (!n.isArray()) throw new IllegalArgumentException(file + ": " + name + " is not an array");
            return n;
        }

        String text(JsonNode parent, String name, String at) { return node(parent, name, at).asText(); }

        long time(JsonNode parent, String name, String at) {
            String v = text(parent, name, at);
            try {
                return micros(v);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(file + ": " + at + "." + name + " is not an ISO-8601 instant: " + v);
            }
        }
    }
}
