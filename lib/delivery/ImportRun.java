import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One importer run from files to a store, the part every import step shares: expand inputs, read the server's
 * counters, stream the files through a {@link BatchSender}, read the counters again, print the summary (first line
 * {@code <step>: done in X.X s, ...}) and answer the exit code: 0 when every good record was acknowledged and the
 * server's counters agree, 1 otherwise (bad lines too, unless {@code --skip-bad}), 2 when the run could not start.
 *
 * @param step           the alias, e.g. import-vm
 * @param url            the store's base URL
 * @param unit           what a record is called in the summary (samples, logs, spans)
 * @param directoryGlob  files taken from a directory argument, e.g. {@code metrics_*.jsonl*}
 * @param counters       the store's /metrics counters, or null when it has none worth reading
 */
record ImportRun<R>(String step, URI url, String unit, String directoryGlob, LineParser<R> parser, WireFormat<R> format,
                    ServerCounters counters) {

    /** What a run did, for callers that want numbers rather than text (the pipeline, the benchmark). */
    record Result(int exitCode, DeliveryStats stats, double seconds, long undeliveredByServer) {}

    int run(List<String> inputs, DeliveryOptions o, PrintStream out, PrintStream err) {
        return execute(inputs, o, out, err).exitCode();
    }

    Result execute(List<String> inputs, DeliveryOptions o, PrintStream out, PrintStream err) {
        long t0 = System.nanoTime();
        var stats = new DeliveryStats();
        List<Path> files;
        try {
            files = InputFiles.expand(inputs, directoryGlob);
        } catch (RuntimeException e) {
            err.println(step + ": " + e.getMessage());
            return new Result(2, stats, 0, 0);
        }
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        ServerCounters.Reading before = null;
        String counterNote = o.noServerCounters ? "not read (--no-server-counters)" : null;
        if (counters != null && !o.noServerCounters) {
            try {
                before = counters.read(http);
                if (!before.available()) counterNote = "not checked: " + before.note();
            } catch (IOException e) {
                err.println(step + ": cannot reach " + url + " (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); is the server running? Try --url.");
                return new Result(2, stats, 0, 0);
            }
        } else if (counters == null && counterNote == null) {
            counterNote = "not available for this store";
        }
        Path cpFile = o.checkpointFor(step, url);
        var config = o.senderConfig(url);
        long totalKib = InputFiles.totalBytes(files) >> 10;
        try (var checkpoint = Checkpoint.open(cpFile, o.resume);
             var progress = Progress.start(step, totalKib, "KiB", o.quiet)) {
            var sender = new BatchSender<>(format, config, stats, checkpoint);
            try {
                FileImport.run(files, o.readers, parser, sender, checkpoint, stats, o.failFast, progress, err);
            } finally {
                sender.close();
            }
            long undeliveredByServer = 0;
            String serverLine = counterNote;
            if (before != null && before.available()) {
                ServerCounters.Reading after = settle(http, before, stats.acknowledged.sum());
                if (after == null || !after.available()) {
                    serverLine = "not checked: counters unreadable after the run";
                } else {
                    long acc = Math.round(after.accepted() - before.accepted());
                    long ref = Math.round(after.refusedRows() - before.refusedRows());
                    long fr = Math.round(after.failedRequests() - before.failedRequests());
                    long missing = Math.max(0, stats.acknowledged.sum() - acc);
                    undeliveredByServer = Math.max(missing, ref);
                    serverLine = String.format(Locale.ROOT, "+%d accepted, +%d dropped, +%d failed requests (%s)%s",
                            acc, ref, fr, counters.metricsUrl(),
                            undeliveredByServer > 0 ? ": " + undeliveredByServer + " acknowledged but not stored" : "");
                    if (fr > 0 && undeliveredByServer == 0) undeliveredByServer = -1; // errors without a row count
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            int code = summary(out, err, stats, secs, files.size(), config, sender, checkpoint, serverLine, undeliveredByServer, o);
            return new Result(code, stats, secs, Math.max(0, undeliveredByServer));
        }
    }

    /** Reads the counters until they cover what was acknowledged or stop moving (some servers cache /metrics ~1 s). */
    private ServerCounters.Reading settle(HttpClient http, ServerCounters.Reading before, long acknowledged) {
        ServerCounters.Reading last = null;
        for (int i = 0; i < 12; i++) {
            try {
                var r = counters.read(http);
                if (!r.available()) return r;
                boolean covered = r.accepted() - before.accepted() >= acknowledged;
                if (covered || (last != null && r.accepted() == last.accepted() && i >= 3)) return r;
                last = r;
                Thread.sleep(500);
            } catch (IOException e) {
                return last;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return last;
            }
        }
        return last;
    }

    private int summary(PrintStream out, PrintStream err, DeliveryStats s, double secs, int files, BatchSender.Config config,
                        BatchSender<R> sender, Checkpoint checkpoint, String serverLine, long undeliveredByServer, DeliveryOptions o) {
        long acked = s.acknowledged.sum();
        double mbIn = s.inputBytes.sum() / 1e6;
        long notDelivered = s.failed.sum() + s.rejected.sum() + Math.max(0, undeliveredByServer);
        out.printf(Locale.ROOT, "%s: done in %.1f s, %d %s acknowledged (%.0f/s, %.1f MB/s), %d not delivered, %d bad lines%n",
                step, secs, acked, unit, acked / Math.max(secs, 1e-9), mbIn / Math.max(secs, 1e-9), notDelivered, s.bad.sum());
        out.printf(Locale.ROOT, "  target        %s%n", sender.target());
        out.printf(Locale.ROOT, "  files         %d (%d read at a time)%n", files, Math.min(files, o.readers));
        out.printf(Locale.ROOT, "  read          %d lines, %.1f MB%n", s.read.sum(), mbIn);
        if (s.skipped.sum() > 0) out.printf(Locale.ROOT, "  skipped       %d lines acknowledged by an earlier run (--resume)%n", s.skipped.sum());
        out.printf(Locale.ROOT, "  bad           %d lines%s%n", s.bad.sum(), s.bad.sum() > 0 ? " (file:line and reason on stderr)" : "");
        out.printf(Locale.ROOT, "  sent          %d %s in %d requests, %.1f MB body, %.1f MB on the wire%s%n", s.sent.sum(), unit,
                s.requests.sum(), s.bodyBytes.sum() / 1e6, s.wireBytes.sum() / 1e6, config.gzip() && format.acceptsGzip() ? " (gzip)" : "");
        out.printf(Locale.ROOT, "  acknowledged  %d%n", acked);
        out.printf(Locale.ROOT, "  retried       %d requests%n", s.retried.sum());
        out.printf(Locale.ROOT, "  failed        %d %s%s%n", s.failed.sum(), unit, s.rejected.sum() > 0 ? ", " + s.rejected.sum() + " refused inside 2xx answers" : "");
        out.printf(Locale.ROOT, "  server        %s%n", serverLine);
        var c = sender.concurrency();
        out.printf(Locale.ROOT, "  concurrency   ceiling %d, ended at %.1f, lowest %.1f, %d backoffs%n", c.ceiling(), c.limit(), c.lowest(), c.decreases());
        out.printf(Locale.ROOT, "  checkpoint    %s%n", checkpoint.file());
        if (s.unreadable.sum() > 0) out.printf(Locale.ROOT, "  unreadable    %d files%n", s.unreadable.sum());
        if (sender.aborted() != null) out.printf(Locale.ROOT, "  stopped       --fail-fast: %s%n", sender.aborted());
        for (String p : s.problems()) err.println(step + ": " + p);
        if (s.problemCount() > DeliveryStats.KEPT_PROBLEMS) err.println(step + ": ... " + (s.problemCount() - DeliveryStats.KEPT_PROBLEMS) + " more problems");
        boolean ok = notDelivered == 0 && undeliveredByServer == 0 && s.unreadable.sum() == 0 && sender.aborted() == null
                && (s.bad.sum() == 0 || o.skipBad);
        if (!ok && notDelivered > 0) err.println(step + ": " + notDelivered + " " + unit + " not delivered; run again with --resume to send what is missing");
        return ok ? 0 : 1;
    }
}
