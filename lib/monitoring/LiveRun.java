//SOURCES LiveClock.java LivePace.java LiveGroundTruth.java Drill.java
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;

/**
 * Live mode ({@code generate-monitoring --live}, {@code live}): the same generator, native metrics and sinks as a
 * historical run, on wall-clock time. Every {@link #TICK_MICROS} the run makes the roots {@link LivePace} says are
 * due for the stretch of time just passed, stamped inside it, and hands their logs and raw metrics to the sink; the
 * native counters take the requests as they happen and write a sample at every scrape-interval boundary the clock
 * crosses. Incidents, deployment windows and traffic bursts come from a plan drawn over the run's horizon
 * ({@code --duration}, at most {@link #MAX_HORIZON_DAYS} days) at the model's rates, plus drills injected from the
 * command line or the control API; each start and end is a line of {@code incidents.jsonl} when the clock passes it.
 *
 * <p>Determinism: tick {@code k} draws from the generator of chunk number {@code k}, so the same seed and the same
 * clock readings give the same bytes; only the wall-clock times (and what depends on them) differ between real runs.
 *
 * <p>One thread generates; other threads (a signal, the control API, the scrape endpoint) talk to it through
 * {@link #stop}, {@link #command} and {@link #expose}.
 */
final class LiveRun {
    static final long TICK_MICROS = 100_000;
    static final long FLUSH_MICROS = 1_000_000;
    static final int MAX_HORIZON_DAYS = 365;
    private static final long DAY = 86_400_000_000L;

    /** The validated flags of a live run; {@code rate} null means the scenario's; {@code durationMicros} 0: until stopped. */
    record Settings(Path modelDir, long seed, int users, Double rate, Scenario scenario, long durationMicros, int files, Path output,
                    boolean extendedLogs, Path schedule, boolean rawMetrics, boolean nativeMetrics, long scrapeMillis,
                    IncidentIntensity intensity, List<Drill> drills) {
        Settings {
            if (rate == null && scenario.rootsPerSecond() <= 0) throw new IllegalArgumentException("give --rate or --scenario realistic|stress");
            if (rate != null && (!(rate > 0) || rate.isInfinite())) throw new IllegalArgumentException("--rate must be a positive number, got " + rate);
            if (durationMicros < 0 || durationMicros > MAX_HORIZON_DAYS * DAY)
                throw new IllegalArgumentException("--duration must be at most " + MAX_HORIZON_DAYS + "d in live mode");
            if (users < 1) throw new IllegalArgumentException("--users must be at least 1, got " + users);
            drills = List.copyOf(drills);
        }
    }

    /** What a run did, for its summary. */
    record Result(String stopReason, long startMicros, long stopMicros, double targetRate, boolean weighted, long due, long skipped,
                  ChunkStats totals, long deploymentLines, long nativeSamples, long incidents, long injectedIncidents,
                  long deployments, long injectedDeployments, long bursts, Path groundTruth, long groundTruthLines, long scrapes) {
        double seconds() { return (stopMicros - startMicros) / 1e6; }

        long logs() { return totals.logLines + deploymentLines; }

        /** Request and child-span log lines: each is one span of a trace. */
        long spans() { return totals.roots + totals.children; }

        /** The one-screen summary; {@code streamed} (where the data went) ends the first line. */
        void print(PrintStream out, String streamed) {
            out.printf(Locale.ROOT, "live: %s after %.1f s (%s .. %s): %,d roots, %,d logs, %,d spans, %,d raw samples, %,d native samples%s%n",
                    stopReason, seconds(), GroundTruthFile.iso(startMicros), GroundTruthFile.iso(stopMicros), totals.roots, logs(), spans(),
                    totals.metricLines, nativeSamples, streamed == null ? "" : ", " + streamed);
            double achieved = seconds() > 0 ? (totals.roots + totals.dropped) / seconds() : 0;
            out.printf(Locale.ROOT, "  rate         %,.1f roots/s achieved, target %,.1f/s%s: %,d of %,d due made, %,d skipped while behind, %,d dropped by deployment dips%n",
                    achieved, seconds() > 0 ? due / seconds() : targetRate, weighted ? " (hour-of-week weights and bursts)" : "",
                    totals.roots + totals.dropped, due, skipped, totals.dropped);
            out.printf(Locale.ROOT, "  levels       INFO %,d  WARN %,d  ERROR %,d%n", totals.levels[0] + deploymentLines, totals.levels[1], totals.levels[2]);
            out.printf(Locale.ROOT, "  errors       infrastructure %,d  dependency %,d  deployment %,d  self %,d%n",
                    totals.sources[0], totals.sources[1], totals.sources[2], totals.sources[3]);
            out.printf(Locale.ROOT, "  ground truth %,d incidents (%,d injected), %,d deployment windows (%,d injected), %,d bursts -> %s (%,d lines)%n",
                    incidents, injectedIncidents, deployments, injectedDeployments, bursts, groundTruth, groundTruthLines);
            if (scrapes > 0) out.printf(Locale.ROOT, "  scraped      /metrics answered %,d scrapes%n", scrapes);
        }
    }

