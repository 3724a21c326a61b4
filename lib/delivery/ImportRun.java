import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One importer run from files to a store, the part every import step shares: expand inputs, read the server's
 * counters ({@link CounterCheck}), stream the files through a {@link BatchSender}, read the counters again, print the
 * summary ({@link DeliveryReport}; first line
 * {@code <step>: done in X.X s, ...}) and answer the exit code: 0 when every good record was acknowledged and the
 * server's counters agree, 1 otherwise (bad lines too, unless {@code --skip-bad}), 2 when the run could not start.
 *
 * @param step           the alias, e.g. import-vm
 * @param endpoints      where the store takes records, each with its tenant and counters (several share the batches)
 * @param unit           what a record is called in the summary (samples, logs, spans)
 * @param directoryGlob  files taken from a directory argument, e.g. {@code metrics_*.jsonl*}
 */
record ImportRun<R>(String step, List<StoreEndpoint> endpoints, String unit, String directoryGlob, LineParser<R> parser,
                    WireFormat<R> format) {

    ImportRun {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) throw new IllegalArgumentException(step + ": no store URL");
    }

    /** One endpoint without a tenant; {@code counters} null when the store has none worth reading. */
    ImportRun(String step, URI url, String unit, String directoryGlob, LineParser<R> parser, WireFormat<R> format,
              ServerCounters counters) {
        this(step, List.of(StoreEndpoint.plain(url, counters)), unit, directoryGlob, parser, format);
    }

    /** What a run did, for callers that want numbers rather than text (the pipeline, the benchmark). */
    record Result(int exitCode, DeliveryStats stats, double seconds, long undeliveredByServer) {}

    /**
     * An importer's whole call: the store's endpoints from {@code urls} and {@code --tenant} (made by the store's
     * {@code endpoint} factory), then the run {@code importer} builds on them, printing to stdout/stderr; a wrong
     * tenant or a URL given twice is one line on stderr and exit 2, before anything is read.
     */
    static int run(String step, List<URI> urls, java.util.function.BiFunction<URI, String, StoreEndpoint> endpoint,
                   List<String> inputs, DeliveryOptions o, java.util.function.Function<List<StoreEndpoint>, ImportRun<?>> importer) {
        List<StoreEndpoint> endpoints;
        try {
            endpoints = StoreEndpoint.all(urls, o.tenant, endpoint);
        } catch (IllegalArgumentException e) {
            System.err.println(step + ": " + e.getMessage());
            return 2;
        }
        return importer.apply(endpoints).run(inputs, o, System.out, System.err);
    }

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
        var checks = new ArrayList<CounterCheck>();
        for (StoreEndpoint e : endpoints) {
            try {
                checks.add(CounterCheck.start(e.base(), e.counters(), o.noServerCounters));
            } catch (IOException ex) {
                err.println(step + ": cannot reach " + e.base() + " (" + CounterCheck.why(ex) + "); is the server running? Try --url.");
                return new Result(2, stats, 0, 0);
            }
        }
        Path cpFile = o.checkpointFor(step, endpoints);
        var config = o.senderConfig(endpoints);
        long totalKib = InputFiles.totalBytes(files) >> 10;
        try (var checkpoint = Checkpoint.open(cpFile, o.resume);
             var progress = Progress.start(step, totalKib, "KiB", o.quiet)) {
            var sender = new BatchSender<>(format, config, stats, checkpoint);
            try {
                FileImport.run(files, o.readers, parser, sender, checkpoint, stats, o.failFast, progress, err);
            } finally {
                sender.close();
            }
            var verdicts = new ArrayList<CounterCheck.Verdict>();
            var routes = sender.routes();
            for (int i = 0; i < routes.size(); i++) verdicts.add(checks.get(i).finish(routes.get(i).acknowledged.sum()));
            var report = new DeliveryReport(unit, stats, sender, config.gzip() && format.acceptsGzip(), verdicts);
            for (StoreEndpoint dead : report.unverifiedEndpoints()) checkpoint.forget(dead.key()); // --resume sends them to the others
            double secs = (System.nanoTime() - t0) / 1e9;
            int code = summary(out, err, report, secs, files.size(), checkpoint, o);
            return new Result(code, stats, secs, Math.max(0, report.server().undelivered()));
        }
    }

    private int summary(PrintStream out, PrintStream err, DeliveryReport report, double secs, int files, Checkpoint checkpoint,
                        DeliveryOptions o) {
        var s = report.stats();
        long acked = s.acknowledged.sum();
        double mbIn = s.inputBytes.sum() / 1e6;
        long notDelivered = report.notDelivered();
        out.printf(Locale.ROOT, "%s: done in %.1f s, %d %s acknowledged (%.0f/s, %.1f MB/s), %d not delivered, %d bad lines%n",
                step, secs, acked, unit, acked / Math.max(secs, 1e-9), mbIn / Math.max(secs, 1e-9), notDelivered, s.bad.sum());
        String tenant = endpoints.get(0).tenant();
        out.printf(Locale.ROOT, "  target        %s%s%s%n", report.sender().target(), tenant.isEmpty() ? "" : " (tenant " + tenant + ")",
                endpoints.size() > 1 ? " and " + (endpoints.size() - 1) + " more endpoint(s)" : "");
        out.printf(Locale.ROOT, "  files         %d (%d read at a time)%n", files, Math.min(files, o.readers));
        report.print(out, "  ");
        out.printf(Locale.ROOT, "  checkpoint    %s%n", checkpoint.file());
        if (s.unreadable.sum() > 0) out.printf(Locale.ROOT, "  unreadable    %d files%n", s.unreadable.sum());
        report.problems(err, step);
        boolean ok = report.delivered() && s.unreadable.sum() == 0 && (s.bad.sum() == 0 || o.skipBad);
        long storeLost = Math.max(0, report.server().undelivered());
        if (!ok && notDelivered > storeLost)
            err.println(step + ": " + (notDelivered - storeLost) + " " + unit + " not delivered; run again with --resume to send what is missing");
        // the checkpoint holds them as acknowledged, so --resume would not send them again
        if (storeLost > 0) err.println(step + ": " + storeLost + " " + unit + " acknowledged, then not stored by the server's own counters"
                + " (reasons on the server line); --resume will not send them again: fix the cause on the server (its limits), then send those files anew");
        for (StoreEndpoint dead : report.unverifiedEndpoints())
            err.println(step + ": the checkpoint no longer holds what " + dead.base() + " acknowledged; to send it to the others, run again with"
                    + " --resume --checkpoint " + checkpoint.file() + " and the endpoints that answer");
        return ok ? 0 : 1;
    }
}
