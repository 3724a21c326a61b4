import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One root-cause question with its canonical answer, the ground truth it comes from and the queries that prove it.
 * {@code kind}: component (which hidden component made services fail), upstream (which service a cascade came
 * from), release (which release raised errors during its deploy).
 */
record RcaQuestion(String id, String kind, String text, String answer, long startMicros, long endMicros, String truth,
                   List<Evidence> evidence) {

    private static final JsonFactory JSON = new JsonFactory();

    RcaQuestion {
        evidence = List.copyOf(evidence);
    }

    String toJsonLine() {
        var out = new StringWriter(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("kind", kind);
            g.writeStringField("question", text);
            g.writeStringField("answer", answer);
            g.writeStringField("start", GroundTruth.iso(startMicros));
            g.writeStringField("end", GroundTruth.iso(endMicros));
            g.writeStringField("ground_truth", truth);
            g.writeArrayFieldStart("evidence");
            for (Evidence e : evidence) {
                g.writeStartObject();
                g.writeStringField("store", e.store().name());
                g.writeStringField("language", e.store().language);
                g.writeStringField("query", e.query());
                g.writeStringField("start", GroundTruth.iso(e.startMicros()));
                g.writeStringField("end", GroundTruth.iso(e.endMicros()));
                if (e.store() != Evidence.Store.tempo) {
                    g.writeArrayFieldStart("expect");
                    for (Evidence.Row r : e.rows()) {
                        g.writeStartObject();
                        g.writeObjectFieldStart("labels");
                        for (var l : r.labels().entrySet()) g.writeStringField(l.getKey(), l.getValue());
                        g.writeEndObject();
                        g.writeNumberField("value", r.value());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
