import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One rate of bench-live: a live run ({@link LiveRun} on the system clock, as {@code live} runs it) at {@code rate}
 * roots/s for a duration, streamed into fresh {@link BenchStores}. Measures the rate achieved, records and bytes per
 * second per store, the delay from each record's timestamp to its store's acknowledgement ({@link DeliveryDelays}, fed
 * by {@link MonitoringStores#onAcknowledged}), the live heap of each third of the run ({@link HeapWatch#window}), CPU
 * time, and whether every store took everything the run made.
 */
final class LiveBench {
    /** Goals: the achieved rate at most 1% short of the target; every store's p99 delay under 2 s. */
    static final double RATE_TOLERANCE = 0.01;
    static final double P99_GOAL_MILLIS = 2000;
    /** The heap counts as flat when the last third's live peak is at most this much above the first third's (x1.25 + 32 MB). */
    static final double HEAP_GROWTH = 1.25;
    static final long HEAP_SLACK = 32L << 20;

    /** What one store acknowledged: records (samples, logs, spans) and request body bytes before compression. */
    record Flow(long records, long bytes) {}

    /** The flags every rate shares. */
    record Setup(Path model, int users, long seed, String metrics, String scrapeInterval, int sendWorkers, String to, boolean debianVm,
                 Path out, boolean quiet) {}

    /**
     * One rate's figures. {@code seconds}: the run's wall time (start to --duration); {@code drainSeconds}: from there
     * until every store had acknowledged the rest; {@code heap}: live-heap peaks of the thirds of the run (the last
     * one includes the drain); {@code storeCpuSeconds}: the Debian VictoriaMetrics' CPU (0 with in-process receivers,
     * whose CPU is in {@code cpuSeconds}).
     */
    record Result(double target, long roots, long skipped, double seconds, double drainSeconds, Map<MonitoringStores.Store, Flow> flows,
                  Map<MonitoringStores.Store, DeliveryDelays.Summary> delays, List<HeapWatch.Peaks> heap, double cpuSeconds,
                  double storeCpuSeconds, String loadBefore, String loadAfter, boolean delivered, String note) {
        double achieved() { return seconds > 0 ? roots / seconds : 0; }

        double deviationPercent() { return (achieved() / target - 1) * 100; }

        boolean rateHeld() { return achieved() >= target * (1 - RATE_TOLERANCE); }

        /** The highest p99 delay of the stores, ms. */
        double worstP99() { return delays.values().stream().mapToDouble(DeliveryDelays.Summary::p99Millis).max().orElse(Double.NaN); }

        boolean delayHeld() { return delays.values().stream().allMatch(d -> d.records() > 0) && worstP99() < P99_GOAL_MILLIS; }

        boolean heapFlat() {
            return heap.size() < 2 || heap.getLast().live() <= heap.getFirst().live() * HEAP_GROWTH + HEAP_SLACK;
        }

        /** The goals of a rate: everything delivered, the rate within 1%, p99 under 2 s. */
        boolean held() { return delivered && rateHeld() && delayHeld(); }
    }

    private LiveBench() {}

    static Result run(Setup s, double rate, String duration) throws IOException {
        String name = String.format(Locale.ROOT, "rate-%.0f", rate);
        Path out = s.out().resolve(name);
        Files.createDirectories(out);
        var live = new LiveOptions();
        live.rate = rate;
        live.users = s.users();
        var settings = LiveLaunch.settings(s.model(), s.seed(), live, null, duration, 2, out, "seed", null, s.metrics(), s.scrapeInterval(), 1);
        String loadBefore = loadAverage();
        try (var stores = BenchStores.start(s.out().resolve(name + "-vm"), s.debianVm())) {
            var sink = MonitoringStores.open(stores.options(s.sendWorkers(), s.to()), null);
            var delays = new DeliveryDelays(LiveClock.SYSTEM::nowMicros);
            sink.onAcknowledged(delays::acknowledged);
            LiveRun run;
            try {
                run = new LiveRun(settings, LiveClock.SYSTEM, sink);
            } catch (RuntimeException e) {
                sink.close();
                throw e;
            }
            double storeCpu0 = storeCpuSeconds(stores);
            var windows = Collections.synchronizedList(new ArrayList<HeapWatch.Peaks>());
            try (var heap = new HeapWatch()) {
                long third = settings.durationMicros() / 3_000;
                Thread thirds = Thread.ofPlatform().daemon().name("heap-thirds").start(() -> {
                    try {
                        for (int k = 0; k < 2; k++) {
                            Thread.sleep(third);
                            windows.add(heap.window());
                        }
                    } catch (InterruptedException e) {
                        // the run ended first
                    }
                });
                double cpu0 = cpuSeconds();
                LiveRun.Result r = run.run(s.quiet());
                long drained = LiveClock.SYSTEM.nowMicros();
                double cpu = cpuSeconds() - cpu0;
                thirds.interrupt();
                try {
                    thirds.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                windows.add(heap.window());
                long samples = (settings.rawMetrics() ? r.totals().metricLines : 0) + r.nativeSamples();
                var flows = new EnumMap<MonitoringStores.Store, Flow>(MonitoringStores.Store.class);
                var summaries = new EnumMap<MonitoringStores.Store, DeliveryDelays.Summary>(MonitoringStores.Store.class);
                boolean counted = true;
                var note = new StringBuilder(sink.headline());
                for (var e : sink.reports().entrySet()) {
                    var st = e.getValue().stats();
                    flows.put(e.getKey(), new Flow(st.acknowledged.sum(), st.bodyBytes.sum()));
                    summaries.put(e.getKey(), delays.summary(e.getKey()));
                    long expected = e.getKey() == MonitoringStores.Store.VM ? samples : r.logs();
                    CountingReceiver receiver = switch (e.getKey()) {
                        case VM -> stores.vmReceiver;
                        case VL -> stores.vl;
                        case TEMPO -> stores.tempo;
                        case OTLP -> null; // --stores refuses it
                    };
                    long arrived = receiver == null ? st.acknowledged.sum() : receiver.records.get();
                    if (st.acknowledged.sum() != expected || arrived != expected) {
                        counted = false;
                        note.append(String.format(Locale.ROOT, "; %s: %,d made, %,d acknowledged, %,d arrived", e.getKey().key, expected,
                                st.acknowledged.sum(), arrived));
                    }
                    if (st.retried.sum() > 0) note.append(String.format(Locale.ROOT, "; %s: %,d requests retried", e.getKey().key, st.retried.sum()));
                }
                return new Result(rate, r.totals().roots + r.totals().dropped, r.skipped(), r.seconds(), (drained - r.stopMicros()) / 1e6, flows,
                        summaries, List.copyOf(windows), cpu, storeCpuSeconds(stores) - storeCpu0, loadBefore, loadAverage(),
                        sink.delivered() && counted, note.toString());
            }
        }
    }

    /** CPU seconds of this JVM so far, all threads (generator, lanes, senders, in-process receivers). */
    static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private static double storeCpuSeconds(BenchStores stores) {
        if (stores.vm == null) return 0;
        return stores.vm.handle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    /** The 1, 5 and 15 minute load averages ("1.02 0.87 0.65"), or "?" where the system does not say. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            double l = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return l < 0 ? "?" : String.format(Locale.ROOT, "%.2f", l);
        }
    }
}
