import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Runs a {@link GenerationPlan}: workers generate chunks in any order, the calling thread hands them to the sink in
 * chunk order, chunk {@code c} to part {@code c % files} of the logs and raw metrics, and counts their requests into
 * the native metrics; so the output is the same bytes for any worker count. At most {@code 2 x workers + 1} chunks
 * are in memory at once. Deployment lines open logs part 0.
 *
 * <p>A shard ({@link Shard}) makes only its own chunks, its {@code n}-th one to part {@code n % files} so that every
 * part gets some; the deployment lines go with shard 0.
 */
final class MonitoringRun {
    /** Lines and bytes of one part of each stream (logs_N, metrics_N, native_metrics_N). */
    record FileTotals(String logs, String metrics, String nativeMetrics, long logLines, long metricLines, long nativeLines,
                      long logBytes, long metricBytes, long nativeBytes) {}

    /** What the native metrics came to: series per metric name, samples, lines, exemplar points. */
    record NativeTotals(java.util.Map<String, Long> seriesByMetric, long series, long samples, long lines, long bytes, long exemplarPoints) {}

    record Result(ChunkStats totals, long deploymentLines, List<FileTotals> files, NativeTotals nativeTotals, long rawSeries,
                  java.util.Map<String, Long> rawSeriesByMetric, boolean rawSeriesIsLowerBound, double seconds) {
        long records() { return totals.logLines + totals.metricLines + deploymentLines + (nativeTotals == null ? 0 : nativeTotals.samples()); }
        long bytes() { return files.stream().mapToLong(f -> f.logBytes() + f.metricBytes() + f.nativeBytes()).sum(); }
    }

    private static final class Slot {
        final JsonLineBuffer logs = new JsonLineBuffer(1 << 20), metrics = new JsonLineBuffer(1 << 21);
        final ChunkRequests requests;
        final ChunkStats stats;
        long roots;

        Slot(GenerationPlan plan) {
            stats = new ChunkStats(plan.model.personas().size(), plan.serviceKeys.length, plan.incidents.incidents.size());
            requests = plan.cfg.nativeMetrics() ? new ChunkRequests() : null;
        }
    }

    /** Native lines per VictoriaMetrics import line at most (the store takes 1k-10k samples a line best). */
    static final int SAMPLES_PER_LINE = 10_000;
    /** Native samples held before every series writes what it has: about 50 MB of heap. */
    static final long BUFFERED_SAMPLES = 3_000_000;

    private MonitoringRun() {}

    /** The roots the plan's shard makes (all of them for the whole run). */
    static long roots(GenerationPlan plan) {
        Shard shard = plan.cfg.shard();
        if (shard.whole()) return plan.cfg.roots();
        long n = 0, jobs = shard.chunks(plan.cfg.chunks());
        for (long j = 0; j < jobs; j++) n += plan.slices.roots((int) shard.chunk(j));
        return n;
    }

    static Result run(GenerationPlan plan, LongConsumer progress) {
        GenerateConfig cfg = plan.cfg;
        try (var files = new MonitoringFiles(cfg.output(), cfg.files(), MonitoringFiles.streams(cfg.rawMetrics(), cfg.nativeMetrics()))) {
            return run(plan, files, progress);
        }
    }