    private static final int INCIDENT = 0, DEPLOYMENT = 1, BURST = 2;

    /** Something that starts or ends at {@code time}: kind, index (incident id, window number, burst number). */
    private record Event(long time, long seq, boolean start, int kind, int index) {}

    private final Settings settings;
    private final long tick;
    private final LiveClock clock;
    private final MonitoringSink sink;
    final GenerationPlan plan;
    final long startMicros;
    private long endMicros;
    private LivePace pace;
    private long begin;
    private final EventGenerator generator;
    private final NativeMetrics nativeMetrics;
    private final LiveGroundTruth truth;
    private final Object lock = new Object();
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    private long eventSeq;
    private final List<Boolean> incidentInjected = new ArrayList<>();
    private final List<String> incidentState = new ArrayList<>();   // pending, active, ended, cancelled
    private final List<DeploymentWindow> windows = new ArrayList<>();
    private final List<Boolean> windowInjected = new ArrayList<>();
    private final List<String> windowState = new ArrayList<>();
    private final JsonLineBuffer logs = new JsonLineBuffer(1 << 16), metrics = new JsonLineBuffer(1 << 16);
    private final ChunkRequests requests;
    private ChunkStats stats, totals;
    private long ticks, deploymentLines, lastScrapeMs, lastFlush, exposedMs, scrapes, now;
    private volatile String stopReason;
    private volatile boolean signalled;
    private volatile boolean finished;
    private volatile long signalNanos;
    private volatile boolean undelivered;

    LiveRun(Settings s, LiveClock clock, MonitoringSink sink) {
        this(s, clock, sink, TICK_MICROS);
    }

