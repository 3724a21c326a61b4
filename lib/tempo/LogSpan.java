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
            JsonNode n = line.json();
            byte[] trace = hexId(line, n, "trace_id", 16, true);
            byte[] span = hexId(line, n, "span_id", 8, true);
            byte[] parent = hexId(line, n, "parent_span_id", 8, false);
            String ts = text(n, "timestamp");
            if (ts == null) throw new JsonLinesReader.BadLineException(line, "no timestamp");
            long start;
            try {
                Instant t = Instant.parse(ts);
                start = Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
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
            Map<String, String> tags = ReleaseTags.of(line, releaseId);
            Resource resource = resources.computeIfAbsent(releaseId, k -> resource(tags));
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

    private static KeyValue attribute(String key, JsonNode v) {
        var a = AnyValue.newBuilder();
        if (v.isBoolean()) a.setBoolValue(v.booleanValue());
        else if (v.isIntegralNumber() && v.canConvertToLong()) a.setIntValue(v.longValue());
        else if (v.isNumber()) a.setDoubleValue(v.doubleValue());
        else a.setStringValue(v.asText());
        return KeyValue.newBuilder().setKey(key).setValue(a).build();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static byte[] hexId(JsonLinesReader.Line line, JsonNode n, String field, int bytes, boolean required)
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
