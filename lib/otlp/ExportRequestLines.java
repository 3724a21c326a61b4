import java.nio.charset.StandardCharsets;

/**
 * Lines of the OTLP File format (what the OpenTelemetry Collector's file exporter writes and its otlpjsonfile
 * receiver reads): each line one complete export request in OTLP/JSON, {@code {"resourceLogs":[...]}},
 * {@code {"resourceSpans":[...]}} or {@code {"resourceMetrics":[...]}}, with one scope (the kit) per resource.
 *
 * <p>The caller hands over records already encoded ({@link OtlpJson}), each after the resource (and for metrics
 * the gauge) it belongs to; consecutive records of one resource share its envelope. {@link #end} finishes the line.
 * A line that would grow past {@code maxLineBytes} is finished early and the next one reopens the current resource
 * and metric, because the receiver reads lines of at most its {@code max_log_size} (1 MiB by default) and splits
 * longer ones into pieces that are no longer JSON. A single record longer than the limit gets a line of its own.
 * No envelope is written without a record in it.
 */
final class ExportRequestLines {
    /** The three signals: the keys of their envelopes. */
    enum Signal {
        LOGS("resourceLogs", "scopeLogs", "logRecords"),
        TRACES("resourceSpans", "scopeSpans", "spans"),
        METRICS("resourceMetrics", "scopeMetrics", "metrics");

        final byte[] open, scopeOpen, recordsOpen;

        Signal(String resources, String scopes, String records) {
            open = ascii("{\"" + resources + "\":[");
            scopeOpen = ascii(",\"" + scopes + "\":[{\"scope\":");
            recordsOpen = ascii(",\"" + records + "\":[");
        }
    }

    /** Where finished lines go (each ends in a newline; the bytes are valid during the call only). */
    @FunctionalInterface
    interface LineSink {
        void line(byte[] bytes, int length);
    }

    private static final byte[] RESOURCE_OPEN = ascii("{\"resource\":");
    private static final byte[] RESOURCE_CLOSE = ascii("]}]}");   // records, scope, scopes, resource
    private static final byte[] LINE_CLOSE = ascii("]}\n");
    private static final byte[] GAUGE_OPEN = ascii(",\"gauge\":{\"dataPoints\":[");
    private static final byte[] METRIC_CLOSE = ascii("]}}");      // points, gauge, metric

    private final Signal signal;
    private final byte[] scope;
    private final int maxLineBytes;
    private final LineSink sink;
    private byte[] line = new byte[1 << 16];
    private int length;

    private byte[] resource, metric;     // the current envelope (metric: {"name":..,"unit":.. without the gauge)
    private boolean resourceOpen, metricOpen, lineOpen, recordInGroup, metricInResource, resourceInLine;
    private long lines, records, bytes;

    ExportRequestLines(Signal signal, byte[] scope, int maxLineBytes, LineSink sink) {
        this.signal = signal;
        this.scope = scope;
        this.maxLineBytes = maxLineBytes;
        this.sink = sink;
    }

    /** Records from here on belong to this resource (its OTLP/JSON). */
    void resource(byte[] resourceJson) {
        closeResource();
        resource = resourceJson;
        metric = null;
    }

    /** Metrics only: data points from here on are gauge points of this metric, under the current resource. */
    void gauge(byte[] nameJson, byte[] unitJson) {
        if (signal != Signal.METRICS) throw new IllegalStateException("gauge() is for metrics");
        closeMetric();
        metric = concat(ascii("{\"name\":"), nameJson, ascii(",\"unit\":"), unitJson);
    }

    /** One encoded record (log record, span or data point) of the current resource: {@code json[0, n)}. */
    void record(byte[] json, int n) {
        if (resource == null) throw new IllegalStateException("record before resource");
        if (signal == Signal.METRICS && metric == null) throw new IllegalStateException("data point before gauge");
        if (lineOpen && length + projected(n) > maxLineBytes) end();
        openAsNeeded();
        if (recordInGroup) put((byte) ',');
        ensure(n);
        System.arraycopy(json, 0, line, length, n);
        length += n;
        recordInGroup = true;
        records++;
    }

    /** Finishes the current line, if it has a record. */
    void end() {
        if (!lineOpen) return;
        closeResource();
        put(LINE_CLOSE);
        sink.line(line, length);
        lines++;
        bytes += length;
        length = 0;
        lineOpen = false;
        resourceInLine = false;
    }

    long lines() { return lines; }

    long records() { return records; }

    long bytes() { return bytes; }

    /** Bytes the line grows by when a record of that size is added to it, closing brackets included. */
    private int projected(int record) {
        int n = record + 1 + RESOURCE_CLOSE.length + LINE_CLOSE.length;
        if (!resourceOpen) n += 1 + RESOURCE_OPEN.length + resource.length + signal.scopeOpen.length + scope.length + signal.recordsOpen.length;
        if (signal == Signal.METRICS) {
            n += METRIC_CLOSE.length;
            if (!metricOpen) n += 1 + metric.length + GAUGE_OPEN.length;
        }
        return n;
    }

    private void openAsNeeded() {
        if (!lineOpen) {
            put(signal.open);
            lineOpen = true;
        }
        if (!resourceOpen) {
            if (resourceInLine) put((byte) ',');
            put(RESOURCE_OPEN);
            put(resource);
            put(signal.scopeOpen);
            put(scope);
            put(signal.recordsOpen);
            resourceOpen = true;
            resourceInLine = true;
            metricInResource = false;
            recordInGroup = false;
        }
        if (signal == Signal.METRICS && !metricOpen) {
            if (metricInResource) put((byte) ',');
            put(metric);
            put(GAUGE_OPEN);
            metricOpen = true;
            metricInResource = true;
            recordInGroup = false;
        }
    }

    private void closeMetric() {
        if (!metricOpen) return;
        put(METRIC_CLOSE);
        metricOpen = false;
    }

    private void closeResource() {
        closeMetric();
        if (!resourceOpen) return;
        put(RESOURCE_CLOSE);
        resourceOpen = false;
    }

    private void put(byte b) {
        ensure(1);
        line[length++] = b;
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, line, length, b.length);
        length += b.length;
    }

    private void ensure(int extra) {
        if (length + extra > line.length) line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, length + extra));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }
}
