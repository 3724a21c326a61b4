import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics lane of {@code --to otlp}: raw metric lines as gauge points ({@link MetricLinePoint}), native lines as
 * cumulative sums and histograms ({@link OtlpNativeMetrics}), native exemplars on their histogram points, all
 * through one {@link BatchSender} to {@code /v1/metrics}, each part in its own batches as its file would be read.
 *
 * <p>{@link NativeMetrics} writes a series group's lines in one piece and, right after it, the exemplars of that
 * group's points, so the series of a native piece are held until the next piece: exemplars attach to them, anything
 * else sends them as they are. An exemplar that finds no point is a bad line, counted and reported, never dropped
 * unseen.
 */
final class OtlpMetricsFeed implements MonitoringStores.LaneInput {
    private final BatchSender<OtlpMetric> sender;
    private final DeliveryStats stats;
    private final long startNanos;
    private final Map<Integer, LineFeed<OtlpMetric>> raw = new TreeMap<>();
    private final Map<Integer, Part> natives = new TreeMap<>();
    private final List<Held> held = new ArrayList<>();

    /** One native part: its batches, its line count, its open histograms. */
    private record Part(BatchStream<OtlpMetric> stream, OtlpNativeMetrics encoder, Path source, long[] lines) {}

    private record Held(Part part, OtlpNativeMetrics.Series series, long line) {}

    OtlpMetricsFeed(BatchSender<OtlpMetric> sender, DeliveryStats stats, long startNanos) {
        this.sender = sender;
        this.stats = stats;
        this.startNanos = startNanos;
    }

    @Override
    public void piece(MonitoringSink.Stream stream, int part, byte[] bytes) {
        if (stream == MonitoringSink.Stream.EXEMPLARS) {
            exemplars(new String(bytes, StandardCharsets.UTF_8));
            return;
        }
        release();
        switch (stream) {
            case METRICS -> {
                LineFeed<OtlpMetric> feed = raw.computeIfAbsent(part, p -> {
                    var parser = new MetricLinePoint.Parser();
                    return new LineFeed<>("generated " + MonitoringFiles.name(stream, p), line -> OtlpMetric.of(parser.parse(line)), sender, stats);
                });
                MonitoringStores.lines(bytes, feed::accept);
            }
            case NATIVE_METRICS -> {
                Part p = natives.computeIfAbsent(part, k -> {
                    String name = "generated " + MonitoringFiles.name(stream, k);
                    return new Part(sender.stream(name), new OtlpNativeMetrics(startNanos), Path.of(name), new long[1]);
                });
                MonitoringStores.lines(bytes, text -> {
                    long n = ++p.lines()[0];
                    stats.read.increment();
                    stats.inputBytes.add(text.length() + 1L);
                    try {
                        var s = p.encoder().line(new JsonLinesReader.Line(p.source(), n, text));
                        if (s != null) held.add(new Held(p, s, n));
                    } catch (JsonLinesReader.BadLineException e) {
                        stats.bad.increment();
                        stats.problem(e.getMessage());
                    }
                });
            }
            default -> throw new IllegalArgumentException("the OTLP metrics lane does not take " + stream);
        }
    }

    private void exemplars(String text) {
        var series = new ArrayList<OtlpNativeMetrics.Series>();
        for (Held h : held) series.add(h.series());
        for (String missed : OtlpNativeMetrics.exemplars(text, series)) {
            stats.bad.increment();
            stats.problem("generated " + MonitoringFiles.name(MonitoringSink.Stream.EXEMPLARS, 0) + ": " + missed);
        }
        release();
    }

    /** Sends the held series, in the order their lines came. */
    private void release() {
        for (Held h : held) h.part().stream().add(h.series().done(), h.line());
        held.clear();
    }

    @Override
    public void flush() {
        release();
        for (Part p : natives.values()) p.stream().flush();
        for (LineFeed<OtlpMetric> f : raw.values()) f.flush();
    }

    @Override
    public void close() {
        release();
        for (Part p : natives.values()) {
            for (String open : p.encoder().unfinished()) {
                stats.bad.increment();
                stats.problem(open);
            }
            p.stream().close();
        }
        for (LineFeed<OtlpMetric> f : raw.values()) f.close();
    }
}
