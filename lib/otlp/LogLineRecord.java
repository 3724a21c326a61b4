import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One generated log line as an OTLP log record, with the resource it belongs to (the deployment running the release,
 * the same resource as its span in {@link LogSpan}).
 * <ul>
 * <li>{@code timeUnixNano} = {@code timestamp} to the microsecond;
 * <li>{@code severityText} = {@code level}, {@code severityNumber} from it (DEBUG 5, INFO 9, WARN 13, ERROR 17,
 * FATAL 21; another level keeps its text with number 0, unspecified);
 * <li>{@code body} = {@code message} as a string;
 * <li>{@code traceId} / {@code spanId} from {@code trace_id} / {@code span_id} (32 and 16 hex digits);
 * <li>attributes: every other non-null field under its own name and in line order, typed (booleans, integers,
 * doubles, strings), release_id, service and stack included: the resource says where the release runs, the
 * attributes keep the line whole.
 * </ul>
 */
record LogLineRecord(String resourceKey, Resource resource, LogRecord record) {
    private static final Set<String> NOT_ATTRIBUTES = Set.of("timestamp", "level", "message", "trace_id", "span_id");

    static SeverityNumber severity(String level) {
        if (level == null) return SeverityNumber.SEVERITY_NUMBER_UNSPECIFIED;
        return switch (level) {
            case "DEBUG" -> SeverityNumber.SEVERITY_NUMBER_DEBUG;
            case "INFO" -> SeverityNumber.SEVERITY_NUMBER_INFO;
            case "WARN" -> SeverityNumber.SEVERITY_NUMBER_WARN;
            case "ERROR" -> SeverityNumber.SEVERITY_NUMBER_ERROR;
            case "FATAL" -> SeverityNumber.SEVERITY_NUMBER_FATAL;
            default -> SeverityNumber.SEVERITY_NUMBER_UNSPECIFIED;
        };
    }

    /** Parses lines into log records; keeps one resource per release id for as long as the parser lives. */
    static final class Parser implements LineParser<LogLineRecord> {
        private final Map<String, Resource> resources = new HashMap<>();

        @Override
        public LogLineRecord parse(JsonLinesReader.Line line) throws JsonLinesReader.BadLineException {
            return parse(line, line.json());
        }

        /** The same for a line already parsed ({@code n} is {@code line}'s JSON). */
        LogLineRecord parse(JsonLinesReader.Line line, JsonNode n) throws JsonLinesReader.BadLineException {
            String ts = LogSpan.text(n, "timestamp");
            if (ts == null) throw new JsonLinesReader.BadLineException(line, "no timestamp");
            long time;
            try {
                time = LogSpan.epochNanos(ts);
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new JsonLinesReader.BadLineException(line, "timestamp is not an ISO-8601 instant: " + ts);
            }
            String releaseId = LogSpan.text(n, "release_id");
            Resource resource = resources.get(releaseId);
            if (resource == null) {
                resource = LogSpan.resource(ReleaseTags.of(line, releaseId));
                resources.put(releaseId, resource);
            }
            var b = LogRecord.newBuilder().setTimeUnixNano(time);
            String level = LogSpan.text(n, "level");
            if (level != null) b.setSeverityText(level).setSeverityNumber(severity(level));
            String message = LogSpan.text(n, "message");
            if (message != null) b.setBody(AnyValue.newBuilder().setStringValue(message));
            byte[] trace = LogSpan.hexId(line, n, "trace_id", 16, false);
            if (trace != null) b.setTraceId(com.google.protobuf.ByteString.copyFrom(trace));
            byte[] span = LogSpan.hexId(line, n, "span_id", 8, false);
            if (span != null) b.setSpanId(com.google.protobuf.ByteString.copyFrom(span));
            for (var e : n.properties()) {
                JsonNode v = e.getValue();
                if (v.isNull() || NOT_ATTRIBUTES.contains(e.getKey())) continue;
                if (!v.isValueNode()) throw new JsonLinesReader.BadLineException(line, "field \"" + e.getKey() + "\" is not a plain value");
                b.addAttributes(LogSpan.attribute(e.getKey(), v));
            }
            return new LogLineRecord(releaseId, resource, b.build());
        }
    }
}
