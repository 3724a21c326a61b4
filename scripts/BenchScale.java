///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//JAVA_OPTIONS -Xmx1g
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
//DEPS me.tongfei:progressbar:0.10.1
//DEPS io.opentelemetry.proto:opentelemetry-proto:1.8.0-alpha
//DEPS com.google.protobuf:protobuf-java:4.36.2
//SOURCES ../lib/cli/KitVersion.java ../lib/cli/Progress.java ../lib/io/DataFile.java ../lib/model/Persona.java
//SOURCES ../lib/model/ServiceAction.java ../lib/model/InfraComponent.java ../lib/model/Incident.java
//SOURCES ../lib/model/DeploymentWindow.java ../lib/model/Placement.java ../lib/monitoring/UniformRange.java
//SOURCES ../lib/monitoring/PlatformSettings.java ../lib/monitoring/PlatformModel.java ../lib/monitoring/PlatformModelLoader.java
//SOURCES ../lib/monitoring/PlatformModelException.java ../lib/monitoring/Seeds.java ../lib/monitoring/Scenario.java
//SOURCES ../lib/monitoring/GenerateConfig.java ../lib/monitoring/UserPopulation.java ../lib/monitoring/IncidentPlan.java
//SOURCES ../lib/monitoring/TrafficBursts.java ../lib/monitoring/ScheduledRelease.java
//SOURCES ../lib/monitoring/DeploymentScheduleReader.java ../lib/monitoring/DeploymentPlan.java
//SOURCES ../lib/monitoring/GenerationPlan.java ../lib/monitoring/JsonLineBuffer.java ../lib/monitoring/ChunkStats.java
//SOURCES ../lib/monitoring/EventGenerator.java ../lib/monitoring/DeploymentLog.java ../lib/monitoring/MonitoringRun.java
//SOURCES ../lib/monitoring/GroundTruthFile.java ../lib/monitoring/GenerationSummary.java
//SOURCES ../lib/monitoring/MonitoringGeneration.java ../lib/monitoring/TimeSlices.java ../lib/monitoring/ChunkRequests.java
//SOURCES ../lib/monitoring/NativeLabels.java ../lib/monitoring/NativeMetrics.java ../lib/monitoring/MonitoringSink.java
//SOURCES ../lib/monitoring/MonitoringFiles.java ../lib/model/ReleaseId.java ../lib/monitoring/MonitoringStores.java
//SOURCES ../lib/monitoring/StreamOptions.java ../lib/io/JsonLinesReader.java ../lib/delivery/Backoff.java
//SOURCES ../lib/delivery/Batch.java ../lib/delivery/WireFormat.java ../lib/delivery/JsonLinesBody.java
//SOURCES ../lib/delivery/LineParser.java ../lib/delivery/AdaptiveConcurrency.java ../lib/delivery/Checkpoint.java
//SOURCES ../lib/delivery/DeliveryStats.java ../lib/delivery/BatchStream.java ../lib/delivery/BatchSender.java
//SOURCES ../lib/delivery/LineFeed.java ../lib/delivery/ServerCounters.java ../lib/delivery/CounterCheck.java
//SOURCES ../lib/delivery/DeliveryReport.java ../lib/delivery/DeliveryOptions.java ../lib/delivery/ReleaseTags.java
//SOURCES ../lib/victoria/VmImportLine.java ../lib/victoria/VlJsonLine.java ../lib/tempo/LogSpan.java
//SOURCES ../lib/tempo/OtlpTraceBody.java ../lib/victoria/VictoriaMetricsProcess.java ../lib/bench/CountingReceiver.java
//SOURCES ../lib/monitoring/RawSeriesCount.java ../lib/monitoring/OtlpJsonFiles.java ../lib/otlp/OtlpJson.java
//SOURCES ../lib/otlp/ExportRequestLines.java ../lib/otlp/LogLineRecord.java ../lib/otlp/MetricLinePoint.java
//SOURCES ../lib/monitoring/Shard.java ../lib/monitoring/DiscardedOutput.java ../lib/bench/BenchStores.java
//SOURCES ../lib/bench/HeapWatch.java
//DESCRIPTION Benchmark the seed's scale: a seed-density week streamed into VictoriaMetrics and VictoriaLogs/Tempo receivers, the
//DESCRIPTION seed-scale year generated into a discarding sink, one shard of it written to files; time, records/s, peak heap, extrapolation.
//DESCRIPTION Example: ./jbang bench-scale --events 5000000 --parts week,year,shard

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "bench-scale", mixinStandardHelpOptions = true, versionProvider = KitVersion.class, sortOptions = false,
        description = {"The seed's headline workload (50M root events for 50K users over a year) on this machine, in three parts:",
                "  week   the seed's density for one week (--week-events over 7d) streamed end to end: generate-monitoring --to vm,vl,tempo into a",
                "         fresh Debian VictoriaMetrics and in-process VictoriaLogs/Tempo receivers, every record checked as delivered;",
                "  year   the year (--events over 365d) generated and encoded into a sink that discards (generate-monitoring --to null);",
                "  shard  shard 0 of --shards of that year written to files (generate-monitoring --shard 0/N), deleted afterwards unless --keep.",
                "Prints time, events/s, records/s, MB/s and peak heap per part, and the seed year's time extrapolated linearly from what ran",
                "(on one machine, and on --shards machines like this one). Runs in one JVM with -Xmx1g, so a generator that grows with",
                "the data fails here. Exit 1 when a streamed record was not delivered."})
