import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * One detected incident: a time window, the kind of cause, what is blamed (a hidden component, a service, a
 * release; null where not blamed) and how unlikely the errors were by chance ({@code score}: -log10 of the
 * Poisson tail, higher is surer). Written as one JSON line.
 */
record Finding(long startMicros, long endMicros, Cause cause, String component, String service, String releaseId, double score,
               long errors, int services) {

    enum Cause { infrastructure, dependency, deployment }

    private static final JsonFactory JSON = new JsonFactory();

    Finding {
        if (endMicros < startMicros) throw new IllegalArgumentException("finding ends before it starts");
    }

    String toJsonLine() {
        var out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("start", GroundTruth.iso(startMicros));
            g.writeStringField("end", GroundTruth.iso(endMicros));
            g.writeStringField("cause", cause.name());
            g.writeStringField("component", component);
            g.writeStringField("service", service);
            g.writeStringField("release_id", releaseId);
            g.writeNumberField("score", Math.round(score * 100) / 100.0);
            g.writeNumberField("errors", errors);
            g.writeNumberField("services", services);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
