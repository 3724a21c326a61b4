///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//JAVA_OPTIONS -Xmx2g
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
//DEPS me.tongfei:progressbar:0.10.1
//DEPS io.opentelemetry.proto:opentelemetry-proto:1.8.0-alpha
//DEPS com.google.protobuf:protobuf-java:4.36.2
//SOURCES ../lib/cli/KitVersion.java ../lib/cli/Progress.java ../lib/io/DataFile.java
//SOURCES ../lib/model/Persona.java ../lib/model/ServiceAction.java ../lib/model/InfraComponent.java ../lib/model/Incident.java
//SOURCES ../lib/model/DeploymentWindow.java ../lib/model/Placement.java
//SOURCES ../lib/monitoring/UniformRange.java ../lib/monitoring/PlatformSettings.java ../lib/monitoring/PlatformModel.java
//SOURCES ../lib/monitoring/PlatformModelLoader.java ../lib/monitoring/PlatformModelException.java ../lib/monitoring/Seeds.java
//SOURCES ../lib/monitoring/Scenario.java ../lib/monitoring/IncidentIntensity.java ../lib/monitoring/GenerateConfig.java ../lib/monitoring/UserPopulation.java
//SOURCES ../lib/monitoring/IncidentPlan.java ../lib/monitoring/TrafficBursts.java ../lib/monitoring/ScheduledRelease.java
//SOURCES ../lib/monitoring/DeploymentScheduleReader.java ../lib/monitoring/DeploymentPlan.java ../lib/monitoring/GenerationPlan.java
//SOURCES ../lib/monitoring/JsonLineBuffer.java ../lib/monitoring/ChunkStats.java ../lib/monitoring/EventGenerator.java
//SOURCES ../lib/monitoring/DeploymentLog.java ../lib/monitoring/MonitoringRun.java ../lib/monitoring/GroundTruthFile.java
//SOURCES ../lib/monitoring/GenerationSummary.java ../lib/monitoring/MonitoringGeneration.java ../lib/monitoring/TimeSlices.java
//SOURCES ../lib/monitoring/ChunkRequests.java ../lib/monitoring/NativeLabels.java ../lib/monitoring/NativeMetrics.java
//SOURCES ../lib/monitoring/MonitoringSink.java ../lib/monitoring/MonitoringFiles.java ../lib/model/ReleaseId.java
//SOURCES ../lib/monitoring/RawSeriesCount.java ../lib/monitoring/MonitoringStores.java ../lib/monitoring/StreamOptions.java
//SOURCES ../lib/io/JsonLinesReader.java ../lib/delivery/Backoff.java ../lib/delivery/Batch.java ../lib/delivery/WireFormat.java
//SOURCES ../lib/delivery/JsonLinesBody.java ../lib/delivery/LineParser.java ../lib/delivery/AdaptiveConcurrency.java
//SOURCES ../lib/delivery/Checkpoint.java ../lib/delivery/DeliveryStats.java ../lib/delivery/BatchStream.java
//SOURCES ../lib/delivery/BatchSender.java ../lib/delivery/LineFeed.java ../lib/delivery/ServerCounters.java
//SOURCES ../lib/delivery/CounterCheck.java ../lib/delivery/DeliveryReport.java ../lib/delivery/DeliveryOptions.java
//SOURCES ../lib/delivery/ReleaseTags.java ../lib/victoria/VmImportLine.java ../lib/victoria/VlJsonLine.java
//SOURCES ../lib/tempo/LogSpan.java ../lib/tempo/OtlpTraceBody.java ../lib/monitoring/OtlpJsonFiles.java ../lib/otlp/OtlpJson.java
//SOURCES ../lib/otlp/ExportRequestLines.java ../lib/otlp/LogLineRecord.java ../lib/otlp/MetricLinePoint.java
//SOURCES ../lib/monitoring/Shard.java ../lib/monitoring/DiscardedOutput.java ../lib/monitoring/LiveLaunch.java
//DESCRIPTION Generate correlated logs, metrics and trace spans for the simulated platform, with incidents.json ground truth.
//DESCRIPTION With --to vm,vl,tempo,otlp the data goes straight to the stores (otlp: any OTLP/HTTP receiver) through the importers' delivery (no files in between).
//DESCRIPTION Example: ./jbang generate-monitoring 100000 10000 --workers 2 --log-format extended

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "generate-monitoring", mixinStandardHelpOptions = true, versionProvider = KitVersion.class,
        description = {"Write logs_N.jsonl, metrics_N.jsonl, summary.json and incidents.json: persona-driven requests with child spans,",
                "infrastructure incidents, dependency cascades and deployment dips. Same seed and flags give the same bytes for any --workers.",
                "--to vm,vl,tempo,otlp streams them straight to the stores instead (or as well, with files in the list), with the importers' batching,",
                "retries, backpressure and counter checks. Exit 0 when all was written and delivered, 1 otherwise, 2 when a store does not answer",
                "(checked before anything is generated) or a flag is wrong.",
                "--format otlp writes the same data in the OTLP File format instead, for OpenTelemetry tooling.",
                "--shard K/N makes part K (from 0) of N of the same run, as an independent process: together the N shards are the whole run.",
                "--live generates on wall-clock time instead, at --rate or --scenario, until --duration or SIGINT/SIGTERM (same as the live alias)."})
