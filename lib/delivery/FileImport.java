import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads JSON-lines files into a {@link BatchSender}, {@code readers} files at a time, each streamed line by line.
 * Lines the checkpoint already holds are skipped unread; bad lines are reported as {@code file:line: reason},
 * counted and skipped (or stop the run with {@code failFast}). Bytes go to the progress bar in KiB.
 */
final class FileImport {
    /** Bad lines printed in full before the rest are only counted. */
    static final int PRINTED_BAD_LINES = 50;

    private FileImport() {}

    static <R> void run(List<Path> files, int readers, LineParser<R> parser, BatchSender<R> sender, Checkpoint checkpoint,
                        DeliveryStats stats, boolean failFast, Progress progress, java.io.PrintStream err) {
        var printed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(readers, files.size())),
                r -> Thread.ofPlatform().daemon().name("reader").unstarted(r));
        try {
            var futures = files.stream().map(f -> (Future<?>) pool.submit(() ->
                    readOne(f, parser, sender, checkpoint, stats, failFast, progress, err, printed))).toList();
            for (Future<?> fu : futures) {
                try {
                    fu.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    stats.unreadable.increment();
                    stats.problem(String.valueOf(e.getCause().getMessage()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdownNow();
        }
    }

    private static <R> void readOne(Path file, LineParser<R> parser, BatchSender<R> sender, Checkpoint checkpoint,
                                    DeliveryStats stats, boolean failFast, Progress progress, java.io.PrintStream err,
                                    AtomicInteger printed) {
        String key = Checkpoint.sourceKey(file);
        Checkpoint.Done done = checkpoint.done(key);
        long pendingBytes = 0;
        try (var reader = new JsonLinesReader(file); var stream = sender.stream(key)) {
            for (JsonLinesReader.Line line : reader) {
                long size = line.text().length() + 1L;
                pendingBytes += size;
                if (pendingBytes >= 1 << 20) {
                    progress.step(pendingBytes >> 10);
                    pendingBytes &= 1023;
                }
                if (sender.aborted() != null) return;
                if (!done.isEmpty() && done.contains(line.number())) {
                    stats.skipped.increment();
                    continue;
                }
                stats.read.increment();
                stats.inputBytes.add(size);
                R record;
                try {
                    record = parser.parse(line);
                } catch (JsonLinesReader.BadLineException bad) {
                    stats.bad.increment();
                    if (printed.incrementAndGet() <= PRINTED_BAD_LINES) err.println("bad line: " + bad.getMessage());
                    if (failFast) sender.abort(bad.getMessage());
                    continue;
                }
                stream.add(record, line.number());
            }
        } finally {
            progress.step(pendingBytes >> 10);
        }
    }
}
