//SOURCES LiveRun.java LiveOptions.java LiveServer.java
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live step as a library call, shared by {@code live} and {@code generate-monitoring --live}: flags checked into
 * {@link LiveRun.Settings}, the sink of {@code --to} opened (files, stores, or null), the scrape endpoint started,
 * SIGINT/SIGTERM turned into a stop that flushes, the run, the summary and the exit code.
 */
final class LiveLaunch {
    private LiveLaunch() {}

    /** Checks the flags; IllegalArgumentException with one sentence naming the flag. */
    static LiveRun.Settings settings(Path model, long seed, LiveOptions live, String scenario, String duration, int files, Path output,
                                     String logFormat, Path schedule, String metrics, String scrapeInterval, double intensity) {
        // the historical request's checks of the shared flags (window and counts aside)
        var r = MonitoringGeneration.request(model, 1L, 1, output, seed, 1, files, schedule, "jsonl", logFormat, null, null, scenario,
                null, metrics, scrapeInterval);
        Scenario sc = r.scenario();
        long durationMicros = duration == null ? 0 : Scenario.parseDuration(duration).toNanos() / 1000;
        int users = live.users != null ? live.users : sc.users() > 0 ? sc.users() : 1000;
        if (live.serveMetrics != null) {
            LiveServer.address(live.serveMetrics);
            if (!r.nativeMetrics()) throw new IllegalArgumentException("--serve-metrics serves the native metrics: give --metrics native or both");
        }
        var drills = new ArrayList<Drill>();
        if (!live.inject.isEmpty()) {
            var names = PlatformModel.load(model).components().stream().map(InfraComponent::name).toList();
            for (String spec : live.inject) drills.add(Drill.parse(spec, names));
        }
        return new LiveRun.Settings(model, seed, users, live.rate, sc, durationMicros, files, output, r.extendedLogs(), schedule,
                r.rawMetrics(), r.nativeMetrics(), r.scrapeMillis(), new IncidentIntensity(intensity), drills);
    }

    /**
     * Runs live until the duration is over or a signal comes; 0 when everything was delivered, 1 when something was
     * not (or the run failed), 2 when a store does not answer or the endpoint cannot listen.
     */
    static int run(LiveRun.Settings s, StreamOptions stream, String serve, boolean quiet, boolean verbose, PrintStream out, PrintStream err) {
        MonitoringSink sink;
        boolean discard = stream.discard();
        var stores = stream.stores();
        try {
            if (discard) sink = new DiscardedOutput();
            else if (!stores.isEmpty())
                // the cumulative OTLP points of a live run start when its counters start: now
                sink = MonitoringStores.open(stream, LiveClock.SYSTEM.nowMicros(), !stream.files() ? null : () -> new MonitoringFiles(s.output(), s.files(),
                        MonitoringFiles.streams(s.rawMetrics(), s.nativeMetrics())));
            else sink = new MonitoringFiles(s.output(), s.files(), MonitoringFiles.streams(s.rawMetrics(), s.nativeMetrics()));
        } catch (UncheckedIOException e) {
            err.println("live: " + e.getMessage());
            return 2;
        }
        LiveRun run;
        try {
            Files.createDirectories(s.output());
            run = new LiveRun(s, LiveClock.SYSTEM, sink);
        } catch (Exception e) {
            try {
                sink.close();
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            err.println("live: " + e.getMessage());
            if (verbose) e.printStackTrace(err);
            return 1;
        }
        LiveServer server = null;
        if (serve != null) {
            try {
                server = LiveServer.start(LiveServer.address(serve), run);
            } catch (UncheckedIOException e) {
                run.stop("the endpoint could not listen", false);
                run.run(true);
                err.println("live: " + e.getMessage());
                return 2;
            }
            if (!quiet) out.printf(Locale.ROOT, "live: serving %s/metrics and the drill API (/incidents, /deployments)%n", server.url());
        }
        // SIGINT/SIGTERM: the JVM runs shutdown hooks; this one stops the run and waits for its summary, then ends the
        // process with the run's own exit code (0 when everything pending was delivered in time)
        var code = new AtomicInteger(1);
        var done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            run.stop("stopped by a signal", true);
            try {
                done.await(LiveRun.FLUSH_DEADLINE_SECONDS + 5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.flush();
            err.flush();
            Runtime.getRuntime().halt(code.get());
        }, "live-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            LiveRun.Result result = run.run(quiet);
            boolean delivered = true;
            String headline = null;
            if (sink instanceof MonitoringStores st) {
                delivered = st.delivered() && !run.cutOff();
                headline = st.headline();
            } else if (sink instanceof DiscardedOutput d) {
                headline = d.headline();
            }
            result.print(out, headline);
            if (sink instanceof MonitoringStores st) st.print(out, err);
            if (run.cutOff()) err.println("live: delivery was still under way " + LiveRun.FLUSH_DEADLINE_SECONDS + " s after the signal; what was in flight counts as not delivered");
            code.set(delivered ? 0 : 1);
        } catch (RuntimeException e) {
            err.println("live: " + e.getMessage());
            if (sink instanceof MonitoringStores st) st.print(err, err);
            if (verbose) e.printStackTrace(err);
            code.set(1);
        } finally {
            if (server != null) server.close();
            out.flush();
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // a signal came: the hook ends the process with the code
            }
        }
        return code.get();
    }
}
