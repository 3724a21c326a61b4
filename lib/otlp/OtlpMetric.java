import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;

/**
 * One metric of one series on its way to an OTLP receiver: a raw metric line as a one-point gauge
 * ({@link MetricLinePoint}), or a native series' counter or histogram with its points ({@link OtlpNativeMetrics});
 * {@code points} is what the receiver counts in it (its data points), {@code resourceKey} groups it with others of
 * the same resource in a request.
 */
record OtlpMetric(String resourceKey, Resource resource, Metric metric, long points) {
    /** A raw metric line's gauge point under its metric's name and unit. */
    static OtlpMetric of(MetricLinePoint p) {
        var m = Metric.newBuilder().setName(p.name()).setUnit(MetricLinePoint.unit(p.name()));
        m.getGaugeBuilder().addDataPoints(p.point());
        return new OtlpMetric(p.resourceKey(), p.resource(), m.build(), 1);
    }
}