class BenchScale implements Callable<Integer> {
    /** The seed's headline run. */
    static final long SEED_EVENTS = 50_000_000L;

    @Spec CommandSpec spec;

    @Option(names = "--parts", split = ",", defaultValue = "week,year,shard", description = "Parts to run, any of week, year, shard. Default: ${DEFAULT-VALUE}.")
    List<String> parts;

    @Option(names = "--events", defaultValue = "50000000", description = "Root events of the year (scale down to measure on a busy machine). Default: ${DEFAULT-VALUE}.")
    long events;

    @Option(names = "--week-events", defaultValue = "960000", description = "Root events of the week (the seed's density: 50M / 52). Default: ${DEFAULT-VALUE}.")
    long weekEvents;

    @Option(names = "--week-duration", defaultValue = "7d", description = "Window of the streamed part; with 1d and --week-events 137000 it keeps "
            + "the seed's density in a seventh of the time. Default: ${DEFAULT-VALUE}.")
    String weekDuration;

    @Option(names = "--users", defaultValue = "50000", description = "Simulated users. Default: ${DEFAULT-VALUE}.")
    int users;

    @Option(names = "--shards", defaultValue = "8", description = "N of the shard part (shard 0/N is generated). Default: ${DEFAULT-VALUE}.")
    int shards;

    @Option(names = "--metrics", defaultValue = "native", description = "Metric forms: raw, native or both (the pipeline's default is native). Default: ${DEFAULT-VALUE}.")
    String metrics;

    @Option(names = "--workers", description = "Generator threads (default: the number of CPUs).")
    Integer workers;

    @Option(names = "--send-workers", defaultValue = "8", description = "Requests in flight per store at most, for the week. Default: ${DEFAULT-VALUE}.")
    int sendWorkers;

