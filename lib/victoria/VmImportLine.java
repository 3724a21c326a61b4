import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One generated metric line as a VictoriaMetrics {@code /api/v1/import} line. A raw line,
 * {@code {"metric": NAME, "ts": <epoch s>, "value": V, "tags": {...}}}, becomes
 * {@code {"metric":{"__name__":NAME, tags..., 20 release tags},"values":[V],"timestamps":[ms]}}: the line's own tags
 * stay, then the 12 parts and 8 composite ids of {@code release_id} are added (same values overwrite, e.g. the
 * short {@code service}). Timestamps are whole milliseconds, truncated like the original importer.
 *
 * <p>A native line ({@code native_metrics_N.jsonl}) is already an import line, {@code {"metric":{"__name__":...},
 * "values":[...],"timestamps":[...]}} with its labels written by the generator: it is checked (one pass, no tree)
 * and sent as it is. Its units are its samples, so the counts match the server's rows.
 */
final class VmImportLine implements LineParser<byte[]> {
    static final JsonFactory JSON = new JsonFactory();
    static final String PATH = "/api/v1/import";

    /** The wire format: JSON lines, gzip accepted, one unit per sample. */
    static WireFormat<byte[]> format() { return new Body(new JsonLinesBody(PATH, "application/json")); }

    /** JSON lines whose units are the samples of each line (the numbers in its last array, "timestamps"). */
    record Body(JsonLinesBody lines) implements WireFormat<byte[]> {
        public String path() { return lines.path(); }

        public String contentType() { return lines.contentType(); }

        public long size(byte[] line) { return lines.size(line); }

        public byte[] body(List<byte[]> records) { return lines.body(records); }

        public long units(byte[] line) {
            int i = line.length - 1;
            long commas = 0;
            while (i >= 0 && line[i] != '[') if (line[i--] == ',') commas++;
            return commas + 1;
        }
    }

    /**
     * Where import-vm sends to {@code base}: a single node's /api/v1/import, or with {@code tenant}
     * (accountID[:projectID]) a cluster vminsert's {@code /insert/<tenant>/prometheus/api/v1/import}, checked
     * against vminsert's own counters.
     */
    static StoreEndpoint endpoint(URI base, String tenant) {
        if (tenant == null) return StoreEndpoint.plain(base, counters(base));
        var t = AccountTenant.parse(tenant);
        return new StoreEndpoint(base, t.toString(), "/insert/" + t + "/prometheus", List.of(), vminsertCounters(base));
    }

    /**
     * vminsert's counts (cluster version): rows it took from /api/v1/import requests of any tenant (the same
     * {@code vm_rows_inserted_total{type="vmimport"}} as a single node), rows it could not parse or dropped because
     * vmstorage nodes were overloaded, and failed import requests (its path label has the tenant as {@code {}}).
     */
    static ServerCounters vminsertCounters(URI base) {
        return new ServerCounters(URI.create(base.toString().replaceAll("/+$", "") + "/metrics"),
                List.of("vm_rows_inserted_total{type=\"vmimport\"}"),
                List.of("vm_rows_invalid_total{type=\"vmimport\"}", "vm_rpc_rows_dropped_on_overload_total"),
                List.of("vm_http_request_errors_total{path=\"/insert/{}/prometheus/api/v1/import\"}"));
    }

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
        if (line.text().startsWith("{\"metric\":{")) return importLine(line);
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

    /** Checks a line that is already in import form: labels with a name, as many timestamps as values, all numbers. */
    private static byte[] importLine(JsonLinesReader.Line line) throws JsonLinesReader.BadLineException {
        String text = line.text();
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new JsonLinesReader.BadLineException(line, "not a JSON object");
            boolean named = false;
            long values = -1, timestamps = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "metric" -> {
                        if (t != JsonToken.START_OBJECT) throw new JsonLinesReader.BadLineException(line, "\"metric\" is not an object of labels");
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String label = p.currentName();
                            if (p.nextToken() != JsonToken.VALUE_STRING) throw new JsonLinesReader.BadLineException(line, "label \"" + label + "\" is not a string");
                            if (label.equals("__name__") && !p.getText().isEmpty()) named = true;
                        }
                    }
                    case "values", "timestamps" -> {
                        if (t != JsonToken.START_ARRAY) throw new JsonLinesReader.BadLineException(line, "\"" + field + "\" is not an array");
                        long n = 0;
                        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken(), n++) {
                            boolean ok = field.equals("values") ? v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT
                                    : v == JsonToken.VALUE_NUMBER_INT;
                            if (!ok) throw new JsonLinesReader.BadLineException(line, "\"" + field + "\" holds " + p.getText() + ", not a number");
                        }
                        if (field.equals("values")) values = n;
                        else timestamps = n;
                    }
                    default -> p.skipChildren();
                }
            }
            if (!named) throw new JsonLinesReader.BadLineException(line, "no \"__name__\" label");
            if (values < 1 || values != timestamps)
                throw new JsonLinesReader.BadLineException(line, values + " values for " + timestamps + " timestamps");
        } catch (IOException e) {
            throw new JsonLinesReader.BadLineException(line, "not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
