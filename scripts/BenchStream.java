///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//JAVA_OPTIONS -Xmx2g
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
//DESCRIPTION Benchmark streaming end to end: generate-monitoring --to vm,vl,tempo into a fresh Debian VictoriaMetrics and
//DESCRIPTION in-process VictoriaLogs/Tempo receivers, --runs times; events/s and records/s, median, next to generation alone.
//DESCRIPTION Example: ./jbang bench-stream --events 100000 --users 10000

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench-stream", mixinStandardHelpOptions = true, versionProvider = KitVersion.class,
        description = {"Time generate-monitoring --to vm,vl,tempo end to end (model load to the last acknowledged batch and the counter check):",
                "VictoriaMetrics is the Debian binary, fresh for each run; VictoriaLogs and Tempo are in-process receivers that decode and count.",
                "Each run is checked: everything delivered, the receivers' counts equal to what was generated. Also times generation alone",
                "(a sink that drops everything), so the cost of delivery shows. Prints every run and the medians."})
class BenchStream implements Callable<Integer> {

    @Option(names = "--events", defaultValue = "100000", description = "TOTAL_EVENTS (root requests). Default: ${DEFAULT-VALUE}.")
    long events;

    @Option(names = "--users", defaultValue = "10000", description = "TOTAL_USERS. Default: ${DEFAULT-VALUE}.")
    int users;

    @Option(names = "--runs", defaultValue = "3", description = "Runs of each kind; the medians are reported. Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--workers", defaultValue = "2", description = "Generator threads. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--send-workers", defaultValue = "8", description = "Requests in flight per store at most. Default: ${DEFAULT-VALUE}.")
    int sendWorkers;

    @Option(names = "--metrics", defaultValue = "native", description = "Metric forms: raw, native or both (the pipeline's default is native). Default: ${DEFAULT-VALUE}.")
    String metrics;

    @Option(names = "--duration", description = "Window length ending today (default: a year, as generate-monitoring).")
    String duration;

    @Option(names = "--seed", defaultValue = "42", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", defaultValue = ".dev/bench/stream", description = "Working directory (summary files, VictoriaMetrics data). Default: ${DEFAULT-VALUE}.")
    Path out;

    public static void main(String... args) {
        System.exit(new CommandLine(new BenchStream()).execute(args));
    }

    /** One timed run: seconds, records generated, whether all arrived. */
    record Run(double seconds, long records, boolean ok, String note) {}

    @Override
    public Integer call() throws Exception {
        if (VictoriaMetricsProcess.unavailable() instanceof String why) {
            System.err.println("bench-stream: " + why);
            return 2;
        }
        long t0 = System.nanoTime();
        Files.createDirectories(out);
        var request = MonitoringGeneration.request(Path.of("fixtures/social_network"), events, users, out.resolve("summary"), seed, workers, 2,
                null, "jsonl", "extended", null, null, null, duration, metrics, "15s");
        var lines = new ArrayList<String>();
        var alone = new ArrayList<Run>();
        var streamed = new ArrayList<Run>();
        for (int i = 0; i < runs; i++) {
            alone.add(generateOnly(request));
            streamed.add(stream(request, i));
        }
        boolean ok = streamed.stream().allMatch(Run::ok);
        for (int i = 0; i < runs; i++) {
            lines.add(line("generate only", i, alone.get(i)));
            lines.add(line("streamed", i, streamed.get(i)));
            lines.add("    | " + streamed.get(i).note());
        }
        double gen = median(alone), str = median(streamed);
        long records = streamed.get(0).records();
        System.out.printf(Locale.ROOT, "bench-stream: done in %.1f s, streaming end to end %,.0f events/s (%,.0f records/s), generation alone %,.0f events/s; "
                        + "medians of %d runs%s%n", (System.nanoTime() - t0) / 1e9, events / str, records / str, events / gen, runs,
                ok ? "" : ", SOME RUNS DID NOT DELIVER EVERYTHING");
        System.out.printf(Locale.ROOT, "  dataset      %,d events, %,d users, --metrics %s, window %s, %,d records a run%n", events, users, metrics,
                duration == null ? "365d" : duration, records);
        System.out.printf(Locale.ROOT, "  setup        %d generator workers, --send-workers %d, %d cores; VictoriaMetrics %s%n", workers, sendWorkers,
                Runtime.getRuntime().availableProcessors(), VictoriaMetricsProcess.binary());
        lines.forEach(System.out::println);
        return ok ? 0 : 1;
    }

    private static String line(String what, int i, Run r) {
        return String.format(Locale.ROOT, "  run %d %-13s %6.1f s  %,9.0f records/s%s", i + 1, what, r.seconds(), r.records() / r.seconds(),
                r.ok() ? "" : "  NOT ALL DELIVERED");
    }

    private static double median(List<Run> runs) {
        double[] s = runs.stream().mapToDouble(Run::seconds).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private Run generateOnly(MonitoringGeneration.Request request) {
        var report = MonitoringGeneration.run(request, true, new MonitoringSink() {
            public void write(Stream stream, int part, byte[] bytes, int length) { }

            public void close() { }
        });
        return new Run(report.seconds(), report.result().records(), true, "");
    }

    private Run stream(MonitoringGeneration.Request request, int i) throws IOException {
        Path vmDir = out.resolve("vm-" + i);
        deleteTree(vmDir);
        byte[] ok = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        try (var vm = VictoriaMetricsProcess.start(vmDir);
             var vl = new CountingReceiver("/insert/jsonline", 204, new byte[0], "", CountingReceiver::lines);
             var tempo = new CountingReceiver("/v1/traces", 200, ok, "application/x-protobuf", BenchStream::spans)) {
            var options = CommandLine.populateCommand(new StreamOptions(), "--to", "vm,vl,tempo", "--vm-url", vm.url().toString(),
                    "--vl-url", vl.url().toString(), "--tempo-url", tempo.url().toString(), "--send-workers", String.valueOf(sendWorkers));
            var sink = MonitoringStores.open(options, null);
            var report = MonitoringGeneration.run(request, true, sink);
            var t = report.result().totals();
            long logs = t.logLines + report.result().deploymentLines();
            long samples = t.metricLines + (report.result().nativeTotals() == null ? 0 : report.result().nativeTotals().samples());
            boolean all = sink.delivered() && vl.records.get() == logs && tempo.records.get() == logs
                    && sink.reports().get(MonitoringStores.Store.VM).stats().acknowledged.sum() == samples;
            var buf = new ByteArrayOutputStream();
            sink.print(new PrintStream(buf, true, StandardCharsets.UTF_8), new PrintStream(buf, true, StandardCharsets.UTF_8));
            String vmServer = buf.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("accepted")).findFirst().orElse("").strip()
                    .replaceFirst("^server\\s+", "");
            long retried = sink.reports().values().stream().mapToLong(r -> r.stats().retried.sum()).sum();
            String note = String.format(Locale.ROOT, "%s, %,d requests retried; VL receiver %,d logs, Tempo receiver %,d spans; VM %s", sink.headline(),
                    retried, vl.records.get(), tempo.records.get(), vmServer);
            return new Run(report.seconds(), report.result().records(), all, note);
        } finally {
            deleteTree(vmDir);
        }
    }

    private static long spans(byte[] body) {
        try {
            long n = 0;
            for (var rs : io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.parseFrom(body).getResourceSpansList())
                for (var ss : rs.getScopeSpansList()) n += ss.getSpansCount();
            return n;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }

}
