import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * One incident detect-incidents found: a time window, the kind of cause, what is blamed (a hidden component, a
 * service as stack:service, a release; null where not blamed) and how unlikely the errors were by chance
 * ({@code score}: -log10 of the Poisson tail, higher is surer). Written as one line of the findings file score-rca
 * reads, {@code detected_at} being the error at which the group first became unlikely enough to report.
 */
record Detection(long startMicros, long endMicros, long detectedMicros, CauseKind kind, String component, String service, String releaseId, double score,
                 long errors, int services) {

    private static final JsonFactory JSON = new JsonFactory();

    Detection {
        if (endMicros < startMicros) throw new IllegalArgumentException("detection ends before it starts");
    }

    String toJsonLine() {
        var out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("start", GroundTruth.iso(startMicros));
            g.writeStringField("end", GroundTruth.iso(endMicros));
            g.writeStringField("kind", kind.wire());
            g.writeStringField("component", component);
            g.writeStringField("service", service);
            g.writeStringField("release_id", releaseId);
            g.writeStringField("detected_at", GroundTruth.iso(detectedMicros));
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
