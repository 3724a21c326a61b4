import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One log line as an OTLP span, with the resource (the deployment running the release) it belongs to.
 * <ul>
 * <li>ids: {@code trace_id} (32 hex), {@code span_id} (16 hex), {@code parent_span_id} (16 hex or null = root);
 * <li>time: start = {@code timestamp} to the microsecond; end = start + {@code duration_ms} when the line has it
 * (generator {@code --log-format extended}), else start + {@link #FALLBACK_DURATION_NANOS} (1 ms);
 * <li>name = {@code action}; kind SERVER for request spans, roots and children alike (each is one service serving
 * a call; the callers' client side is not in the logs), INTERNAL for deployment lines (user {@code system});
 * <li>status OK when {@code success}, else ERROR with {@code error_message};
 * <li>attributes: every other non-null field under its own name (booleans and numbers typed), plus
 * {@code error.type} on failures; release tags go on the resource.
 * </ul>
 * The resource carries {@code service.name} = service_id, {@code service.namespace} = stack_id,
 * {@code service.version} = release number, {@code deployment.environment.name}, and all 20 release tags.
 */
record LogSpan(String resourceKey, Resource resource, Span span) {
    static final long FALLBACK_DURATION_NANOS = 1_000_000L;
    private static final Set<String> NOT_ATTRIBUTES = Set.of("timestamp", "trace_id", "span_id", "parent_span_id",
            "release_id", "service", "stack", "duration_ms");

    /** Parses lines into spans; caches one resource per release id (thread-safe). */
    static final class Parser implements LineParser<LogSpan> {
        private final Map<String, Resource> resources = new ConcurrentHashMap<>();

        @Override
        public LogSpan parse(JsonLinesReader.Line line) throws JsonLinesReader.BadLineException {
            return parse(line, line.json());
        }

        /** The same for a line already parsed ({@code n} is {@code line}'s JSON), so other mappings can share the parse. */
        LogSpan parse(JsonLinesReader.Line line, JsonNode n) throws JsonLinesReader.BadLineException {
            byte[] trace = hexId(line, n, "trace_id", 16, true);
            byte[] span = hexId(line, n, "span_id", 8, true);
            byte[] parent = hexId(line, n, "parent_span_id", 8, false);
            String ts = text(n, "timestamp");
            if (ts == null) throw new JsonLinesReader.BadLineException(line, "no timestamp");
            long start;
            try {
                start = epochNanos(ts);
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new JsonLinesReader.BadLineException(line, "timestamp is not an ISO-8601 instant: " + ts);
            }
            long duration = FALLBACK_DURATION_NANOS;
            JsonNode d = n.get("duration_ms");
            if (d != null && !d.isNull()) {
                if (!d.isNumber() || d.doubleValue() < 0) throw new JsonLinesReader.BadLineException(line, "duration_ms is not a number >= 0");
                duration = Math.round(d.doubleValue() * 1_000_000);
            }
            String action = text(n, "action");
            if (action == null) throw new JsonLinesReader.BadLineException(line, "no action");
            String releaseId = text(n, "release_id");
            Resource resource = releaseId == null ? null : resources.get(releaseId);
            if (resource == null) { // the id is split (and checked) once per release, not once per line
                Map<String, String> tags = ReleaseTags.of(line, releaseId);
                resource = resources.computeIfAbsent(releaseId, k -> resource(tags));
            }
            boolean ok = !n.path("success").isBoolean() || n.get("success").booleanValue();
            if (n.path("success").isTextual()) ok = !"false".equalsIgnoreCase(n.get("success").asText());
            boolean deployment = "system".equals(text(n, "user_id"));
            var b = Span.newBuilder()
                    .setTraceId(com.google.protobuf.ByteString.copyFrom(trace))
                    .setSpanId(com.google.protobuf.ByteString.copyFrom(span))
                    .setName(action)
                    .setKind(deployment ? Span.SpanKind.SPAN_KIND_INTERNAL : Span.SpanKind.SPAN_KIND_SERVER)
                    .setStartTimeUnixNano(start)
                    .setEndTimeUnixNano(start + Math.max(duration, 0));
            if (parent != null) b.setParentSpanId(com.google.protobuf.ByteString.copyFrom(parent));
            for (var e : n.properties()) {
                JsonNode v = e.getValue();
                if (v.isNull() || NOT_ATTRIBUTES.contains(e.getKey())) continue;
                if (!v.isValueNode()) throw new JsonLinesReader.BadLineException(line, "field \"" + e.getKey() + "\" is not a plain value");
                b.addAttributes(attribute(e.getKey(), v));
            }
            var status = Status.newBuilder().setCode(ok ? Status.StatusCode.STATUS_CODE_OK : Status.StatusCode.STATUS_CODE_ERROR);
            if (!ok) {
                String type = text(n, "error_type");
                b.addAttributes(string("error.type", type == null ? "error" : type));
                String msg = text(n, "error_message");
                if (msg != null) status.setMessage(msg);
            }
            b.setStatus(status);
            return new LogSpan(releaseId, resource, b.build());
        }
    }

    /**
     * An ISO-8601 instant as epoch nanoseconds. The generator's form ({@code 2026-09-25T16:42:17.330903Z}) is read
     * digit by digit, since {@link Instant#parse} costs more than the rest of a line's mapping; anything else (an
     * offset, no seconds, a leap second) goes to {@link Instant#parse}, which also rejects what is not an instant.
     */
    static long epochNanos(String ts) {
        int n = ts.length();
        if (n >= 20 && n <= 30 && ts.charAt(n - 1) == 'Z' && ts.charAt(4) == '-' && ts.charAt(7) == '-' && ts.charAt(10) == 'T'
                && ts.charAt(13) == ':' && ts.charAt(16) == ':' && (n == 20 || ts.charAt(19) == '.' && n > 21)) {
            int y = digits(ts, 0, 4), mo = digits(ts, 5, 2), d = digits(ts, 8, 2), h = digits(ts, 11, 2), mi = digits(ts, 14, 2),
                    sec = digits(ts, 17, 2), frac = n == 20 ? 0 : digits(ts, 20, n - 21);
            if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= java.time.YearMonth.of(y, mo).lengthOfMonth() && h >= 0 && h < 24
                    && mi >= 0 && mi < 60 && sec >= 0 && sec < 60 && frac >= 0) {
                for (int k = n - 21; k < 9; k++) frac *= 10;
                long days = java.time.LocalDate.of(y, mo, d).toEpochDay();
                long seconds = days * 86_400L + h * 3600L + mi * 60L + sec;
                return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), frac);
            }
        }
        Instant t = Instant.parse(ts);
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    /** {@code count} decimal digits at {@code from} as a number, or -1 if one is not a digit. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    static Resource resource(Map<String, String> tags) {
        var r = Resource.newBuilder()
                .addAttributes(string("service.name", tags.get("service_id")))
                .addAttributes(string("service.namespace", tags.get("stack_id")))
                .addAttributes(string("service.version", tags.get("release")))
                .addAttributes(string("deployment.environment.name", tags.get("environment")));
        tags.forEach((k, v) -> r.addAttributes(string(k, v)));
        return r.build();
    }

    static KeyValue string(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue attribute(String key, JsonNode v) {
        var a = AnyValue.newBuilder();
        if (v.isBoolean()) a.setBoolValue(v.booleanValue());
        else if (v.isIntegralNumber() && v.canConvertToLong()) a.setIntValue(v.longValue());
        else if (v.isNumber()) a.setDoubleValue(v.doubleValue());
        else a.setStringValue(v.asText());
        return KeyValue.newBuilder().setKey(key).setValue(a).build();
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static byte[] hexId(JsonLinesReader.Line line, JsonNode n, String field, int bytes, boolean required)
            throws JsonLinesReader.BadLineException {
        String s = text(n, field);
        if (s == null || s.isEmpty()) {
            if (required) throw new JsonLinesReader.BadLineException(line, "no " + field);
            return null;
        }
        if (s.length() != bytes * 2) throw new JsonLinesReader.BadLineException(line, field + " \"" + s + "\" is not " + bytes * 2 + " hex digits");
        byte[] out = new byte[bytes];
        boolean zero = true;
        for (int i = 0; i < bytes; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16), lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) throw new JsonLinesReader.BadLineException(line, field + " \"" + s + "\" is not hex");
            out[i] = (byte) (hi << 4 | lo);
            zero &= out[i] == 0;
        }
        if (zero) throw new JsonLinesReader.BadLineException(line, field + " is all zeros (invalid in OTLP)");
        return out;
    }
}
