import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One signal's export to an OTLP/HTTP receiver (an OpenTelemetry Collector, or any backend that speaks OTLP), with its
 * answers read as the OTLP specification has them: a 2xx answer's {@code Export*ServiceResponse.partial_success}
 * counts the refused records ({@code rejected_log_records}, {@code rejected_spans}, {@code rejected_data_points}) and
 * says why; only 429, 502, 503 and 504 are retried (Retry-After honoured by the sender), any other failure is final;
 * a failure's body is a {@code google.rpc.Status} whose message goes to the summary. The request bodies are those of
 * {@code body}.
 */
record OtlpHttp<R>(Signal signal, WireFormat<R> body) implements WireFormat<R> {
    /** The three signals: their paths and how their answers count refusals. */
    enum Signal {
        LOGS(OtlpLogsBody.PATH, "log records"),
        TRACES(OtlpTraceBody.PATH, "spans"),
        METRICS(OtlpMetricsBody.PATH, "data points");

        final String path, unit;

        Signal(String path, String unit) {
            this.path = path;
            this.unit = unit;
        }
    }

    static OtlpHttp<LogLineRecord> logs() { return new OtlpHttp<>(Signal.LOGS, new OtlpLogsBody()); }

    static OtlpHttp<LogSpan> traces() { return new OtlpHttp<>(Signal.TRACES, new OtlpTraceBody()); }

    static OtlpHttp<OtlpMetric> metrics() { return new OtlpHttp<>(Signal.METRICS, new OtlpMetricsBody()); }

    /** An endpoint at {@code base} sending {@code headers} (vendor authentication, say) with every request. */
    static StoreEndpoint endpoint(java.net.URI base, List<StoreEndpoint.Header> headers) {
        return new StoreEndpoint(base, "", "", headers, null);
    }

    /**
     * {@code Name=value} of {@code --otlp-header} as a header; IllegalArgumentException for a form without a name or
     * with a character a header cannot have.
     */
    static StoreEndpoint.Header header(String given) {
        int eq = given.indexOf('=');
        String name = eq < 0 ? "" : given.substring(0, eq).strip(), value = eq < 0 ? "" : given.substring(eq + 1).strip();
        if (name.isEmpty() || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+"))
            throw new IllegalArgumentException("--otlp-header takes Name=value (e.g. 'Authorization=Bearer x'), got "
                    + (eq < 0 ? "no \"=\"" : "the name \"" + name + "\"") + " (the value is not shown: it may be a secret)");
        if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f))
            throw new IllegalArgumentException("--otlp-header " + name + ": the value has a control character");
        return new StoreEndpoint.Header(name, value);
    }

    @Override
    public String path() { return signal.path; }

    @Override
    public String contentType() { return "application/x-protobuf"; }

    @Override
    public long size(R record) { return body.size(record); }

    @Override
    public long units(R record) { return body.units(record); }

    @Override
    public byte[] body(List<R> records) { return body.body(records); }

    @Override
    public long rejected(byte[] answer, String contentType) {
        if (answer.length == 0 || !contentType.contains("protobuf")) return 0;
        try {
            return switch (signal) {
                case LOGS -> ExportLogsServiceResponse.parseFrom(answer).getPartialSuccess().getRejectedLogRecords();
                case TRACES -> ExportTraceServiceResponse.parseFrom(answer).getPartialSuccess().getRejectedSpans();
                case METRICS -> ExportMetricsServiceResponse.parseFrom(answer).getPartialSuccess().getRejectedDataPoints();
            };
        } catch (InvalidProtocolBufferException e) {
            return 0;
        }
    }

    @Override
    public String rejectedWhy(byte[] answer, String contentType) {
        if (answer.length == 0 || !contentType.contains("protobuf")) return null;
        try {
            return switch (signal) {
                case LOGS -> ExportLogsServiceResponse.parseFrom(answer).getPartialSuccess().getErrorMessage();
                case TRACES -> ExportTraceServiceResponse.parseFrom(answer).getPartialSuccess().getErrorMessage();
                case METRICS -> ExportMetricsServiceResponse.parseFrom(answer).getPartialSuccess().getErrorMessage();
            };
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    /** The specification's retryable answers; 500 and every 4xx but 429 mean the data will not be taken as it is. */
    @Override
    public boolean retryable(int status) { return status == 429 || status == 502 || status == 503 || status == 504; }

    /**
     * The message of a protobuf {@code google.rpc.Status} body (field 2; field 1 is the gRPC code), read without the
     * Google common protos; null for any other body.
     */
    @Override
    public String failure(byte[] answer, String contentType) {
        if (answer.length == 0 || !contentType.contains("protobuf")) return null;
        try {
            var fields = UnknownFieldSet.parseFrom(answer);
            var message = fields.getField(2).getLengthDelimitedList();
            if (message.isEmpty()) return null;
            var code = fields.getField(1).getVarintList();
            String text = new String(message.get(0).toByteArray(), StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
            if (text.length() > 300) text = text.substring(0, 300) + "...";
            return text + (code.isEmpty() ? "" : " (status code " + code.get(0) + ")");
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }
}
