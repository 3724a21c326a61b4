import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;

/**
 * One raw metric line ({@code {"metric", "ts", "value", "tags"}}) as an OTLP gauge data point, with the metric's
 * name and unit and the resource of its release (as {@link LogSpan} builds it).
 * <ul>
 * <li>{@code timeUnixNano} = {@code ts}, read from its decimal digits (a double would lose the microseconds);
 * <li>{@code asDouble} = {@code value};
 * <li>attributes = the tags, in line order, as strings, except {@code trace_id}: a trace id on the point would make
 * one series per request, so it becomes the point's exemplar (same time and value, {@code traceId}), which is
 * OTLP's place for a sample's trace;
 * <li>unit: {@code ms} for durations and latencies, {@code By} (UCUM bytes) for sizes, else {@code 1}.
 * </ul>
 * A gauge because the raw form is one sample per request, not an aggregate: each point is a reading.
 */
record MetricLinePoint(String resourceKey, Resource resource, String name, NumberDataPoint point) {
    static String unit(String metric) {
        if (metric.contains("duration") || metric.contains("latency")) return "ms";
        if (metric.endsWith("_bytes")) return "By";
        return "1";
    }

    /**
     * Parses metric lines; keeps one resource per release id for as long as the parser lives. A line whose tags equal
     * the previous line's (the four or five lines of one request) gets the previous attribute list itself, so it is
     * built and encoded once ({@link OtlpJson}).
     */
    static final class Parser implements LineParser<MetricLinePoint> {
        private final Map<String, Resource> resources = new HashMap<>();
        private final java.util.ArrayList<String> tags = new java.util.ArrayList<>();
        private java.util.List<String> previousTags = java.util.List.of();
        private java.util.List<KeyValue> previousAttributes = java.util.List.of();

        @Override
        public MetricLinePoint parse(JsonLinesReader.Line line) throws JsonLinesReader.BadLineException {
            try (JsonParser p = JsonLinesReader.MAPPER.getFactory().createParser(line.text())) {
                return parse(line, p);
            } catch (IOException e) {
                throw new JsonLinesReader.BadLineException(line, "not JSON (" + e.getMessage() + ")");
            }
        }

        private MetricLinePoint parse(JsonLinesReader.Line line, JsonParser p) throws IOException, JsonLinesReader.BadLineException {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new JsonLinesReader.BadLineException(line, "not a JSON object");
            String name = null, releaseId = null;
            long time = -1;
            Double value = null;
            String trace = null;
            var point = NumberDataPoint.newBuilder();
            tags.clear();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "metric" -> {
                        if (t != JsonToken.VALUE_STRING) throw new JsonLinesReader.BadLineException(line, "metric is not a string");
                        name = p.getText();
                    }
                    case "ts" -> {
                        if (!t.isNumeric()) throw new JsonLinesReader.BadLineException(line, "ts is not a number");
                        time = nanos(line, p.getText());
                    }
                    case "value" -> {
                        if (!t.isNumeric()) throw new JsonLinesReader.BadLineException(line, "value is not a number");
                        value = p.getDoubleValue();
                    }
                    case "tags" -> {
                        if (t != JsonToken.START_OBJECT) throw new JsonLinesReader.BadLineException(line, "tags is not an object");
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String key = p.currentName();
                            JsonToken vt = p.nextToken();
                            if (vt == JsonToken.VALUE_NULL) continue;
                            if (!vt.isScalarValue()) throw new JsonLinesReader.BadLineException(line, "tag \"" + key + "\" is not a plain value");
                            String v = p.getText();
                            if (key.equals("trace_id")) {
                                trace = v;
                                continue;
                            }
                            if (key.equals("release_id")) releaseId = v;
                            tags.add(key);
                            tags.add(v);
                        }
                    }
                    default -> throw new JsonLinesReader.BadLineException(line, "field \"" + field + "\" is not part of a metric line");
                }
            }
            if (name == null) throw new JsonLinesReader.BadLineException(line, "no metric");
            if (time < 0) throw new JsonLinesReader.BadLineException(line, "no ts");
            if (value == null) throw new JsonLinesReader.BadLineException(line, "no value");
            Resource resource = resources.get(releaseId);
            if (resource == null) {
                resource = LogSpan.resource(ReleaseTags.of(line, releaseId));
                resources.put(releaseId, resource);
            }
            if (!tags.equals(previousTags)) {
                var attributes = new java.util.ArrayList<KeyValue>(tags.size() / 2);
                for (int i = 0; i < tags.size(); i += 2)
                    attributes.add(KeyValue.newBuilder().setKey(tags.get(i)).setValue(AnyValue.newBuilder().setStringValue(tags.get(i + 1))).build());
                previousTags = java.util.List.copyOf(tags);
                previousAttributes = java.util.List.copyOf(attributes);
            }
            point.addAllAttributes(previousAttributes);
            point.setTimeUnixNano(time).setAsDouble(value);
            if (trace != null) {
                byte[] id = hex(line, trace);
                point.addExemplars(Exemplar.newBuilder().setTimeUnixNano(time).setAsDouble(value)
                        .setTraceId(com.google.protobuf.ByteString.copyFrom(id)));
            }
            return new MetricLinePoint(releaseId, resource, name, point.build());
        }

        private static long nanos(JsonLinesReader.Line line, String seconds) throws JsonLinesReader.BadLineException {
            long fast = plainNanos(seconds);
            if (fast >= 0) return fast;
            try {
                long n = new BigDecimal(seconds).movePointRight(9).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
                if (n < 0) throw new JsonLinesReader.BadLineException(line, "ts is before 1970: " + seconds);
                return n;
            } catch (ArithmeticException | NumberFormatException e) {
                throw new JsonLinesReader.BadLineException(line, "ts is not epoch seconds: " + seconds);
            }
        }

        /** {@code 1790354537.330903} (digits, a point, at most 9 digits) as nanoseconds without a BigDecimal; -1 for any other form. */
        private static long plainNanos(String s) {
            int n = s.length(), dot = s.indexOf('.');
            int intDigits = dot < 0 ? n : dot;
            if (intDigits < 1 || intDigits > 10 || (dot >= 0 && (n - dot - 1 < 1 || n - dot - 1 > 9))) return -1;
            long secs = 0, frac = 0;
            for (int i = 0; i < intDigits; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') return -1;
                secs = secs * 10 + (c - '0');
            }
            int fracDigits = dot < 0 ? 0 : n - dot - 1;
            for (int i = 0; i < fracDigits; i++) {
                char c = s.charAt(dot + 1 + i);
                if (c < '0' || c > '9') return -1;
                frac = frac * 10 + (c - '0');
            }
            for (int k = fracDigits; k < 9; k++) frac *= 10;
            return secs * 1_000_000_000L + frac;
        }

        private static byte[] hex(JsonLinesReader.Line line, String s) throws JsonLinesReader.BadLineException {
            if (s.length() != 32) throw new JsonLinesReader.BadLineException(line, "trace_id \"" + s + "\" is not 32 hex digits");
            byte[] out = new byte[16];
            for (int i = 0; i < 16; i++) {
                int hi = Character.digit(s.charAt(2 * i), 16), lo = Character.digit(s.charAt(2 * i + 1), 16);
                if (hi < 0 || lo < 0) throw new JsonLinesReader.BadLineException(line, "trace_id \"" + s + "\" is not hex");
                out[i] = (byte) (hi << 4 | lo);
            }
            return out;
        }
    }
}
