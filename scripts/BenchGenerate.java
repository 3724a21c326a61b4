///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//JAVA_OPTIONS -Xmx512m
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
//DEPS me.tongfei:progressbar:0.10.1
//DEPS io.opentelemetry.proto:opentelemetry-proto:1.8.0-alpha
//SOURCES ../lib/cli/KitVersion.java ../lib/cli/Progress.java ../lib/io/DataFile.java ../lib/model/Persona.java
//SOURCES ../lib/model/ServiceAction.java ../lib/model/InfraComponent.java ../lib/model/Incident.java
//SOURCES ../lib/model/DeploymentWindow.java ../lib/model/Placement.java ../lib/monitoring/UniformRange.java
//SOURCES ../lib/monitoring/PlatformSettings.java ../lib/monitoring/PlatformModel.java ../lib/monitoring/PlatformModelLoader.java
//SOURCES ../lib/monitoring/PlatformModelException.java ../lib/monitoring/Seeds.java ../lib/monitoring/Scenario.java
//SOURCES ../lib/monitoring/IncidentIntensity.java ../lib/monitoring/GenerateConfig.java ../lib/monitoring/UserPopulation.java ../lib/monitoring/IncidentPlan.java
//SOURCES ../lib/monitoring/TrafficBursts.java ../lib/monitoring/ScheduledRelease.java
//SOURCES ../lib/monitoring/DeploymentScheduleReader.java ../lib/monitoring/DeploymentPlan.java
//SOURCES ../lib/monitoring/GenerationPlan.java ../lib/monitoring/JsonLineBuffer.java ../lib/monitoring/ChunkStats.java
//SOURCES ../lib/monitoring/EventGenerator.java ../lib/monitoring/DeploymentLog.java ../lib/monitoring/MonitoringRun.java
//SOURCES ../lib/monitoring/GroundTruthFile.java ../lib/monitoring/GenerationSummary.java
//SOURCES ../lib/monitoring/MonitoringGeneration.java ../lib/monitoring/TimeSlices.java ../lib/monitoring/ChunkRequests.java
//SOURCES ../lib/monitoring/NativeLabels.java ../lib/monitoring/NativeMetrics.java ../lib/monitoring/MonitoringSink.java
//SOURCES ../lib/monitoring/MonitoringFiles.java ../lib/model/ReleaseId.java ../lib/monitoring/RawSeriesCount.java
//SOURCES ../lib/monitoring/MonitoringStores.java ../lib/monitoring/StreamOptions.java ../lib/io/JsonLinesReader.java
//SOURCES ../lib/delivery/Backoff.java ../lib/delivery/Batch.java ../lib/delivery/WireFormat.java
//SOURCES ../lib/delivery/JsonLinesBody.java ../lib/delivery/LineParser.java ../lib/delivery/AdaptiveConcurrency.java
//SOURCES ../lib/delivery/Checkpoint.java ../lib/delivery/DeliveryStats.java ../lib/delivery/BatchStream.java
//SOURCES ../lib/delivery/BatchSender.java ../lib/delivery/LineFeed.java ../lib/delivery/ServerCounters.java
//SOURCES ../lib/delivery/CounterCheck.java ../lib/delivery/DeliveryReport.java ../lib/delivery/DeliveryOptions.java
//SOURCES ../lib/delivery/ReleaseTags.java ../lib/victoria/VmImportLine.java ../lib/victoria/VlJsonLine.java
//SOURCES ../lib/tempo/LogSpan.java ../lib/tempo/OtlpTraceBody.java ../lib/monitoring/OtlpJsonFiles.java ../lib/otlp/OtlpJson.java
//SOURCES ../lib/otlp/ExportRequestLines.java ../lib/otlp/LogLineRecord.java ../lib/otlp/MetricLinePoint.java
//DESCRIPTION Benchmark generate-monitoring in-process: records/s, MB/s and peak heap over a few repetitions, against the original toolchain.
//DESCRIPTION Example: ./jbang bench-generate --events 100000 --users 10000 --workers 2

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "bench-generate", mixinStandardHelpOptions = true, versionProvider = KitVersion.class,
        description = {"Run the generate-monitoring step in this process --runs times (same library call as the step, same files under --output)",
                "and print records/s, MB/s and peak heap per run and their medians, with the ratio against the original Python toolchain",
                "(15,000 records/s and 5.7 MB/s for 100000 events / 10000 users / 2 workers). Runs with -Xmx512m."})
class BenchGenerate implements Callable<Integer> {
    /** The original toolchain on this machine kind: 1.50M records, 575 MB in 100 s for 100000 events / 10000 users. */
    static final double ORIGINAL_RECORDS_PER_S = 15_000, ORIGINAL_MB_PER_S = 5.7;

    @Spec CommandSpec spec;

    @Option(names = "--events", paramLabel = "N", defaultValue = "100000", description = "Root requests (TOTAL_EVENTS of generate-monitoring). Default: ${DEFAULT-VALUE}.")
    long events;

    @Option(names = "--users", paramLabel = "N", defaultValue = "10000", description = "Simulated users. Default: ${DEFAULT-VALUE}.")
    int users;

