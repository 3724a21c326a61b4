import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The raw-line path of import-vm writes, byte for byte, the line a tree would give: the line's tags in order (a repeated
 * name keeps its first place and last value, null tags left out, a release label's name written with the release's
 * value), then the release labels it lacks, in {@link ReleaseId#tags()} order; and it refuses the same lines with the
 * same reasons. The reference below builds each line from a Jackson tree and a label map.
 */
class VmImportLineTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ID = "prod:aws:111111111111:us-east-1:platform:eks:main:social:search:hashtags:default:117";
    static final String OTHER = "staging:gcp:222:eu-west-1:edge:gke:blue:social:feed:timeline:canary:9";

    /** The line as a tree-built importer writes it. */
    static String reference(String text) throws Exception {
        JsonNode n = JSON.readTree(text);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("__name__", n.get("metric").asText());
        for (var e : n.get("tags").properties()) if (!e.getValue().isNull()) labels.put(e.getKey(), e.getValue().asText());
        labels.putAll(ReleaseId.parse(labels.get("release_id")).tags());
        var buf = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.getFactory().createGenerator(buf)) {
            g.writeStartObject();
            g.writeObjectFieldStart("metric");
            for (var e : labels.entrySet()) g.writeStringField(e.getKey(), e.getValue());
            g.writeEndObject();
            JsonNode v = n.get("value");
            g.writeArrayFieldStart("values");
            if (v.isIntegralNumber() && v.canConvertToLong()) g.writeNumber(v.longValue());
            else g.writeNumber(v.doubleValue());
            g.writeEndArray();
            g.writeArrayFieldStart("timestamps");
            g.writeNumber((long) Math.floor(n.get("ts").doubleValue() * 1000 + 0.0004));
            g.writeEndArray();
            g.writeEndObject();
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    static String parse(long number, String text) throws JsonLinesReader.BadLineException {
        return new String(new VmImportLine().parse(new JsonLinesReader.Line(Path.of("metrics_0.jsonl"), number, text)), StandardCharsets.UTF_8);
    }

    @Test
    void rawLinesAreWrittenAsTheTreeBuiltLine() throws Exception {
        List<String> lines = List.of(
                "{\"metric\": \"request_duration_ms\", \"ts\": 1795766415.362294, \"value\": 541.73, \"tags\": {\"service\": \"hashtags\", "
                        + "\"stack\": \"search\", \"action\": \"delete_post\", \"success\": \"true\", \"release_id\": \"" + ID + "\"}}",
                // same id again (the ready labels are reused), other tags present, integral and large values
                "{\"metric\": \"db_query_count\", \"ts\": 1795766415, \"value\": 3, \"tags\": {\"release_id\": \"" + ID + "\", \"region\": \"x\"}}",
                "{\"metric\": \"big\", \"ts\": 1.5, \"value\": 123456789012345678901234567890, \"tags\": {\"release_id\": \"" + ID + "\"}}",
                "{\"metric\": \"neg\", \"ts\": 2, \"value\": -0.0, \"tags\": {\"release_id\": \"" + OTHER + "\", \"n\": 5, \"f\": 2.50, "
                        + "\"b\": false, \"z\": null, \"i\": 12345678901234567890}}",
                // repeated tag names: first place, last value; a __name__ tag replaces the name in place
                "{\"metric\": \"dup\", \"ts\": 3.25, \"value\": 1e3, \"tags\": {\"a\": \"1\", \"release_id\": \"" + OTHER + "\", \"a\": \"2\", "
                        + "\"__name__\": \"renamed\"}}",
                // text that must be escaped, non-ASCII, and the release_id given twice
                "{\"metric\": \"q\\\"uote\\\\d\", \"ts\": 4, \"value\": 0, \"tags\": {\"msg\": \"tab\\there\\nnl \\u0001 \\u00e9\\u4e2d \\ud83d\\ude00\", "
                        + "\"release_id\": \"" + ID + "\", \"release_id\": \"" + OTHER + "\", \"t\": true}}",
                // fields in another order, unknown fields skipped, duplicate top-level field: the last one counts
                "{\"tags\": {\"release_id\": \"" + ID + "\"}, \"extra\": {\"deep\": [1, {\"x\": 2}]}, \"value\": 7, \"value\": 8.5, "
                        + "\"metric\": \"late\", \"ts\": 1795766415.999999}");
        for (int i = 0; i < lines.size(); i++) {
            String want = reference(lines.get(i));
            assertEquals(want, parse(i + 1, lines.get(i)), "line " + (i + 1));
            assertEquals(want, parse(i + 1, lines.get(i)), "line " + (i + 1) + " again, from the ready labels");
        }
    }

    @Test
    void badRawLinesAreRefusedWithTheirReason() {
        String tags = "\"tags\": {\"release_id\": \"" + ID + "\"}";
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("{\"metric\": \"m\", \"ts\": 1, \"value\": 1, " + tags, "not JSON (");
        bad.put("[1, 2]", "not a JSON object");
        bad.put("{\"ts\": 1, \"value\": 1, " + tags + "}", "\"metric\" missing or not a string");
        bad.put("{\"metric\": \"\", \"ts\": 1, \"value\": 1, " + tags + "}", "\"metric\" missing or not a string");
        bad.put("{\"metric\": 5, \"ts\": 1, \"value\": 1, " + tags + "}", "\"metric\" missing or not a string");
        bad.put("{\"metric\": \"m\", \"ts\": \"1\", \"value\": 1, " + tags + "}", "\"ts\" missing or not a number");
        bad.put("{\"metric\": \"m\", \"ts\": 1, " + tags + "}", "\"value\" missing or not a number");
        bad.put("{\"metric\": \"m\", \"ts\": 1, \"value\": 1, \"tags\": [1]}", "\"tags\" missing or not an object");
        bad.put("{\"metric\": \"m\", \"ts\": 1, \"value\": 1, \"tags\": {\"x\": {\"y\": 1}, \"release_id\": \"" + ID + "\"}}",
                "tag \"x\" is not a plain value");
        bad.put("{\"metric\": \"m\", \"ts\": 1, \"value\": 1, \"tags\": {\"release_id\": null}}", "no release_id");
        bad.put("{\"metric\": \"m\", \"ts\": 1, \"value\": 1, \"tags\": {\"release_id\": \"prod:aws\"}}", "release id \"prod:aws\" has 2 parts");
        int number = 10;
        for (var e : bad.entrySet()) {
            for (int repeat = 0; repeat < 2; repeat++) { // a bad id is refused the second time too, with the new line's number
                final int n = ++number;
                var ex = assertThrows(JsonLinesReader.BadLineException.class, () -> parse(n, e.getKey()), e.getKey());
                assertTrue(ex.getMessage().startsWith("metrics_0.jsonl:" + n + ": " + e.getValue()), ex.getMessage() + " / want " + e.getValue());
            }
        }
    }
}
