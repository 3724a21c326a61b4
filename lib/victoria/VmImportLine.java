import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One generated metric line as a VictoriaMetrics {@code /api/v1/import} line. In:
 * {@code {"metric": NAME, "ts": <epoch s>, "value": V, "tags": {...}}}. Out:
 * {@code {"metric":{"__name__":NAME, tags..., 20 release tags},"values":[V],"timestamps":[ms]}}: the line's own tags
 * stay, then the 12 parts and 8 composite ids of {@code release_id} are added (same values overwrite, e.g. the
 * short {@code service}). Timestamps are whole milliseconds, truncated like the original importer.
 */
final class VmImportLine implements LineParser<byte[]> {
    static final JsonFactory JSON = new JsonFactory();
    static final String PATH = "/api/v1/import";

    /** The wire format: JSON lines, gzip accepted. */
    static WireFormat<byte[]> format() { return new JsonLinesBody(PATH, "application/json"); }

    /**
     * VictoriaMetrics' own counts: rows taken by /api/v1/import; rows it could not parse or dropped (outside the
     * retention, i.e. older than -retentionPeriod, or in the future).
     */
    static ServerCounters counters(URI base) {
        return new ServerCounters(URI.create(base.toString().replaceAll("/+$", "") + "/metrics"),
                List.of("vm_rows_inserted_total{type=\"vmimport\"}"),
                List.of("vm_rows_invalid_total{type=\"vmimport\"}", "vm_rows_ignored_total"),
                List.of("vm_http_request_errors_total{path=\"/api/v1/import\"}"));
    }

    @Override
    public byte[] parse(JsonLinesReader.Line line) throws JsonLinesReader.BadLineException {
        JsonNode n = line.json();
        JsonNode name = n.get("metric"), ts = n.get("ts"), value = n.get("value"), tags = n.get("tags");
        if (name == null || !name.isTextual() || name.asText().isEmpty()) throw new JsonLinesReader.BadLineException(line, "\"metric\" missing or not a string");
        if (ts == null || !ts.isNumber()) throw new JsonLinesReader.BadLineException(line, "\"ts\" missing or not a number");
        if (value == null || !value.isNumber()) throw new JsonLinesReader.BadLineException(line, "\"value\" missing or not a number");
        if (tags == null || !tags.isObject()) throw new JsonLinesReader.BadLineException(line, "\"tags\" missing or not an object");
        Map<String, String> labels = new LinkedHashMap<>(48);
        labels.put("__name__", name.asText());
        for (var e : tags.properties()) {
            JsonNode v = e.getValue();
            if (v.isNull()) continue;
            if (!v.isValueNode()) throw new JsonLinesReader.BadLineException(line, "tag \"" + e.getKey() + "\" is not a plain value");
            labels.put(e.getKey(), v.asText());
        }
        labels.putAll(ReleaseTags.of(line, labels.get("release_id")));
        long ms = (long) Math.floor(ts.doubleValue() * 1000 + 0.0004);
        var buf = new ByteArrayOutputStream(640);
        try (JsonGenerator g = JSON.createGenerator(buf)) {
            g.writeStartObject();
            g.writeObjectFieldStart("metric");
            for (var e : labels.entrySet()) g.writeStringField(e.getKey(), e.getValue());
            g.writeEndObject();
            g.writeArrayFieldStart("values");
            if (value.isIntegralNumber() && value.canConvertToLong()) g.writeNumber(value.longValue());
            else g.writeNumber(value.doubleValue());
            g.writeEndArray();
            g.writeArrayFieldStart("timestamps");
            g.writeNumber(ms);
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }
}