class GenerateMonitoring implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TOTAL_EVENTS", description = "Root requests to generate (child spans come on top, ~2.7x in all). Optional with --scenario.")
    Long totalEvents;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TOTAL_USERS", description = "Simulated users. Optional with --scenario.")
    Integer totalUsers;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = ".dev/data/test_data", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = {"-s", "--seed"}, defaultValue = "42", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-w", "--workers"}, paramLabel = "N", defaultValue = "2", description = "Generator threads; changes speed only, never the bytes (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--files", paramLabel = "N", defaultValue = "2", description = "How many logs_N/metrics_N pairs to write (default: ${DEFAULT-VALUE}).")
    int files;

    @Option(names = "--deployment-schedule", paramLabel = "FILE", description = "deployment_schedule.json from generate-fixtures: real release ids and deployment windows (default: a built-in schedule).")
    Path schedule;

    @Option(names = {"-f", "--format"}, defaultValue = "jsonl", description = "jsonl = the JSON lines the kit's importers read; otlp = OTLP File format "
            + "(what the OpenTelemetry Collector's file exporter writes and its otlpjsonfile receiver replays): logs_N.otlp.jsonl, traces_N.otlp.jsonl, "
            + "metrics_N.otlp.jsonl (raw metrics as gauges), each line one export request holding a chunk, cut into several lines past 1 MiB "
            + "(the receiver's default max_log_size). Native metrics stay native_metrics_N.jsonl and native_exemplars.txt in either format "
            + "(default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--log-format", defaultValue = "seed", description = "seed = the seed's 21 log fields; extended = plus \"duration_ms\" (span latency) on request lines (default: ${DEFAULT-VALUE}).")
    String logFormat;

    @Option(names = "--metrics", defaultValue = "raw", description = "raw = the seed's one sample per request (metrics_N.jsonl); native = counters and histograms per scrape interval "
            + "(native_metrics_N.jsonl, VictoriaMetrics import lines, and native_exemplars.txt, OpenMetrics); both (default: ${DEFAULT-VALUE}).")
    String metrics;

    @Option(names = "--scrape-interval", defaultValue = "15s", description = "Scrape interval of the native metrics, whole seconds (default: ${DEFAULT-VALUE}).")
    String scrapeInterval;

    @Option(names = "--start", paramLabel = "TIME", description = "Window start, ISO date or date-time in UTC (default: --end minus 365 days, or minus --duration).")
    String start;

    @Option(names = "--end", paramLabel = "TIME", description = "Window end, ISO date or date-time in UTC, not in the future (default: today 00:00 UTC).")
    String end;

    @Option(names = "--scenario", description = "Preset: realistic (2 requests/s, 1000 users, normal incidents and deployments) or stress (10 requests/s, 5000 users, 5x incidents, 4x deployments, ~6 traffic bursts a day).")
    String scenario;

    @Option(names = "--incident-intensity", paramLabel = "X", defaultValue = "1", description = "Multiply the incident and cascade failure rates by X "
            + "(capped at 0.95, never below the seed's), so a small run carries incidents its data shows; recorded in summary.json and incidents.json. "
            + "1 = the seed's rates (default: ${DEFAULT-VALUE}).")
    double incidentIntensity;

    @Option(names = "--duration", description = "Window length ending at --end: 1h, 6h, 24h, 2d, 7d (default with --scenario: 1h). "
            + "With --live: how long to run, at most 365d (default: until SIGINT/SIGTERM).")
    String duration;

    @Option(names = "--model", paramLabel = "DIR", defaultValue = "fixtures/social_network", description = "Platform model directory (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--shard", paramLabel = "K/N", description = "Make only part K (0 .. N-1) of N of this run: every N-th time slice from slice K. "
            + "The union of the N shards' log and raw metric lines is the unsharded run's lines; incidents.json is the same in every shard; "
            + "native series carry instance=\"shard-K-of-N\", so sum without (instance) over the shards is the unsharded value "
            + "(default: the whole run, no instance label).")
    String shard;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    @Mixin
    StreamOptions stream;

    @Option(names = "--live", description = "Live mode: wall-clock timestamps at --rate roots/s (or --scenario), ground truth appended to incidents.jsonl "
            + "as it happens, until --duration or SIGINT/SIGTERM; see the live alias.")
    boolean live;

    @Mixin
    LiveOptions liveOptions;

    public static void main(String... args) {
        System.exit(new CommandLine(new GenerateMonitoring()).execute(args));
    }

    @Override
    public Integer call() {
        if (live) return live();
        if (liveOptions.rate != null || liveOptions.users != null || liveOptions.serveMetrics != null || !liveOptions.inject.isEmpty())
            throw new ParameterException(spec.commandLine(), "--rate, --users, --serve-metrics and --inject are live mode's: add --live");
        MonitoringGeneration.Request request;
        boolean discard;
        try {
            request = MonitoringGeneration.request(model, totalEvents, totalUsers, output, seed, workers, files, schedule, format,
                    logFormat, start, end, scenario, duration, metrics, scrapeInterval).withIncidentIntensity(incidentIntensity);
            if (shard != null) request = request.withShard(Shard.parse(shard));
            discard = stream.discard();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (discard) return discarded(request);
        java.util.Set<MonitoringStores.Store> stores;
        try {
            stores = stream.stores();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!stores.isEmpty()) return streamed(request, stream.files());
        try {
            var report = MonitoringGeneration.run(request, quiet);
            report.print(System.out);
            return 0;
        } catch (RuntimeException e) {
            System.err.println("generate-monitoring: " + e.getMessage());
            if (verbose) e.printStackTrace();
            return 1;
        }
    }

    private int live() {
        LiveRun.Settings settings;
        try {
            if (totalEvents != null || totalUsers != null)
                throw new IllegalArgumentException("--live runs at --rate until --duration or a signal: no TOTAL_EVENTS TOTAL_USERS (--users sets the users)");
            if (start != null || end != null) throw new IllegalArgumentException("--live runs on the wall clock: no --start or --end");
            if (shard != null) throw new IllegalArgumentException("--live makes the whole run: no --shard");
            if (!format.equalsIgnoreCase("jsonl")) throw new IllegalArgumentException("--live writes jsonl lines; --format otlp is for a historical run");
            settings = LiveLaunch.settings(model, seed, liveOptions, scenario, duration, files, output, logFormat, schedule, metrics,
                    scrapeInterval, incidentIntensity);
            stream.discard();
            stream.stores();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return LiveLaunch.run(settings, stream, liveOptions.serveMetrics, quiet, verbose, System.out, System.err);
    }

    private int discarded(MonitoringGeneration.Request request) {
        var sink = new DiscardedOutput();
        try {
            var report = MonitoringGeneration.run(request, quiet, sink);
            report.print(System.out, sink.headline(), false);
            return 0;
        } catch (RuntimeException e) {
            System.err.println("generate-monitoring: " + e.getMessage());
            if (verbose) e.printStackTrace();
            return 1;
        }
    }

    private int streamed(MonitoringGeneration.Request request, boolean files) {
        MonitoringStores sink;
        try {
            sink = MonitoringStores.open(stream, request.startMicros(), !files ? null : () -> new MonitoringFiles(request.output(), request.files(),
                    MonitoringFiles.streams(request.rawMetrics(), request.nativeMetrics())));
        } catch (UncheckedIOException e) {
            System.err.println("generate-monitoring: " + e.getMessage());
            return 2;
        }
        try {
            var report = MonitoringGeneration.run(request, quiet, sink);
            report.print(System.out, sink.headline(), files);
            sink.print(System.out, System.err);
            return sink.delivered() ? 0 : 1;
        } catch (RuntimeException e) {
            try {
                sink.close();
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            System.err.println("generate-monitoring: " + e.getMessage());
            sink.print(System.err, System.err);
            if (verbose) e.printStackTrace();
            return 1;
        }
    }
}