    static Result run(GenerationPlan plan, MonitoringSink sink, LongConsumer progress) {
        long t0 = System.nanoTime();
        GenerateConfig cfg = plan.cfg;
        int files = cfg.files();
        long[] logLines = new long[files], metricLines = new long[files], logBytes = new long[files], metricBytes = new long[files];
        var nativeMetrics = cfg.nativeMetrics() ? new NativeMetrics(plan, sink, SAMPLES_PER_LINE, BUFFERED_SAMPLES) : null;
        var rawSeries = new RawSeriesCount();
        Shard shard = cfg.shard();
        long deploymentLines = shard.index() != 0 ? 0 : DeploymentLog.write(plan, buf -> {
            sink.write(MonitoringSink.Stream.LOGS, 0, buf.bytes, buf.length);
            logBytes[0] += buf.length;
        });
        logLines[0] += deploymentLines;
        var totals = new ChunkStats(plan.model.personas().size(), plan.serviceKeys.length, plan.incidents.incidents.size());
        long chunks = cfg.chunks(), jobs = shard.chunks(chunks);
        int window = cfg.workers() * 2 + 1;
        var permits = new Semaphore(window);
        var next = new AtomicLong();
        var done = new ConcurrentHashMap<Long, Slot>();
        var pool = new ConcurrentLinkedQueue<Slot>();
        var failure = new AtomicReference<Throwable>();
        Object signal = new Object();
        var threads = new ArrayList<Thread>();
        for (int w = 0; w < cfg.workers(); w++) {
            Thread th = new Thread(() -> {
                var gen = new EventGenerator(plan);
                try {
                    while (failure.get() == null) {
                        permits.acquire();
                        long j = next.getAndIncrement();
                        if (j >= jobs) {
                            permits.release();
                            return;
                        }
                        long c = shard.chunk(j);
                        Slot slot = pool.poll();
                        if (slot == null) slot = new Slot(plan);
                        slot.logs.clear();
                        slot.metrics.clear();
                        slot.stats.clear();
                        if (slot.requests != null) slot.requests.clear();
                        gen.generate(c, slot.logs, slot.metrics, slot.requests, slot.stats);
                        slot.roots = plan.slices.roots((int) c);
                        done.put(j, slot);
                        synchronized (signal) { signal.notifyAll(); }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    synchronized (signal) { signal.notifyAll(); }
                }
            }, "generate-" + w);
            th.setDaemon(true);
            threads.add(th);
            th.start();
        }
        try {
            for (long j = 0; j < jobs; j++) {
                long c = shard.chunk(j);
                Slot slot;
                synchronized (signal) {
                    while ((slot = done.remove(j)) == null) {
                        if (failure.get() != null) throw new IllegalStateException("generation failed: " + failure.get(), failure.get());
                        signal.wait(100);
                    }
                }
                int f = (int) (j % files);
                sink.write(MonitoringSink.Stream.LOGS, f, slot.logs.bytes, slot.logs.length);
                logBytes[f] += slot.logs.length;
                if (cfg.rawMetrics()) {
                    sink.write(MonitoringSink.Stream.METRICS, f, slot.metrics.bytes, slot.metrics.length);
                    metricBytes[f] += slot.metrics.length;
                }
                if (nativeMetrics != null) nativeMetrics.add(slot.requests, c + 1 < chunks ? plan.slices.startOf((int) c + 1) : Long.MAX_VALUE);
                rawSeries.add(slot.stats.rawSeries, slot.stats.rawSeriesCount);
                logLines[f] += slot.stats.logLines;
                metricLines[f] += slot.stats.metricLines;
                totals.add(slot.stats);
                long roots = slot.roots;
                pool.offer(slot);
                permits.release();
                progress.accept(roots);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } finally {
            failure.compareAndSet(null, new IllegalStateException("stopped"));
            for (Thread th : threads) th.interrupt();
        }
        NativeTotals nt = null;
        if (nativeMetrics != null) {
            nativeMetrics.finish();
            nt = new NativeTotals(nativeMetrics.seriesByMetric(), nativeMetrics.series(), nativeMetrics.samples(), nativeMetrics.lines(),
                    nativeMetrics.bytes(), nativeMetrics.exemplarPoints());
        }
        var list = new ArrayList<FileTotals>();
        for (int f = 0; f < files; f++)
            list.add(new FileTotals(MonitoringFiles.name(MonitoringSink.Stream.LOGS, f),
                    cfg.rawMetrics() ? MonitoringFiles.name(MonitoringSink.Stream.METRICS, f) : null,
                    nativeMetrics != null ? MonitoringFiles.name(MonitoringSink.Stream.NATIVE_METRICS, f) : null,
                    logLines[f], metricLines[f], nativeMetrics != null ? nativeMetrics.linesOfFile(f) : 0,
                    logBytes[f], metricBytes[f], nativeMetrics != null ? nativeMetrics.bytesOfFile(f) : 0));
        totals.logBytes = java.util.Arrays.stream(logBytes).sum();
        totals.metricBytes = java.util.Arrays.stream(metricBytes).sum();
        return new Result(totals, deploymentLines, list, nt, rawSeries.series(), rawSeries.seriesByMetric(), rawSeries.capped(),
                (System.nanoTime() - t0) / 1e9);
    }
}