    /** With ticks of {@code tickMicros} (a test running days of traffic on a fake clock takes longer ones). */
    LiveRun(Settings s, LiveClock clock, MonitoringSink sink, long tickMicros) {
        if (tickMicros < 1000 || tickMicros % 1000 != 0) throw new IllegalArgumentException("tick must be whole milliseconds");
        this.tick = tickMicros;
        this.settings = s;
        this.clock = clock;
        this.sink = sink;
        this.startMicros = clock.nowMicros() / 1000 * 1000;
        long horizon = s.durationMicros() > 0 ? s.durationMicros() : MAX_HORIZON_DAYS * DAY;
        this.endMicros = startMicros + horizon;
        PlatformModel model = PlatformModel.load(s.modelDir());
        // one root and one chunk: the plan's slices are never used for timing, only its incidents, windows, bursts, model tables
        var cfg = new GenerateConfig(s.modelDir(), s.seed(), 1, s.users(), startMicros, endMicros, 1, s.files(), s.output(), s.extendedLogs(),
                s.schedule(), s.scenario(), GenerateConfig.DEFAULT_CHUNK_ROOTS, s.rawMetrics(), s.nativeMetrics(), s.scrapeMillis(),
                Shard.WHOLE, s.intensity());
        this.plan = new GenerationPlan(model, cfg);
        boolean weighted = s.scenario().rootsPerSecond() > 0;
        this.pace = new LivePace(s.rate() != null ? s.rate() : s.scenario().rootsPerSecond(), weighted ? plan.slices : null, startMicros);
        this.generator = new EventGenerator(plan);
        this.nativeMetrics = s.nativeMetrics() ? new NativeMetrics(plan, sink, 1_000, MonitoringRun.BUFFERED_SAMPLES) : null;
        this.requests = s.nativeMetrics() ? new ChunkRequests() : null;
        this.truth = new LiveGroundTruth(s.output().resolve("incidents.jsonl"));
        for (Incident i : plan.incidents.incidents) {
            incidentInjected.add(false);
            incidentState.add("pending");
            schedule(i.startMicros(), true, INCIDENT, i.id());
            schedule(i.endMicros(), false, INCIDENT, i.id());
        }
        for (DeploymentWindow w : plan.deployments.windows) addWindow(w, false);
        for (int b = 0; b < plan.bursts.bursts.size(); b++) {
            schedule(plan.bursts.bursts.get(b).startMicros(), true, BURST, b);
            schedule(plan.bursts.bursts.get(b).endMicros(), false, BURST, b);
        }
        for (Drill d : s.drills()) injectIncident(d.component(), d.rate(), startMicros + d.startAfterMicros(), d.durationMicros());
        stats = newStats();
        totals = newStats();
        lastScrapeMs = Math.floorDiv(startMicros / 1000, s.scrapeMillis()) * s.scrapeMillis();
        exposedMs = startMicros / 1000;
        now = startMicros;
    }

    private ChunkStats newStats() {
        return new ChunkStats(plan.model.personas().size(), plan.serviceKeys.length, plan.incidents.incidents.size());
    }

    private void schedule(long time, boolean start, int kind, int index) {
        events.add(new Event(time, eventSeq++, start, kind, index));
    }

    private void addWindow(DeploymentWindow w, boolean injected) {
        windows.add(w);
        windowInjected.add(injected);
        windowState.add("pending");
        schedule(w.startMicros(), true, DEPLOYMENT, windows.size() - 1);
        schedule(w.endMicros(), false, DEPLOYMENT, windows.size() - 1);
    }

    // ---- from other threads ----

    /** Ends the run after the tick in progress ({@code reason}: "stopped by SIGTERM"); a signal's stop flushes within 10 s. */
    void stop(String reason, boolean signal) {
        if (signal && !signalled) signalNanos = System.nanoTime();
        signalled |= signal;
        if (stopReason == null) stopReason = reason;
    }

    boolean finished() { return finished; }

