import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Runs a {@link GenerationPlan}: workers generate chunks in any order, the calling thread writes them in chunk
 * order, chunk {@code c} to {@code logs_(c % files).jsonl} and {@code metrics_(c % files).jsonl}, so the files are
 * the same bytes for any worker count. At most {@code 2 x workers + 1} chunks are in memory at once.
 * Deployment lines open {@code logs_0.jsonl}.
 */
final class MonitoringRun {
    /** Lines and bytes of one logs_N / metrics_N pair. */
    record FileTotals(String logs, String metrics, long logLines, long metricLines, long logBytes, long metricBytes) {}

    record Result(ChunkStats totals, long deploymentLines, List<FileTotals> files, double seconds) {
        long records() { return totals.logLines + totals.metricLines + deploymentLines; }
        long bytes() { return files.stream().mapToLong(f -> f.logBytes() + f.metricBytes()).sum(); }
    }

    private static final class Slot {
        final JsonLineBuffer logs = new JsonLineBuffer(1 << 20), metrics = new JsonLineBuffer(1 << 21);
        final ChunkStats stats;
        long roots;

        Slot(GenerationPlan plan) {
            stats = new ChunkStats(plan.model.personas().size(), plan.serviceKeys.length, plan.incidents.incidents.size());
        }
    }

    private MonitoringRun() {}

    static Result run(GenerationPlan plan, LongConsumer progress) {
        long t0 = System.nanoTime();
        GenerateConfig cfg = plan.cfg;
        int files = cfg.files();
        FileChannel[] logs = new FileChannel[files], metrics = new FileChannel[files];
        long[] logLines = new long[files], metricLines = new long[files], logBytes = new long[files], metricBytes = new long[files];
        try {
            Files.createDirectories(cfg.output());
            removeStaleParts(cfg.output(), files);
            for (int f = 0; f < files; f++) {
                logs[f] = open(cfg.output().resolve("logs_" + f + ".jsonl"));
                metrics[f] = open(cfg.output().resolve("metrics_" + f + ".jsonl"));
            }
            long deploymentLines = DeploymentLog.write(plan, buf -> logBytes[0] += write(logs[0], buf));
            logLines[0] += deploymentLines;

            var totals = new ChunkStats(plan.model.personas().size(), plan.serviceKeys.length, plan.incidents.incidents.size());
            long chunks = cfg.chunks();
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
                            long c = next.getAndIncrement();
                            if (c >= chunks) {
                                permits.release();
                                return;
                            }
                            Slot slot = pool.poll();
                            if (slot == null) slot = new Slot(plan);
                            slot.logs.clear();
                            slot.metrics.clear();
                            slot.stats.clear();
                            gen.generate(c, slot.logs, slot.metrics, slot.stats);
                            slot.roots = Math.min(cfg.roots(), (c + 1) * cfg.chunkRoots()) - c * cfg.chunkRoots();
                            done.put(c, slot);
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
                for (long c = 0; c < chunks; c++) {
                    Slot slot;
                    synchronized (signal) {
                        while ((slot = done.remove(c)) == null) {
                            if (failure.get() != null) throw new IllegalStateException("generation failed: " + failure.get(), failure.get());
                            signal.wait(100);
                        }
                    }
                    int f = (int) (c % files);
                    logBytes[f] += write(logs[f], slot.logs);
                    metricBytes[f] += write(metrics[f], slot.metrics);
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
            var list = new ArrayList<FileTotals>();
            for (int f = 0; f < files; f++)
                list.add(new FileTotals("logs_" + f + ".jsonl", "metrics_" + f + ".jsonl", logLines[f], metricLines[f], logBytes[f], metricBytes[f]));
            totals.logBytes = java.util.Arrays.stream(logBytes).sum();
            totals.metricBytes = java.util.Arrays.stream(metricBytes).sum();
            return new Result(totals, deploymentLines, list, (System.nanoTime() - t0) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException(cfg.output() + ": cannot write (" + e.getMessage() + ")", e);
        } finally {
            for (FileChannel ch : logs) closeQuietly(ch);
            for (FileChannel ch : metrics) closeQuietly(ch);
        }
    }

    /** Parts left by an earlier run with more --files would be imported with this run's: remove them. */
    private static void removeStaleParts(Path dir, int files) throws IOException {
        try (var list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                var m = java.util.regex.Pattern.compile("(logs|metrics)_(\\d+)\\.jsonl").matcher(p.getFileName().toString());
                if (m.matches() && Long.parseLong(m.group(2)) >= files) Files.delete(p);
            }
        }
    }

    private static FileChannel open(Path p) throws IOException {
        return FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static long write(FileChannel ch, JsonLineBuffer buf) {
        try {
            ByteBuffer bb = ByteBuffer.wrap(buf.bytes, 0, buf.length);
            while (bb.hasRemaining()) ch.write(bb);
            return buf.length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing left to save
        }
    }
}
