import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * OTLP/HTTP protobuf for {@code POST /v1/logs}: a batch of log records becomes one {@code ExportLogsServiceRequest}
 * with one {@code ResourceLogs} per release (first-seen order) and the kit's scope, records in line order, as
 * {@code --format otlp} groups a chunk's records.
 */
final class OtlpLogsBody implements WireFormat<LogLineRecord> {
    static final String PATH = "/v1/logs";

    @Override
    public String path() { return PATH; }

    @Override
    public String contentType() { return "application/x-protobuf"; }

    @Override
    public long size(LogLineRecord r) { return r.record().getSerializedSize() + 8L; }

    @Override
    public byte[] body(List<LogLineRecord> records) { return request(records).toByteArray(); }

    static ExportLogsServiceRequest request(List<LogLineRecord> records) {
        var byResource = new LinkedHashMap<String, List<LogLineRecord>>();
        for (LogLineRecord r : records) byResource.computeIfAbsent(r.resourceKey(), k -> new ArrayList<>()).add(r);
        var req = ExportLogsServiceRequest.newBuilder();
        for (var group : byResource.values()) {
            var scope = ScopeLogs.newBuilder().setScope(OtlpTraceBody.SCOPE);
            for (LogLineRecord r : group) scope.addLogRecords(r.record());
            req.addResourceLogs(ResourceLogs.newBuilder().setResource(group.get(0).resource()).addScopeLogs(scope));
        }
        return req.build();
    }
}
