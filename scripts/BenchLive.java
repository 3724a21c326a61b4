///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
//DEPS me.tongfei:progressbar:0.10.1
//DEPS io.opentelemetry.proto:opentelemetry-proto:1.8.0-alpha
//DEPS com.google.protobuf:protobuf-java:4.36.2
//DEPS org.hdrhistogram:HdrHistogram:2.2.2
//SOURCES GenerateMonitoring.java ../lib/victoria/VictoriaMetricsProcess.java ../lib/bench/CountingReceiver.java
//SOURCES ../lib/bench/BenchStores.java ../lib/bench/HeapWatch.java ../lib/bench/DeliveryDelays.java ../lib/bench/RateLadder.java
//SOURCES ../lib/bench/LiveBench.java
//DESCRIPTION Benchmark live mode: pace at each --rates roots/s for --duration into in-process VictoriaLogs/Tempo receivers and a
//DESCRIPTION Debian VictoriaMetrics; achieved rate, records/s and MB/s per store, delay from record timestamp to acknowledgement
//DESCRIPTION p50/p99/max, live heap per third, PASS/MISS against 1% and 2 s; --find-max steps the rate up to the highest that holds.
//DESCRIPTION Example: ./jbang bench-live --rates 100,1000 --duration 1m --find-max

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "bench-live", mixinStandardHelpOptions = true, versionProvider = KitVersion.class, sortOptions = false,
        description = {"A benchmark, not a test: live mode (the live alias' run on the system clock) paced at each of --rates roots/s for --duration,",
                "streamed into fresh stores: in-process VictoriaLogs and Tempo receivers that decode and count, and a Debian VictoriaMetrics",
                "(an in-process receiver where it is not installed, or with --vm in-process). Per rate: target and achieved roots/s (roots made /",
                "wall time of the run), records/s and MB/s per store, the delay from each record's own timestamp to the moment its store",
                "acknowledged the batch carrying it (p50, p99, max; VictoriaMetrics lines by their newest sample), the live heap (after GC) of",
                "each third of the run, CPU and load average, and PASS when everything was delivered, the achieved rate is within 1% of the",
                "target and every store's p99 delay is under 2 s, else MISS. --find-max then multiplies the highest rate that held by --step",
                "until one misses, and reports the highest that held. Exit 1 when a record was not delivered, 2 on a wrong flag."})