    @Option(names = "--seed", defaultValue = "42", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", defaultValue = ".dev/bench/scale", description = "Working directory (summaries, shard files, VictoriaMetrics data). Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--keep", description = "Keep the shard's files.")
    boolean keep;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
    boolean quiet;

    public static void main(String... args) {
        System.exit(new CommandLine(new BenchScale()).execute(args));
    }

    /** One measured part: what it made and what it took. */
    record Part(String name, String what, long events, long records, long bytes, double seconds, double cpuSeconds, long peakLive, long peakUsed,
                boolean ok, String note) {
        double eventsPerSecond() { return events / seconds; }
    }

    /** CPU seconds of this JVM so far, all threads: unlike the wall time, it does not grow with the other load on the machine. */
    static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    @Override
    public Integer call() throws Exception {
        Set<String> selected = new LinkedHashSet<>();
        for (String p : parts) {
            String name = p.trim().toLowerCase(Locale.ROOT);
            if (!List.of("week", "year", "shard").contains(name))
                throw new ParameterException(spec.commandLine(), "--parts takes week, year and shard, got \"" + p + "\"");
            selected.add(name);
        }
        if (events < 1 || weekEvents < 1 || users < 1) throw new ParameterException(spec.commandLine(), "--events, --week-events and --users must be >= 1");
        if (shards < 1) throw new ParameterException(spec.commandLine(), "--shards must be >= 1, got " + shards);
        if (selected.contains("week") && VictoriaMetricsProcess.unavailable() instanceof String why) {
            System.err.println("bench-scale: " + why + " (the week part needs it; --parts year,shard runs without)");
            return 2;
        }
        int threads = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        long t0 = System.nanoTime();
        Files.createDirectories(out);
        var done = new ArrayList<Part>();
        if (selected.contains("week")) done.add(week(threads));
        if (selected.contains("year")) done.add(year(threads));
        if (selected.contains("shard")) done.add(shard(threads));

        boolean ok = done.stream().allMatch(Part::ok);
        var first = new StringBuilder(String.format(Locale.ROOT, "bench-scale: done in %.1f s", (System.nanoTime() - t0) / 1e9));
        for (Part p : done) first.append(String.format(Locale.ROOT, ", %s %,.0f events/s", p.name(), p.eventsPerSecond()));
        if (!ok) first.append(", NOT EVERYTHING WAS DELIVERED");
        System.out.println(first);
        System.out.printf(Locale.ROOT, "  setup        %d generator workers, %d cores, max heap %,.0f MB, --metrics %s, %,d users, seed %d%n", threads,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 1e6, metrics, users, seed);
        for (Part p : done) {
            System.out.printf(Locale.ROOT, "  %-6s %s%n", p.name(), p.what());
            System.out.printf(Locale.ROOT, "         %,d events, %,d records, %,.1f MB in %.1f s: %,.0f events/s, %,.0f records/s, %,.1f MB/s; "
                            + "cpu %.1f s (%.2f cores on average); peak heap %,.0f MB live, %,.0f MB used%n", p.events(), p.records(), p.bytes() / 1e6,
                    p.seconds(), p.eventsPerSecond(), p.records() / p.seconds(), p.bytes() / 1e6 / p.seconds(), p.cpuSeconds(), p.cpuSeconds() / p.seconds(),
                    p.peakLive() / 1e6, p.peakUsed() / 1e6);
            if (!p.note().isEmpty()) System.out.printf(Locale.ROOT, "         %s%n", p.note());
        }
        // At a lower density than the seed's, an event brings more native samples (fewer requests share a series' interval), so
        // scaling by events overstates the time; the week's records per event (at the seed's density) give a second estimate.
        Part density = done.stream().filter(p -> p.name().equals("week")).findFirst().orElse(null);
        double recordsPerEvent = density == null ? 0 : (double) density.records() / density.events();
        System.out.printf(Locale.ROOT, "  seed year    %,d events, extrapolated linearly from the parts above (this machine's cores, as loaded as it was)%s:%n",
                SEED_EVENTS, density == null ? " by events" : String.format(Locale.ROOT,
                        " by events, and [in brackets] by records, at the streamed part's %.0f records per event (%,.0f records in the year)",
                        recordsPerEvent, recordsPerEvent * SEED_EVENTS));
        for (Part p : done) {
            double full = SEED_EVENTS / p.eventsPerSecond();
            String how = switch (p.name()) {
                case "week" -> String.format(Locale.ROOT, "streamed into the stores: %s on one machine; on %d shards %s each, if the stores take %d times the rate",
                        minutes(full), shards, minutes(full / shards), shards);
                case "year" -> String.format(Locale.ROOT, "generated (discarded): %s on one machine; on %d shards %s each", minutes(full), shards,
                        minutes(full / shards));
                default -> String.format(Locale.ROOT, "written to files: %s on one machine; one shard of %d takes %s, all %d in parallel on %d machines",
                        minutes(full), shards, minutes(full / shards), shards, shards);
            };
            System.out.printf(Locale.ROOT, "    %-6s %s%n", p.name(), how);
            int cores = Runtime.getRuntime().availableProcessors();
            double cpu = p.cpuSeconds() * SEED_EVENTS / p.events();
            if (!p.name().equals("week")) // the week's stores run in other processes, whose CPU this JVM does not see
                System.out.printf(Locale.ROOT, "             by CPU time (by events): %s of CPU, %s on %d idle cores like these if it kept them busy%n",
                        minutes(cpu), minutes(cpu / cores), cores);
            if (density != null && p != density) {
                double byRecords = recordsPerEvent * SEED_EVENTS / (p.records() / p.seconds());
                System.out.printf(Locale.ROOT, "    %-6s   [%s on one machine, %s on each of %d shards]%n", "", minutes(byRecords), minutes(byRecords / shards), shards);
            }
        }
        if (events != SEED_EVENTS && (selected.contains("year") || selected.contains("shard")))
            System.out.printf(Locale.ROOT, "  note         the year ran at %,d events, not %,d: the figures above are extrapolated, not measured at full size%n",
                    events, SEED_EVENTS);
        return ok ? 0 : 1;
    }

    private static String minutes(double seconds) {
        return seconds < 120 ? String.format(Locale.ROOT, "%.0f s", seconds) : String.format(Locale.ROOT, "%.1f min", seconds / 60);
    }

    private MonitoringGeneration.Request request(long roots, String duration, Path dir, int threads) {
        try {
            return MonitoringGeneration.request(Path.of("fixtures/social_network"), roots, users, dir, seed, threads, 2, null, "jsonl", "seed",
                    null, null, null, duration, metrics, "15s");
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private Part week(int threads) throws Exception {
        var request = request(weekEvents, weekDuration, out.resolve("week"), threads);
        try (var stores = BenchStores.start(out.resolve("week-vm"))) {
            var sink = MonitoringStores.open(stores.options(sendWorkers), null);
            try (var heap = new HeapWatch()) {
                double cpu0 = cpuSeconds();
                var report = MonitoringGeneration.run(request, quiet, sink);
                heap.close();
                var outcome = stores.check(sink, report);
                return part("week", String.format(Locale.ROOT, "%,d events over %s streamed: generate-monitoring --to vm,vl,tempo (VictoriaMetrics %s)",
                        weekEvents, weekDuration, VictoriaMetricsProcess.binary()), report, report.result().bytes(), cpu0, heap, outcome.ok(), outcome.note());
            }
        }
    }

    private Part year(int threads) {
        var request = request(events, null, out.resolve("year"), threads);
        var sink = new DiscardedOutput();
        try (var heap = new HeapWatch()) {
            double cpu0 = cpuSeconds();
            var report = MonitoringGeneration.run(request, quiet, sink);
            heap.close();
            return part("year", "365 days generated and encoded, then discarded: generate-monitoring --to null", report, sink.bytes(), cpu0, heap, true, "");
        }
    }

    private Part shard(int threads) throws Exception {
        Path dir = out.resolve("shard-0-of-" + shards);
        var request = request(events, null, dir, threads).withShard(new Shard(0, shards));
        try (var heap = new HeapWatch()) {
            double cpu0 = cpuSeconds();
            var report = MonitoringGeneration.run(request, quiet);
            heap.close();
            long bytes = report.result().bytes();
            if (!keep) {
                try (var list = Files.list(dir)) {
                    for (Path f : list.filter(f -> f.getFileName().toString().endsWith(".jsonl") || f.getFileName().toString().endsWith(".txt")).toList())
                        Files.delete(f);
                }
            }
            return part("shard", String.format(Locale.ROOT, "shard 0/%d of the year written to files: generate-monitoring --shard 0/%d -o %s%s",
                    shards, shards, dir, keep ? "" : " (deleted after)"), report, bytes, cpu0, heap, true, "");
        }
    }

    private static Part part(String name, String what, MonitoringGeneration.Report report, long bytes, double cpu0, HeapWatch heap, boolean ok,
                             String note) {
        var t = report.result().totals();
        return new Part(name, what, t.roots + t.dropped, report.result().records(), bytes, report.seconds(), cpuSeconds() - cpu0, heap.peakLive(),
                heap.peakUsed(), ok, note);
    }
}