    /**
     * Runs {@code f} on the generating thread between two ticks, with the time up to which the run has generated, and
     * returns its result; waits at most 10 s. For the control API: every change of the plan happens on that thread.
     */
    <T> T command(LongFunction<T> f) {
        if (finished) throw new IllegalStateException("the live run has ended");
        var future = new CompletableFuture<T>();
        commands.add(() -> {
            try {
                future.complete(f.apply(now));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        });
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(finished ? "the live run has ended" : "the live run did not answer within 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** The native metrics as a scrape sees them now (see {@link NativeMetrics#expose}); counts the scrape. */
    void expose(JsonLineBuffer out, boolean openMetrics) {
        synchronized (lock) {
            if (nativeMetrics == null) throw new IllegalStateException("no native metrics in this run");
            nativeMetrics.expose(out, openMetrics, exposedMs);
            scrapes++;
        }
    }

    // ---- the generating thread ----

    /** Runs until the duration is over or {@link #stop} is called; closes the sink; the summary's figures. */
    Result run(boolean quiet) {
        long expected = settings.durationMicros() > 0 ? Math.round(pace.baseRate() * settings.durationMicros() / 1e6) : -1;
        try (var progress = Progress.start("live", expected, "roots", quiet)) {
            // traffic is due from now on, not from when the plan was made (loading the model takes a moment)
            begin = Math.max(startMicros, Math.min(endMicros, clock.nowMicros() / 1000 * 1000));
            if (settings.durationMicros() > 0) endMicros = begin + settings.durationMicros();
            pace = new LivePace(pace.baseRate(), pace.weighted() ? plan.slices : null, begin);
            truth.write("live_start", begin, startFields());
            long last = begin;
            while (stopReason == null) {
                if (last >= endMicros) {
                    stop("--duration over", false);
                    break;
                }
                try {
                    clock.sleepUntil(Math.min(endMicros, last + tick));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop("interrupted", true);
                    break;
                }
                if (stopReason != null) break;
                long to = Math.min(endMicros, clock.nowMicros() / 1000 * 1000); // whole milliseconds: exact scrape timestamps
                if (to <= last) continue;
                long made = tick(last, to);
                last = to;
                progress.step(made);
            }
            Result r = finish(last);
            closeSink();
            return r;
        } finally {
            finished = true;
            runCommands(); // answer what came in meanwhile (with an error where the run is over)
        }
    }

    /**
     * Closes the sink: everything pending is delivered. After a signal, what is not delivered
     * {@link #FLUSH_DEADLINE_SECONDS} after it is given up (counted as not delivered) so the process ends in time.
     */
    private void closeSink() {
        if (!signalled) {
            sink.close();
            return;
        }
        var failure = new java.util.concurrent.atomic.AtomicReference<RuntimeException>();
        Thread closer = Thread.ofPlatform().daemon().name("live-close").start(() -> {
            try {
                sink.close();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        try {
            long left = signalNanos + TimeUnit.SECONDS.toNanos(FLUSH_DEADLINE_SECONDS - 1) - System.nanoTime();
            closer.join(Math.max(1, left / 1_000_000));
            if (closer.isAlive() && sink instanceof MonitoringStores stores) {
                stores.abort("not delivered within " + FLUSH_DEADLINE_SECONDS + " s of the stop signal");
                closer.join(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) undelivered = true;
        if (failure.get() != null) throw failure.get();
    }

    /** Whether delivery was still under way when the deadline after a signal passed (its batches count as not delivered). */
    boolean cutOff() { return undelivered; }

    private void runCommands() {
        for (Runnable r; (r = commands.poll()) != null; ) r.run();
    }

    private long tick(long from, long to) {
        now = from;
        runCommands();
        logs.clear();
        metrics.clear();
        if (requests != null) requests.clear();
        if (stats.incidentErrors.length != plan.incidents.incidents.size()) stats = newStats();
        else stats.clear();
        List<Event> ends = new ArrayList<>();
        boolean scraped = false;
        synchronized (lock) {
            while (!events.isEmpty() && events.peek().time() < to) {
                Event e = events.poll();
                if (e.start()) started(e);
                else ends.add(e);
            }
        }
        long n = pace.take(from, to);
        if (n > 0) generator.generate(ticks, n, plan.slices.liveDraw(from, to), logs, metrics, requests, stats);
        else if (requests != null) requests.sortByTime();
        int part = (int) (ticks % settings.files());
        ticks++;
        for (Event e : ends) if (e.kind() == DEPLOYMENT && isCurrent(e)) deploymentLine(e.index(), true);
        if (logs.length > 0) sink.write(MonitoringSink.Stream.LOGS, part, logs.bytes, logs.length);
        if (settings.rawMetrics() && metrics.length > 0) sink.write(MonitoringSink.Stream.METRICS, part, metrics.bytes, metrics.length);
        synchronized (lock) {
            if (totals.incidentErrors.length < stats.incidentErrors.length) {
                ChunkStats t = newStats();
                t.add(totals);
                totals = t;
            }
            totals.add(stats);
            if (nativeMetrics != null) {
                nativeMetrics.add(requests, to);
                long boundary = Math.floorDiv(to / 1000, settings.scrapeMillis()) * settings.scrapeMillis();
                if (boundary > lastScrapeMs) {
                    nativeMetrics.scrape(boundary);
                    lastScrapeMs = boundary;
                    scraped = true;
                }
            }
            exposedMs = to / 1000;
            for (Event e : ends) ended(e, e.time(), false);
        }
        now = to;
        // a scrape's samples are complete at once: send them now rather than at the next second's flush
        if (scraped || to - lastFlush >= FLUSH_MICROS) {
            sink.flush();
            lastFlush = to;
        }
        return n;
    }

    /** Whether an end event is still the one in force (a drill ended early re-schedules its end). */
    private boolean isCurrent(Event e) {
        return switch (e.kind()) {
            case INCIDENT -> plan.incidents.incidents.get(e.index() - 1).endMicros() == e.time() && incidentState.get(e.index() - 1).equals("active");
            case DEPLOYMENT -> windowState.get(e.index()).equals("active");
            default -> true;
        };
    }

    private void started(Event e) {
        switch (e.kind()) {
            case INCIDENT -> {
                int k = e.index() - 1;
                if (!incidentState.get(k).equals("pending")) return;
                incidentState.set(k, "active");
                Incident i = plan.incidents.incidents.get(k);
                truth.write("incident_start", i.startMicros(), LiveGroundTruth.incident(plan, i, incidentInjected.get(k)));
            }
            case DEPLOYMENT -> {
                windowState.set(e.index(), "active");
                DeploymentWindow w = windows.get(e.index());
                truth.write("deployment_start", w.startMicros(), LiveGroundTruth.deployment(w, windowInjected.get(e.index())));
                deploymentLine(e.index(), false);
            }
            default -> {
                var b = plan.bursts.bursts.get(e.index());
                truth.write("burst_start", b.startMicros(), burst(b));
            }
        }
    }

    private void deploymentLine(int w, boolean complete) {
        DeploymentLog.append(logs, plan, w, windows.get(w), complete);
        deploymentLines++;
    }

    /** Writes the end line of an event whose end has come ({@code stopped}: the run ends first, at {@code time}). */
    private void ended(Event e, long time, boolean stopped) {
        if (!isCurrent(e)) return;
        var m = new LinkedHashMap<String, Object>();
        switch (e.kind()) {
            case INCIDENT -> {
                int k = e.index() - 1;
                incidentState.set(k, "ended");
                Incident i = plan.incidents.incidents.get(k);
                m.put("id", i.id());
                m.put("component", i.component().name());
                m.put("start", GroundTruthFile.iso(i.startMicros()));
                m.put("end", GroundTruthFile.iso(stopped ? time : i.endMicros()));
                m.put("error_source", "infrastructure:" + i.component().name());
                m.put("observed_errors", totals.incidentErrors.length > k ? totals.incidentErrors[k] : 0);
                m.put("observed_cascade_errors", totals.incidentCascades.length > k ? totals.incidentCascades[k] : 0);
                m.put("injected", incidentInjected.get(k));
                if (stopped) m.put("stopped", true);
                truth.write("incident_end", time, m);
            }
            case DEPLOYMENT -> {
                windowState.set(e.index(), "ended");
                DeploymentWindow w = windows.get(e.index());
                m.put("release_id", w.releaseId());
                m.put("deployment_id", w.deploymentId());
                m.put("start", GroundTruthFile.iso(w.startMicros()));
                m.put("end", GroundTruthFile.iso(stopped ? time : w.endMicros()));
                m.put("injected", windowInjected.get(e.index()));
                if (stopped) m.put("stopped", true);
                truth.write("deployment_end", time, m);
            }
            default -> {
                var b = plan.bursts.bursts.get(e.index());
                var f = burst(b);
                if (stopped) f.put("stopped", true);
                truth.write("burst_end", time, f);
            }
        }
    }

    private static Map<String, Object> burst(TrafficBursts.Burst b) {
        return GroundTruthFile.ordered("start", GroundTruthFile.iso(b.startMicros()), "end", GroundTruthFile.iso(b.endMicros()),
                "traffic_factor", GroundTruthFile.round4(b.factor()));
    }

    private Map<String, Object> startFields() {
        return GroundTruthFile.ordered("seed", settings.seed(), "rate", pace.baseRate(), "scenario", settings.scenario().name(),
                "end", settings.durationMicros() > 0 ? GroundTruthFile.iso(endMicros) : null, "model", settings.modelDir().toString(),
                "incident_intensity", settings.intensity().factor(), "cascade_amplification", plan.settings.cascadeAmplification());
    }

    private Result finish(long stopAt) {
        now = stopAt;
        runCommands();
        String reason = stopReason == null ? "stopped" : stopReason;
        synchronized (lock) {
            if (nativeMetrics != null) {
                nativeMetrics.finish(); // counts the child spans still carried: a scrape after the end sees them, stamped after the last
                exposedMs = Math.max(exposedMs, Math.floorDiv(nativeMetrics.lastCountedMicros(), 1000) + 1);
            }
            // what is still going on ends with the run, in the order it would have ended
            List<Event> rest = new ArrayList<>();
            while (!events.isEmpty()) rest.add(events.poll());
            for (Event e : rest) if (!e.start()) ended(e, stopAt, true);
            truth.write("live_end", stopAt, GroundTruthFile.ordered("reason", reason, "roots", totals.roots, "logs", totals.logLines + deploymentLines,
                    "incidents", count(incidentState), "deployment_windows", count(windowState)));
        }
        truth.close();
        long injectedIncidents = 0, injectedWindows = 0;
        for (int k = 0; k < incidentState.size(); k++) if (happened(incidentState.get(k)) && incidentInjected.get(k)) injectedIncidents++;
        for (int k = 0; k < windowState.size(); k++) if (happened(windowState.get(k)) && windowInjected.get(k)) injectedWindows++;
        long bursts = plan.bursts.bursts.stream().filter(b -> b.startMicros() < stopAt).count();
        return new Result(reason, begin, stopAt, pace.baseRate(), pace.weighted(), pace.due(), pace.skipped(), totals, deploymentLines,
                nativeMetrics == null ? 0 : nativeMetrics.samples(), count(incidentState), injectedIncidents, count(windowState), injectedWindows,
                bursts, truth.file(), truth.lines(), scrapes);
    }

    private static long count(List<String> states) { return states.stream().filter(LiveRun::happened).count(); }

    private static boolean happened(String state) { return state.equals("active") || state.equals("ended"); }

    /** Whether a signal (not the duration) ended the run: its delivery then gets {@link #FLUSH_DEADLINE_SECONDS}. */
    boolean signalled() { return signalled; }

    static final int FLUSH_DEADLINE_SECONDS = 10;

    // ---- drills, on the generating thread (through command() or before the run) ----

    /** Injects an incident of {@code component} from {@code start} for {@code durationMicros}; its id. */
    Incident injectIncident(String component, double rate, long start, long durationMicros) {
        InfraComponent c = plan.model.components().stream().filter(x -> x.name().equals(component)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(Drill.unknownComponent(component, componentNames())));
        Incident i = plan.incidents.inject(c, start, start + durationMicros, rate);
        plan.incidentChanged(i);
        synchronized (lock) {
            incidentInjected.add(true);
            incidentState.add("pending");
            schedule(i.startMicros(), true, INCIDENT, i.id());
            schedule(i.endMicros(), false, INCIDENT, i.id());
        }
        return i;
    }

    List<String> componentNames() { return plan.model.components().stream().map(InfraComponent::name).toList(); }

    /**
     * Ends incident {@code id} at {@code at}: an active one ends then (its end line follows), a pending one is called off.
     * IllegalArgumentException for an unknown id, IllegalStateException for one already over.
     */
    Incident endIncident(int id, long at) {
        if (id < 1 || id > plan.incidents.incidents.size()) throw new java.util.NoSuchElementException("no incident " + id);
        String state = incidentState.get(id - 1);
        if (state.equals("ended") || state.equals("cancelled")) throw new IllegalStateException("incident " + id + " is already " + state);
        Incident old = plan.incidents.incidents.get(id - 1);
        Incident i = plan.incidents.end(id, state.equals("pending") ? Math.min(at, old.startMicros()) : Math.max(at, old.startMicros() + 1));
        plan.incidentChanged(i);
        synchronized (lock) {
            if (state.equals("pending")) incidentState.set(id - 1, "cancelled");
            else schedule(i.endMicros(), false, INCIDENT, id);
        }
        return i;
    }

    /** Every incident so far (planned ones that started, every injected one) with its state, for {@code GET /incidents}. */
    List<Map<String, Object>> incidents() {
        var out = new ArrayList<Map<String, Object>>();
        synchronized (lock) {
            for (int k = 0; k < incidentState.size(); k++) {
                if (incidentState.get(k).equals("pending") && !incidentInjected.get(k)) continue; // the plan's future stays hidden
                out.add(incidentJson(k + 1));
            }
        }
        return out;
    }

    Map<String, Object> incidentJson(int id) {
        synchronized (lock) {
            Incident i = plan.incidents.incidents.get(id - 1);
            var m = LiveGroundTruth.incident(plan, i, incidentInjected.get(id - 1));
            m.put("state", incidentState.get(id - 1));
            return m;
        }
    }

    /** Service keys ({@code stack:service}) that take traffic: callers of a bad release's service. */
    List<String> serviceNames() { return List.of(plan.serviceKeys); }

    /**
     * A bad release of {@code service} ({@code stack:service}, or the service name when it is unique) on every placement
     * from {@code start} for {@code durationMicros}: the next build number, live from then on, its window failing
     * {@code errorBoost} of the service's requests and multiplying their latency; the windows made.
     */
    List<DeploymentWindow> injectDeployment(String service, double errorBoost, double latencyMultiplier, long start, long durationMicros) {
        if (!(errorBoost >= 0 && errorBoost <= 1)) throw new IllegalArgumentException("error_rate_boost must be in [0, 1], got " + errorBoost);
        if (!(latencyMultiplier > 0) || Double.isInfinite(latencyMultiplier))
            throw new IllegalArgumentException("latency_multiplier must be positive, got " + latencyMultiplier);
        if (durationMicros <= 0) throw new IllegalArgumentException("duration must be positive");
        String key = resolveService(service);
        String stack = key.substring(0, key.indexOf(':')), name = key.substring(key.indexOf(':') + 1);
        int s = plan.serviceIndex.get(key), np = plan.placements.size();
        var made = new ArrayList<DeploymentWindow>();
        for (int p = 0; p < np; p++) {
            Placement pl = plan.placements.get(p);
            DeploymentPlan.Timeline tl = plan.timelines[s * np + p];
            String current = tl == null ? null : tl.at(start);
            long build = 1;
            if (current != null) {
                try {
                    build = Long.parseLong(current.substring(current.lastIndexOf(':') + 1)) + 1;
                } catch (NumberFormatException e) {
                    build = 1;
                }
            }
            var w = new DeploymentWindow(stack, name, pl.env(), pl.region(), plan.settings.releaseId(pl, stack, name, build), start,
                    start + durationMicros, 1.0, errorBoost, latencyMultiplier);
            plan.addDeployment(w);
            synchronized (lock) {
                addWindow(w, true);
            }
            made.add(w);
        }
        return made;
    }

    private String resolveService(String service) {
        if (plan.serviceIndex.containsKey(service)) return service;
        List<String> byName = java.util.Arrays.stream(plan.serviceKeys).filter(k -> k.substring(k.indexOf(':') + 1).equals(service)).toList();
        if (byName.size() == 1) return byName.get(0);
        throw new IllegalArgumentException((byName.isEmpty() ? "unknown service \"" : "ambiguous service \"") + service
                + "\"; the model's services are " + String.join(", ", plan.serviceKeys));
    }
}