class BenchLive implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--rates", split = ",", defaultValue = "100,1000,10000", paramLabel = "ROOTS_PER_S",
            description = "Target rates, run in this order, root requests/s (child spans come on top, ~2.7 logs per root). Default: ${DEFAULT-VALUE}.")
    List<Double> rates;

    @Option(names = "--duration", defaultValue = "3m", description = "How long each rate runs: 30s, 1m, 3m ... Default: ${DEFAULT-VALUE}.")
    String duration;

    @Option(names = "--find-max", description = "After --rates, step up from the highest rate that held (x --step) until a rate misses; report the highest that held.")
    boolean findMax;

    @Option(names = "--step", defaultValue = "1.5", description = "Factor between the rates --find-max tries. Default: ${DEFAULT-VALUE}.")
    double step;

    @Option(names = "--stores", split = ",", defaultValue = "vm,vl,tempo", description = "Stores to stream to, any of vm, vl, tempo. Default: ${DEFAULT-VALUE}.")
    List<String> stores;

    @Option(names = "--vm", defaultValue = "auto", description = "VictoriaMetrics: debian (/usr/bin/victoria-metrics, fresh per rate), in-process (a receiver "
            + "that decodes and counts), auto (debian when installed). Default: ${DEFAULT-VALUE}.")
    String vm;

    @Option(names = "--metrics", defaultValue = "native", description = "Metric forms: raw, native or both. Default: ${DEFAULT-VALUE}.")
    String metrics;

    @Option(names = "--scrape-interval", defaultValue = "15s", description = "Interval of the native samples. Default: ${DEFAULT-VALUE}.")
    String scrapeInterval;

    @Option(names = "--users", defaultValue = "1000", description = "Simulated users. Default: ${DEFAULT-VALUE}.")
    int users;

    @Option(names = "--send-workers", defaultValue = "8", description = "Requests in flight per store at most. Default: ${DEFAULT-VALUE}.")
    int sendWorkers;

    @Option(names = "--seed", defaultValue = "42", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--model", defaultValue = "fixtures/social_network", description = "Platform model directory. Default: ${DEFAULT-VALUE}.")
    Path model;

    @Option(names = "--out", defaultValue = ".dev/bench/live", description = "Working directory (ground truth per rate, VictoriaMetrics data). Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
    boolean quiet;

    public static void main(String... args) {
        System.exit(new CommandLine(new BenchLive()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        var to = new LinkedHashSet<String>();
        for (String s : stores) {
            String k = s.trim().toLowerCase(Locale.ROOT);
            if (!List.of("vm", "vl", "tempo").contains(k)) throw new ParameterException(spec.commandLine(), "--stores takes vm, vl and tempo, got \"" + s + "\"");
            to.add(k);
        }
        boolean debianVm = switch (vm) {
            case "debian" -> true;
            case "in-process" -> false;
            case "auto" -> VictoriaMetricsProcess.unavailable() == null;
            default -> throw new ParameterException(spec.commandLine(), "--vm takes auto, debian or in-process, got \"" + vm + "\"");
        };
        if (debianVm && to.contains("vm") && VictoriaMetricsProcess.unavailable() instanceof String why) {
            System.err.println("bench-live: " + why + " (--vm in-process runs without)");
            return 2;
        }
        RateLadder ladder;
        try {
            Scenario.parseDuration(duration);
            ladder = new RateLadder(rates, findMax, step);
            if (users < 1 || sendWorkers < 1) throw new IllegalArgumentException("--users and --send-workers must be >= 1");
            // the live run's own checks of the shared flags, before any store starts
            var probe = new LiveOptions();
            probe.rate = rates.getFirst();
            LiveLaunch.settings(model, seed, probe, null, duration, 2, out, "seed", null, metrics, scrapeInterval, 1);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Files.createDirectories(out);
        var setup = new LiveBench.Setup(model, users, seed, metrics, scrapeInterval, sendWorkers, String.join(",", to), debianVm, out, quiet);
        String loadAtStart = LiveBench.loadAverage();
        long t0 = System.nanoTime();
        var done = new ArrayList<RateLadder.Run>();
        var results = new ArrayList<LiveBench.Result>();
        for (var next = ladder.next(done); next.isPresent(); next = ladder.next(done)) {
            double rate = next.getAsDouble();
            if (!quiet) System.out.printf(Locale.ROOT, "bench-live: %,.0f roots/s for %s (load average %s) ...%n", rate, duration, LiveBench.loadAverage());
            var r = LiveBench.run(setup, rate, duration);
            print(r);
            results.add(r);
            done.add(new RateLadder.Run(rate, r.held()));
        }
        summary(results, done, loadAtStart, (System.nanoTime() - t0) / 1e9, debianVm && to.contains("vm"));
        return results.stream().allMatch(LiveBench.Result::delivered) ? 0 : 1;
    }

    private void print(LiveBench.Result r) {
        System.out.printf(Locale.ROOT, "bench-live: %,.0f roots/s for %s: %s%n", r.target(), duration, verdict(r));
        System.out.printf(Locale.ROOT, "  rate         target %,.1f/s, achieved %,.1f/s (%+.2f%%): %,d roots in %.1f s, %,d skipped while behind; drained %.1f s after%n",
                r.target(), r.achieved(), r.deviationPercent(), r.roots(), r.seconds(), r.skipped(), r.drainSeconds());
        for (var e : r.flows().entrySet()) {
            var f = e.getValue();
            var d = r.delays().get(e.getKey());
            System.out.printf(Locale.ROOT, "  %-12s %,.0f %s/s, %,.2f MB/s; delay p50 %,.0f ms, p99 %,.0f ms, max %,.0f ms over %,d %s%s%n", e.getKey().key,
                    f.records() / r.seconds(), e.getKey().unit, f.bytes() / 1e6 / r.seconds(), d.p50Millis(), d.p99Millis(), d.maxMillis(), d.records(),
                    e.getKey() == MonitoringStores.Store.VM ? "lines" : e.getKey().unit, d.ahead() > 0 ? String.format(Locale.ROOT, " (and %,d stamped after their acknowledgement, left out)", d.ahead()) : "");
        }
        var heap = new StringBuilder();
        for (var p : r.heap()) heap.append(heap.isEmpty() ? "" : " / ").append(String.format(Locale.ROOT, "%,.0f", p.live() / 1e6));
        long used = r.heap().stream().mapToLong(HeapWatch.Peaks::used).max().orElse(0);
        System.out.printf(Locale.ROOT, "  heap         live after GC %s MB (first / middle / last third): %s; peak used %,.0f MB of %,.0f MB%n", heap,
                r.heapFlat() ? "flat" : "GREW", used / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
        System.out.printf(Locale.ROOT, "  cpu          this JVM %.2f cores%s; load average %s before, %s after%n", r.cpuSeconds() / r.seconds(),
                r.storeCpuSeconds() > 0 ? String.format(Locale.ROOT, ", VictoriaMetrics %.2f cores", r.storeCpuSeconds() / r.seconds()) : "",
                r.loadBefore(), r.loadAfter());
        System.out.printf(Locale.ROOT, "  delivery     %s%s%n", r.delivered() ? "" : "NOT ALL DELIVERED: ", r.note());
    }

    private static String verdict(LiveBench.Result r) {
        var miss = new ArrayList<String>();
        if (!r.delivered()) miss.add("not all delivered");
        if (!r.rateHeld()) miss.add(String.format(Locale.ROOT, "rate %+.2f%% (goal >= -%.0f%%)", r.deviationPercent(), LiveBench.RATE_TOLERANCE * 100));
        if (!r.delayHeld()) miss.add(String.format(Locale.ROOT, "p99 %,.0f ms (goal < %,.0f ms)", r.worstP99(), LiveBench.P99_GOAL_MILLIS));
        String figures = String.format(Locale.ROOT, "achieved %,.1f/s (%+.2f%%), worst p99 %,.0f ms, heap %s", r.achieved(), r.deviationPercent(),
                r.worstP99(), r.heapFlat() ? "flat" : "GREW");
        return miss.isEmpty() ? "PASS (" + figures + ")" : "MISS: " + String.join(", ", miss) + " (" + figures + ")";
    }

    private void summary(List<LiveBench.Result> results, List<RateLadder.Run> done, String loadAtStart, double seconds, boolean debianVm) {
        var best = RateLadder.highestHeld(done);
        long held = results.stream().filter(LiveBench.Result::held).count();
        System.out.printf(Locale.ROOT, "bench-live: %d rate(s) in %.0f s, %d held; highest that held: %s%n", results.size(), seconds, held,
                best.isPresent() ? String.format(Locale.ROOT, "%,.0f roots/s%s", best.getAsDouble(), findMax ? " (--find-max, x" + step + " steps)" : "")
                        : "none");
        System.out.printf(Locale.ROOT, "  setup        %d cores, max heap %,.0f MB, --duration %s, --stores %s, VictoriaMetrics %s, --metrics %s, %,d users, "
                        + "seed %d; load average %s at the start, %s at the end%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / 1e6, duration, String.join(",", stores), debianVm ? VictoriaMetricsProcess.binary().toString() : "in-process",
                metrics, users, seed, loadAtStart, LiveBench.loadAverage());
        System.out.printf(Locale.ROOT, "  goals        achieved rate at most %.0f%% short of the target; every store's p99 delay (record timestamp to acknowledgement) "
                + "under %,.0f ms; everything delivered%n", LiveBench.RATE_TOLERANCE * 100, LiveBench.P99_GOAL_MILLIS);
        System.out.printf(Locale.ROOT, "  %10s %11s %8s %22s %9s %20s %10s %15s  %s%n", "target/s", "achieved/s", "dev", "p99 ms vm/vl/tempo", "max ms",
                "live heap MB", "cpu cores", "load after", "result");
        for (var r : results) {
            var p99 = new StringBuilder();
            double max = 0;
            for (var s : MonitoringStores.Store.values()) {
                var d = r.delays().get(s);
                p99.append(p99.isEmpty() ? "" : "/").append(d == null ? "-" : String.format(Locale.ROOT, "%.0f", d.p99Millis()));
                if (d != null) max = Math.max(max, d.maxMillis());
            }
            var heap = new StringBuilder();
            for (var p : r.heap()) heap.append(heap.isEmpty() ? "" : "/").append(String.format(Locale.ROOT, "%.0f", p.live() / 1e6));
            System.out.printf(Locale.ROOT, "  %,10.0f %,11.1f %+7.2f%% %22s %,9.0f %20s %10.2f %15s  %s%n", r.target(), r.achieved(), r.deviationPercent(), p99,
                    max, heap + (r.heapFlat() ? "" : " GREW"), (r.cpuSeconds() + r.storeCpuSeconds()) / r.seconds(), r.loadAfter(),
                    r.held() ? "PASS" : "MISS");
        }
    }
}
