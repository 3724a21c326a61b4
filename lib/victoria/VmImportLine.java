//SOURCES ReleaseLabelsJson.java
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.util.List;

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
        return rawLine(line);
    }

    /**
     * One pass over the raw line with Jackson's streaming parser, bytes written straight into a per-thread buffer:
     * no tree, no label map, and the 20 release labels come ready-made from {@link ReleaseLabelsJson}. The checks,
     * their order and the bytes written are those of reading the line as a tree (last duplicate field wins).
     */
    private static byte[] rawLine(JsonLinesReader.Line line) throws JsonLinesReader.BadLineException {
        String name = null;
        boolean tsOk = false, valueOk = false, tagsOk = false;
        double ts = 0;
        long valueLong = 0;
        double valueDouble = 0;
        boolean valueIsLong = false;
        Labels labels = LABELS.get();
        try (JsonParser p = JSON.createParser(line.text())) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new JsonLinesReader.BadLineException(line, "not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "metric" -> name = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "ts" -> {
                        tsOk = t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT;
                        if (tsOk) ts = p.getDoubleValue();
                    }
                    case "value" -> {
                        valueOk = t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT;
                        valueIsLong = t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
                        if (valueIsLong) valueLong = p.getLongValue();
                        else if (valueOk) valueDouble = p.getDoubleValue();
                    }
                    case "tags" -> {
                        tagsOk = t == JsonToken.START_OBJECT;
                        labels.clear();
                        if (tagsOk) readTags(p, labels);
                    }
                    default -> { }
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new JsonLinesReader.BadLineException(line, "not JSON (" + why + ")");
        }
        if (name == null || name.isEmpty()) throw new JsonLinesReader.BadLineException(line, "\"metric\" missing or not a string");
        if (!tsOk) throw new JsonLinesReader.BadLineException(line, "\"ts\" missing or not a number");
        if (!valueOk) throw new JsonLinesReader.BadLineException(line, "\"value\" missing or not a number");
        if (!tagsOk) throw new JsonLinesReader.BadLineException(line, "\"tags\" missing or not an object");
        if (labels.notPlain != null) throw new JsonLinesReader.BadLineException(line, "tag \"" + labels.notPlain + "\" is not a plain value");
        String releaseId = labels.get("release_id");
        if (releaseId == null || releaseId.isEmpty()) throw new JsonLinesReader.BadLineException(line, "no release_id");
        ReleaseLabelsJson release;
        try {
            release = ReleaseLabelsJson.of(releaseId);
        } catch (IllegalArgumentException e) {
            throw new JsonLinesReader.BadLineException(line, e.getMessage());
        }
        Out out = labels.out;
        out.reset();
        out.ascii("{\"metric\":{\"__name__\":");
        int present = 0;
        String tagName = labels.get("__name__"); // a tag of that name replaces the metric's name in place
        out.string(tagName != null ? tagName : name);
        for (int i = 0; i < labels.size; i++) {
            String key = labels.keys[i];
            if (key.equals("__name__")) continue;
            out.write(',');
            out.string(key);
            out.write(':');
            int r = ReleaseLabelsJson.index(key);
            if (r >= 0) {
                out.write(release.value(r));
                present |= 1 << r;
            } else {
                out.string(labels.values[i]);
            }
        }
        out.write(release.rest(present));
        out.ascii("},\"values\":[");
        if (valueIsLong) out.ascii(Long.toString(valueLong));
        else if (Double.isFinite(valueDouble)) out.ascii(Double.toString(valueDouble));
        else out.string(Double.toString(valueDouble)); // as Jackson writes non-finite numbers: quoted
        out.ascii("],\"timestamps\":[");
        out.ascii(Long.toString((long) Math.floor(ts * 1000 + 0.0004)));
        out.ascii("]}");
        return out.toByteArray();
    }

    /** The tags object's plain values as text (null values left out); the first nested one is remembered as bad. */
    private static void readTags(JsonParser p, Labels labels) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            String text = switch (v) {
                case VALUE_STRING -> p.getText();
                case VALUE_NUMBER_INT -> p.getNumberValue().toString();
                case VALUE_NUMBER_FLOAT -> Double.toString(p.getDoubleValue());
                case VALUE_TRUE -> "true";
                case VALUE_FALSE -> "false";
                case VALUE_NULL -> null;
                default -> {
                    if (labels.notPlain == null) labels.notPlain = key;
                    p.skipChildren();
                    yield null;
                }
            };
            if (text != null) labels.put(key, text);
        }
    }

    private static final ThreadLocal<Labels> LABELS = ThreadLocal.withInitial(Labels::new);

    /** A raw line's tags in order, a repeated name keeping its first place and its last value; reused per thread. */
    private static final class Labels {
        String[] keys = new String[16];
        String[] values = new String[16];
        int size;
        String notPlain;
        final Out out = new Out();

        void clear() {
            size = 0;
            notPlain = null;
        }

        int indexOf(String key) {
            for (int i = 0; i < size; i++) if (keys[i].equals(key)) return i;
            return -1;
        }

        String get(String key) {
            int i = indexOf(key);
            return i < 0 ? null : values[i];
        }

        void put(String key, String value) {
            int i = indexOf(key);
            if (i >= 0) {
                values[i] = value;
                return;
            }
            if (size == keys.length) {
                keys = java.util.Arrays.copyOf(keys, size * 2);
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            keys[size] = key;
            values[size++] = value;
        }
    }

    /** A growing byte buffer that writes JSON strings as Jackson's generator does. */
    private static final class Out {
        private byte[] buf = new byte[1024];
        private int len;

        void reset() { len = 0; }

        private void room(int n) {
            if (len + n > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }

        void write(int b) {
            room(1);
            buf[len++] = (byte) b;
        }

        void write(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        /** Text known to be ASCII without anything to escape. */
        void ascii(String s) {
            int n = s.length();
            room(n);
            for (int i = 0; i < n; i++) buf[len++] = (byte) s.charAt(i);
        }

        void string(String s) {
            if (ReleaseLabelsJson.plain(s)) {
                room(s.length() + 2);
                buf[len++] = '"';
                ascii(s);
                buf[len++] = '"';
            } else {
                write(ReleaseLabelsJson.quoted(s));
            }
        }

        byte[] toByteArray() { return java.util.Arrays.copyOf(buf, len); }
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