    @Option(names = {"-w", "--workers"}, paramLabel = "N", defaultValue = "2", description = "Generator threads. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--files", paramLabel = "N", defaultValue = "2", description = "logs_N/metrics_N pairs. Default: ${DEFAULT-VALUE}.")
    int files;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Timed repetitions. Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1", description = "Untimed runs first (JIT warm-up). Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = {"-s", "--seed"}, defaultValue = "42", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--log-format", defaultValue = "seed", description = "seed or extended, as generate-monitoring. Default: ${DEFAULT-VALUE}.")
    String logFormat;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = ".dev/bench/generate", description = "Where the files go (overwritten each run). Default: ${DEFAULT-VALUE}.")
    Path output;

    @Option(names = "--model", paramLabel = "DIR", defaultValue = "fixtures/social_network", description = "Platform model directory. Default: ${DEFAULT-VALUE}.")
    Path model;

    public static void main(String... args) {
        System.exit(new CommandLine(new BenchGenerate()).execute(args));
    }

    /** One timed run: rates over the whole step (model load, generation, ground truth files) and the heap it needed. */
    record Sample(long records, long bytes, double seconds, double cpuSeconds, long peakHeap, long peakCommitted) {
        double recordsPerS() { return records / seconds; }
        double mbPerS() { return bytes / 1e6 / seconds; }
        double recordsPerCpuS() { return records / cpuSeconds; }
    }

    @Override
    public Integer call() {
        if (runs < 1) throw new ParameterException(spec.commandLine(), "--runs must be at least 1, got " + runs);
        if (warmup < 0) throw new ParameterException(spec.commandLine(), "--warmup must not be negative, got " + warmup);
        MonitoringGeneration.Request request;
        try {
            request = MonitoringGeneration.request(model, events, users, output, seed, workers, files, null, "jsonl", logFormat,
                    null, null, null, null);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        System.out.printf(Locale.ROOT, "bench-generate: %,d events, %,d users, %d workers, %d files, %d warm-up + %d runs, max heap %.0f MB -> %s%n",
                events, users, workers, files, warmup, runs, maxHeap / 1e6, output);
        var samples = new ArrayList<Sample>();
        try {
            for (int i = 0; i < warmup + runs; i++) {
                Sample s = measure(request);
                boolean timed = i >= warmup;
                if (timed) samples.add(s);
                System.out.printf(Locale.ROOT, "  %-8s %,11d records  %,9.1f MB  %6.2f s  %,11.0f records/s  %7.1f MB/s  cpu %6.2f s  peak heap %5.0f MB (committed %4.0f MB)%n",
                        timed ? "run " + (i - warmup + 1) : "warm-up", s.records, s.bytes / 1e6, s.seconds, s.recordsPerS(), s.mbPerS(),
                        s.cpuSeconds, s.peakHeap / 1e6, s.peakCommitted / 1e6);
            }
        } catch (RuntimeException e) {
            System.err.println("bench-generate: " + e.getMessage());
            return 1;
        }
        double rps = median(samples.stream().mapToDouble(Sample::recordsPerS).toArray());
        double mbps = median(samples.stream().mapToDouble(Sample::mbPerS).toArray());
        double secs = median(samples.stream().mapToDouble(Sample::seconds).toArray());
        double cpu = median(samples.stream().mapToDouble(Sample::cpuSeconds).toArray());
        double perCpu = median(samples.stream().mapToDouble(Sample::recordsPerCpuS).toArray());
        long peak = samples.stream().mapToLong(Sample::peakHeap).max().orElse(0);
        System.out.printf(Locale.ROOT, "  median   %,11d records  %,9.1f MB  %6.2f s  %,11.0f records/s  %7.1f MB/s  cpu %6.2f s  peak heap %5.0f MB of %.0f MB max (largest run)%n",
                samples.get(0).records, samples.get(0).bytes / 1e6, secs, rps, mbps, cpu, peak / 1e6, maxHeap / 1e6);
        System.out.printf(Locale.ROOT, "  cpu      %,.0f records per cpu-second of this process (%d processors available; a busy machine lowers it less than records/s)%n",
                perCpu, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "  original %,.0f records/s, %.1f MB/s: this is %.0fx records/s, %.0fx MB/s%n",
                ORIGINAL_RECORDS_PER_S, ORIGINAL_MB_PER_S, rps / ORIGINAL_RECORDS_PER_S, mbps / ORIGINAL_MB_PER_S);
        return 0;
    }

    /** Collects garbage, resets the heap pools' peaks, runs the step and reads the peaks (sum over pools: an upper bound). */
    private static Sample measure(MonitoringGeneration.Request request) {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        var report = MonitoringGeneration.run(request, true);
        double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
        long used = 0, committed = 0;
        for (var p : heap) {
            used += p.getPeakUsage().getUsed();
            committed += p.getPeakUsage().getCommitted();
        }
        var r = report.result();
        return new Sample(r.records(), r.bytes(), report.seconds(), cpuSeconds, used, committed);
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
