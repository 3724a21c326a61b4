import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * OTLP/HTTP protobuf for {@code POST /v1/metrics}: a batch of metrics becomes one {@code ExportMetricsServiceRequest}
 * with one {@code ResourceMetrics} per resource (first-seen order) and the kit's scope; metrics of one name and type
 * under one resource are one {@code Metric} with the points of all of them, in batch order.
 */
final class OtlpMetricsBody implements WireFormat<OtlpMetric> {
    static final String PATH = "/v1/metrics";

    @Override
    public String path() { return PATH; }

    @Override
    public String contentType() { return "application/x-protobuf"; }

    @Override
    public long size(OtlpMetric m) { return m.metric().getSerializedSize() + 8L; }

    @Override
    public long units(OtlpMetric m) { return m.points(); }

    @Override
    public byte[] body(List<OtlpMetric> metrics) { return request(metrics).toByteArray(); }

    private record Group(io.opentelemetry.proto.resource.v1.Resource resource, LinkedHashMap<String, Metric.Builder> metrics) {}

    static ExportMetricsServiceRequest request(List<OtlpMetric> metrics) {
        var byResource = new LinkedHashMap<String, Group>();
        for (OtlpMetric m : metrics) {
            Group g = byResource.computeIfAbsent(m.resourceKey(), k -> new Group(m.resource(), new LinkedHashMap<>()));
            Metric metric = m.metric();
            String key = metric.getName() + '\u0000' + metric.getDataCase();
            Metric.Builder b = g.metrics().get(key);
            if (b == null) {
                g.metrics().put(key, metric.toBuilder());
                continue;
            }
            switch (metric.getDataCase()) {
                case GAUGE -> b.getGaugeBuilder().addAllDataPoints(metric.getGauge().getDataPointsList());
                case SUM -> b.getSumBuilder().addAllDataPoints(metric.getSum().getDataPointsList());
                case HISTOGRAM -> b.getHistogramBuilder().addAllDataPoints(metric.getHistogram().getDataPointsList());
                default -> throw new IllegalArgumentException("metric " + metric.getName() + " is a " + metric.getDataCase()
                        + ", which the kit does not send");
            }
        }
        var req = ExportMetricsServiceRequest.newBuilder();
        for (Group g : byResource.values()) {
            var scope = ScopeMetrics.newBuilder().setScope(OtlpTraceBody.SCOPE);
            for (Metric.Builder b : g.metrics().values()) scope.addMetrics(b);
            req.addResourceMetrics(ResourceMetrics.newBuilder().setResource(g.resource()).addScopeMetrics(scope));
        }
        return req.build();
    }
}
