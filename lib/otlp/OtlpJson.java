import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * OTLP messages as OTLP/JSON, the encoding of the OTLP specification: proto3's JSON mapping with lowerCamelCase keys,
 * except that trace and span ids are lowercase hex (not base64) and enums are integers. 64-bit integers
 * ({@code timeUnixNano}, {@code intValue}) are decimal strings, as proto3 JSON writes them; fields at their default
 * value are left out, but a oneof value that is set is always written ({@code "asDouble":0.0}, {@code "boolValue":false}).
 *
 * <p>Each method writes one complete JSON value into {@link #bytes} (valid until the next call; {@link #copy} keeps
 * it), so that {@link ExportRequestLines} can put requests together and cut them by size without re-encoding.
 * Bytes are written by hand rather than through a JSON generator: this runs once per record, millions of times a
 * run. Written are the fields the kit's records set (resource attributes, scope name and version, the log record,
 * the span with parent and status, the gauge point with its exemplars); a span event or link, which the kit never
 * makes, is refused rather than dropped. One instance per thread.
 */
final class OtlpJson {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY = "{\"key\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STRING_VALUE = ",\"value\":{\"stringValue\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE_TWO = "}}".getBytes(StandardCharsets.US_ASCII);

    /**
     * Encoded attribute arrays of data points by content. A request's metric lines share the very same KeyValue
     * objects ({@link MetricLinePoint.Parser}), whose hashes protobuf keeps, so a lookup costs little.
     */
    private final java.util.HashMap<List<KeyValue>, byte[]> attributeArrays = new java.util.HashMap<>();

    byte[] bytes = new byte[4096];
    int length;
    private boolean comma; // a field was written in the current object (or an element in the current array)

    /** The last value, as its own array. */
    byte[] copy() { return Arrays.copyOf(bytes, length); }

    /** {@code s} as a JSON string value, quotes included. */
    OtlpJson string(String s) {
        length = 0;
        str(s);
        return this;
    }

    OtlpJson resource(Resource r) {
        length = 0;
        open();
        attributes("attributes", r.getAttributesList());
        uint("droppedAttributesCount", r.getDroppedAttributesCount());
        close();
        return this;
    }

    OtlpJson scope(InstrumentationScope s) {
        length = 0;
        open();
        if (!s.getName().isEmpty()) field("name").str(s.getName());
        if (!s.getVersion().isEmpty()) field("version").str(s.getVersion());
        attributes("attributes", s.getAttributesList());
        uint("droppedAttributesCount", s.getDroppedAttributesCount());
        close();
        return this;
    }

    OtlpJson logRecord(LogRecord r) {
        length = 0;
        open();
        fixed64("timeUnixNano", r.getTimeUnixNano());
        fixed64("observedTimeUnixNano", r.getObservedTimeUnixNano());
        uint("severityNumber", r.getSeverityNumberValue());
        if (!r.getSeverityText().isEmpty()) field("severityText").str(r.getSeverityText());
        if (r.hasBody()) {
            field("body");
            anyValue(r.getBody());
        }
        attributes("attributes", r.getAttributesList());
        uint("droppedAttributesCount", r.getDroppedAttributesCount());
        uint("flags", r.getFlags());
        id("traceId", r.getTraceId());
        id("spanId", r.getSpanId());
        if (!r.getEventName().isEmpty()) field("eventName").str(r.getEventName());
        close();
        return this;
    }

    OtlpJson span(Span s) {
        if (s.getEventsCount() > 0 || s.getLinksCount() > 0)
            throw new IllegalArgumentException("span " + s.getName() + " has events or links, which the kit's OTLP/JSON does not write");
        length = 0;
        open();
        id("traceId", s.getTraceId());
        id("spanId", s.getSpanId());
        if (!s.getTraceState().isEmpty()) field("traceState").str(s.getTraceState());
        id("parentSpanId", s.getParentSpanId());
        uint("flags", s.getFlags());
        field("name").str(s.getName());
        uint("kind", s.getKindValue());
        fixed64("startTimeUnixNano", s.getStartTimeUnixNano());
        fixed64("endTimeUnixNano", s.getEndTimeUnixNano());
        attributes("attributes", s.getAttributesList());
        uint("droppedAttributesCount", s.getDroppedAttributesCount());
        uint("droppedEventsCount", s.getDroppedEventsCount());
        uint("droppedLinksCount", s.getDroppedLinksCount());
        if (s.hasStatus()) {
            Status st = s.getStatus();
            field("status");
            open();
            if (!st.getMessage().isEmpty()) field("message").str(st.getMessage());
            uint("code", st.getCodeValue());
            close();
        }
        close();
        return this;
    }

    /** A gauge or sum data point. */
    OtlpJson dataPoint(NumberDataPoint p) {
        length = 0;
        open();
        sharedAttributes(p.getAttributesList());
        fixed64("startTimeUnixNano", p.getStartTimeUnixNano());
        fixed64("timeUnixNano", p.getTimeUnixNano());
        switch (p.getValueCase()) {
            case AS_DOUBLE -> field("asDouble").number(p.getAsDouble());
            case AS_INT -> field("asInt").quotedLong(p.getAsInt());
            case VALUE_NOT_SET -> {}
        }
        if (p.getExemplarsCount() > 0) {
            field("exemplars");
            put('[');
            comma = false;
            for (Exemplar x : p.getExemplarsList()) {
                element();
                exemplar(x);
            }
            put(']');
            comma = true;
        }
        uint("flags", p.getFlags());
        close();
        return this;
    }

    private void exemplar(Exemplar x) {
        open();
        attributes("filteredAttributes", x.getFilteredAttributesList());
        fixed64("timeUnixNano", x.getTimeUnixNano());
        switch (x.getValueCase()) {
            case AS_DOUBLE -> field("asDouble").number(x.getAsDouble());
            case AS_INT -> field("asInt").quotedLong(x.getAsInt());
            case VALUE_NOT_SET -> {}
        }
        id("spanId", x.getSpanId());
        id("traceId", x.getTraceId());
        close();
    }

    private void attributes(String name, List<KeyValue> list) {
        if (list.isEmpty()) return;
        field(name);
        keyValues(list);
    }

    /** Attributes of a data point, encoded once per distinct list; the cache is emptied when it grows, which only costs re-encoding. */
    private void sharedAttributes(List<KeyValue> list) {
        if (list.isEmpty()) return;
        byte[] done = attributeArrays.get(list);
        field("attributes");
        if (done != null) {
            ensure(done.length);
            System.arraycopy(done, 0, bytes, length, done.length);
            length += done.length;
            return;
        }
        int from = length;
        keyValues(list);
        if (attributeArrays.size() >= 4096) attributeArrays.clear();
        attributeArrays.put(List.copyOf(list), Arrays.copyOfRange(bytes, from, length));
    }

    private void keyValues(List<KeyValue> list) {
        put('[');
        comma = false;
        for (KeyValue kv : list) {
            element();
            if (kv.getValue().getValueCase() == AnyValue.ValueCase.STRING_VALUE) { // most attributes: fixed bytes around two strings
                put(KEY);
                str(kv.getKey());
                put(STRING_VALUE);
                str(kv.getValue().getStringValue());
                put(CLOSE_TWO);
                comma = true;
                continue;
            }
            open();
            field("key").str(kv.getKey());
            if (kv.hasValue()) {
                field("value");
                anyValue(kv.getValue());
            }
            close();
        }
        put(']');
        comma = true;
    }

    private void anyValue(AnyValue v) {
        open();
        switch (v.getValueCase()) {
            case STRING_VALUE -> field("stringValue").str(v.getStringValue());
            case BOOL_VALUE -> field("boolValue").ascii(v.getBoolValue() ? "true" : "false");
            case INT_VALUE -> field("intValue").quotedLong(v.getIntValue());
            case DOUBLE_VALUE -> field("doubleValue").number(v.getDoubleValue());
            case ARRAY_VALUE -> {
                field("arrayValue");
                open();
                field("values");
                put('[');
                comma = false;
                for (AnyValue e : v.getArrayValue().getValuesList()) {
                    element();
                    anyValue(e);
                }
                put(']');
                comma = true;
                close();
            }
            case KVLIST_VALUE -> {
                field("kvlistValue");
                open();
                field("values");
                keyValues(v.getKvlistValue().getValuesList());
                close();
            }
            case BYTES_VALUE -> field("bytesValue").str(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
            case VALUE_NOT_SET -> {}
        }
        close();
    }

    // ---- JSON bytes ----

    private void open() {
        put('{');
        comma = false;
    }

    private void close() {
        put('}');
        comma = true;
    }

    /** Before an array element: the comma after the previous one. */
    private void element() {
        if (comma) put(',');
        comma = false;
    }

    /** {@code "name":} (names are ASCII identifiers), with the comma after the previous field. */
    private OtlpJson field(String name) {
        if (comma) put(',');
        put('"');
        ascii(name);
        put('"');
        put(':');
        comma = true;
        return this;
    }

    /** A non-negative 32-bit number (enum, count, flags); 0 (unset) is left out. */
    private void uint(String name, int v) {
        if (v != 0) field(name).ascii(Long.toString(Integer.toUnsignedLong(v)));
    }

    /** An unsigned 64-bit time as a decimal string; 0 (unset) is left out. */
    private void fixed64(String name, long v) {
        if (v == 0) return;
        field(name);
        put('"');
        ascii(Long.toUnsignedString(v));
        put('"');
    }

    private void quotedLong(long v) {
        put('"');
        ascii(Long.toString(v));
        put('"');
    }

    /** A double as proto3 JSON has it: a number, or the strings "NaN", "Infinity", "-Infinity". */
    private void number(double d) {
        if (Double.isNaN(d)) ascii("\"NaN\"");
        else if (Double.isInfinite(d)) ascii(d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        else ascii(Double.toString(d));
    }

    /** A trace or span id as lowercase hex; an empty id (a root's parent) is left out. */
    private void id(String name, ByteString b) {
        int n = b.size();
        if (n == 0) return;
        field(name);
        ensure(2 * n + 2);
        bytes[length++] = '"';
        for (int i = 0; i < n; i++) {
            int x = b.byteAt(i) & 0xff;
            bytes[length++] = HEX[x >>> 4];
            bytes[length++] = HEX[x & 15];
        }
        bytes[length++] = '"';
    }

    private OtlpJson ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) bytes[length++] = (byte) s.charAt(i);
        return this;
    }

    /** A JSON string: UTF-8, with quote, backslash and control characters escaped; a lone surrogate as {@code \\uXXXX}. */
    private void str(String s) {
        int n = s.length();
        ensure(n * 3 + 2);
        byte[] b = bytes;
        int p = length;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                b[p++] = (byte) c;
            } else if (c < 0x80) {
                length = p;
                escape(c);
                ensure((n - i) * 3 + 1); // an escape takes up to 6 bytes, more than the 3 reserved per char
                b = bytes;
                p = length;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xc0 | c >> 6);
                b[p++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[p++] = (byte) (0xf0 | cp >> 18);
                b[p++] = (byte) (0x80 | cp >> 12 & 0x3f);
                b[p++] = (byte) (0x80 | cp >> 6 & 0x3f);
                b[p++] = (byte) (0x80 | cp & 0x3f);
            } else if (Character.isSurrogate(c)) {
                length = p;
                unicodeEscape(c);
                ensure((n - i) * 3 + 1);
                b = bytes;
                p = length;
            } else {
                b[p++] = (byte) (0xe0 | c >> 12);
                b[p++] = (byte) (0x80 | c >> 6 & 0x3f);
                b[p++] = (byte) (0x80 | c & 0x3f);
            }
        }
        b[p++] = '"';
        length = p;
    }

    private void escape(char c) {
        switch (c) {
            case '"' -> ascii("\\\"");
            case '\\' -> ascii("\\\\");
            case '\n' -> ascii("\\n");
            case '\r' -> ascii("\\r");
            case '\t' -> ascii("\\t");
            case '\b' -> ascii("\\b");
            case '\f' -> ascii("\\f");
            default -> unicodeEscape(c);
        }
    }

    private void unicodeEscape(char c) {
        ensure(6);
        bytes[length++] = '\\';
        bytes[length++] = 'u';
        for (int shift = 12; shift >= 0; shift -= 4) bytes[length++] = HEX[c >> shift & 15];
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
    }

    private void put(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
    }

    private void ensure(int extra) {
        if (length + extra > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
    }
}
