///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//JAVA_OPTIONS -Xmx1g
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
//DEPS me.tongfei:progressbar:0.10.1
//DEPS io.opentelemetry.proto:opentelemetry-proto:1.8.0-alpha
//SOURCES ../lib/cli/KitVersion.java ../lib/cli/Progress.java ../lib/io/DataFile.java ../lib/io/JsonLinesReader.java
//SOURCES ../lib/model/Persona.java ../lib/model/ServiceAction.java ../lib/model/InfraComponent.java ../lib/model/Incident.java
//SOURCES ../lib/model/DeploymentWindow.java ../lib/model/Placement.java ../lib/model/ReleaseId.java
//SOURCES ../lib/monitoring/UniformRange.java ../lib/monitoring/PlatformSettings.java ../lib/monitoring/PlatformModel.java
//SOURCES ../lib/monitoring/PlatformModelLoader.java ../lib/monitoring/PlatformModelException.java ../lib/monitoring/Seeds.java
//SOURCES ../lib/monitoring/Scenario.java ../lib/monitoring/IncidentIntensity.java ../lib/monitoring/GenerateConfig.java ../lib/monitoring/UserPopulation.java
//SOURCES ../lib/monitoring/IncidentPlan.java ../lib/monitoring/TrafficBursts.java ../lib/monitoring/ScheduledRelease.java
//SOURCES ../lib/monitoring/DeploymentScheduleReader.java ../lib/monitoring/DeploymentPlan.java
//SOURCES ../lib/monitoring/GenerationPlan.java ../lib/monitoring/JsonLineBuffer.java ../lib/monitoring/ChunkStats.java
//SOURCES ../lib/monitoring/EventGenerator.java ../lib/monitoring/DeploymentLog.java ../lib/monitoring/MonitoringRun.java
//SOURCES ../lib/monitoring/GroundTruthFile.java ../lib/monitoring/GenerationSummary.java
//SOURCES ../lib/monitoring/MonitoringGeneration.java ../lib/monitoring/TimeSlices.java ../lib/monitoring/ChunkRequests.java
//SOURCES ../lib/monitoring/NativeLabels.java ../lib/monitoring/NativeMetrics.java ../lib/monitoring/MonitoringSink.java
//SOURCES ../lib/monitoring/MonitoringFiles.java ../lib/monitoring/RawSeriesCount.java ../lib/delivery/Backoff.java
//SOURCES ../lib/delivery/Batch.java ../lib/delivery/WireFormat.java ../lib/delivery/JsonLinesBody.java
//SOURCES ../lib/delivery/LineParser.java ../lib/delivery/AdaptiveConcurrency.java ../lib/delivery/Checkpoint.java
//SOURCES ../lib/delivery/DeliveryStats.java ../lib/delivery/BatchStream.java ../lib/delivery/BatchSender.java
//SOURCES ../lib/delivery/InputFiles.java ../lib/delivery/FileImport.java ../lib/delivery/ServerCounters.java
//SOURCES ../lib/delivery/DeliveryOptions.java ../lib/delivery/ImportRun.java ../lib/delivery/ReleaseTags.java
//SOURCES ../lib/victoria/VmImportLine.java ../lib/victoria/VictoriaMetricsProcess.java ../lib/monitoring/MonitoringStores.java
//SOURCES ../lib/monitoring/StreamOptions.java ../lib/delivery/LineFeed.java ../lib/delivery/CounterCheck.java
//SOURCES ../lib/delivery/DeliveryReport.java ../lib/victoria/VlJsonLine.java ../lib/tempo/LogSpan.java
//SOURCES ../lib/tempo/OtlpTraceBody.java ../lib/monitoring/OtlpJsonFiles.java ../lib/otlp/OtlpJson.java
//SOURCES ../lib/otlp/ExportRequestLines.java ../lib/otlp/LogLineRecord.java ../lib/otlp/MetricLinePoint.java
//DESCRIPTION Benchmark raw against native metrics: one generated run with --metrics both, each form imported by import-vm into
//DESCRIPTION its own fresh Debian VictoriaMetrics; prints the series the server created and samples/s for each.
//DESCRIPTION Example: ./jbang bench-native --events 100000 --users 10000

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench-native", mixinStandardHelpOptions = true, versionProvider = KitVersion.class,
        description = {"Generate --events root requests with --metrics both, then import metrics_N.jsonl (raw) and native_metrics_N.jsonl",
                "(native) with import-vm, each into a fresh VictoriaMetrics (/usr/bin/victoria-metrics or QAIRON_VM_BIN).",
                "Prints series created (vm_new_timeseries_created_total), samples/s, and the raw/native series ratio."})
class BenchNative implements Callable<Integer> {
    @Option(names = "--events", defaultValue = "100000", description = "Root requests to generate. Default: ${DEFAULT-VALUE}.")
    long events;

    @Option(names = "--users", defaultValue = "10000", description = "Simulated users. Default: ${DEFAULT-VALUE}.")
    int users;

    @Option(names = "--seed", defaultValue = "42", description = "Generator seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--duration", description = "Window the events are spread over, as generate-monitoring --duration (1h, 24h, 7d ...)."
            + " Default: the generator's year; a shorter window gives denser series, which import faster.")
    String duration;

    @Option(names = "--workers", defaultValue = "8", description = "import-vm --workers ceiling. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--skip-raw", description = "Import only the native form (the raw import of a year of per-request samples takes minutes).")
    boolean skipRaw;

    @Option(names = "--out", defaultValue = ".dev/bench/native", description = "Working directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    public static void main(String... args) {
        System.exit(new CommandLine(new BenchNative()).execute(args));
    }

    /** What one import into a fresh server did. */
    record Form(String name, long samples, long series, long seriesDays, double seconds, int exit) {
        double rate() { return samples / seconds; }
    }

    @Override
    public Integer call() throws Exception {
        if (VictoriaMetricsProcess.unavailable() instanceof String why) {
            System.err.println("bench-native: " + why);
            return 2;
        }
        long t0 = System.nanoTime();
        deleteTree(out);
        Path data = out.resolve("data");
        var req = MonitoringGeneration.request(Path.of("fixtures/social_network"), events, users, data, seed, 2, 2, null, "jsonl", "seed",
                null, null, null, duration, "both", "15s");
        var gen = MonitoringGeneration.run(req, true);
        var lines = new ArrayList<String>();
        lines.add(String.format(Locale.ROOT, "  generate     %,d roots, %.1f s: %,d raw samples, %,d native samples (%,d series counted by the generator)",
                events, gen.seconds(), gen.result().totals().metricLines, gen.result().nativeTotals().samples(), gen.result().nativeTotals().series()));
        var forms = new ArrayList<Form>();
        if (!skipRaw) forms.add(importInto("raw", data, "metrics_*.jsonl", lines));
        forms.add(importInto("native", data, "native_metrics_*.jsonl", lines));
        for (Form f : forms)
            lines.add(String.format(Locale.ROOT, "  %-7s      %,d samples in %.1f s, %,.0f samples/s, %,d series created, %,d series-days"
                            + " (%.1f samples each), import exit %d",
                    f.name(), f.samples(), f.seconds(), f.rate(), f.series(), f.seriesDays(), (double) f.samples() / f.seriesDays(), f.exit()));
        String headline;
        Form nat = forms.get(forms.size() - 1);
        if (forms.size() == 2) {
            double ratio = (double) forms.get(0).series() / nat.series();
            headline = String.format(Locale.ROOT, "native makes %.1fx fewer series (target 30x), imports %,.0f samples/s (target 500k)", ratio, nat.rate());
        } else {
            headline = String.format(Locale.ROOT, "native imports %,.0f samples/s (target 500k), %,d series", nat.rate(), nat.series());
        }
        System.out.printf(Locale.ROOT, "bench-native: done in %.1f s, %s%n", (System.nanoTime() - t0) / 1e9, headline);
        lines.forEach(System.out::println);
        return forms.stream().allMatch(f -> f.exit() == 0) ? 0 : 1;
    }

    private Form importInto(String name, Path data, String glob, List<String> lines) throws Exception {
        var buf = new ByteArrayOutputStream();
        try (var vm = VictoriaMetricsProcess.start(out.resolve("vm-" + name))) {
            var o = CommandLine.populateCommand(new DeliveryOptions(), "--workers", String.valueOf(workers), "--quiet",
                    "--checkpoint", out.resolve(name + ".checkpoint.tsv").toString());
            var print = new PrintStream(buf, true);
            var r = new ImportRun<>("import-vm", vm.url(), "samples", glob, new VmImportLine(), VmImportLine.format(),
                    VmImportLine.counters(vm.url())).execute(List.of(data.resolve(glob).toString()), o, print, print);
            vm.flush();
            long series = counter(vm.url(), "vm_new_timeseries_created_total");
            // Per-day index rows are written once per label of a series on each day it has samples: on sparse data they,
            // not the samples, are most of the server's work.
            long seriesDays = seriesDays(vm.url());
            buf.toString().lines().forEach(l -> lines.add("    " + name + " | " + l));
            return new Form(name, r.stats().acknowledged.sum(), series, seriesDays, r.seconds(), r.exitCode());
        } finally {
            deleteTree(out.resolve("vm-" + name));
        }
    }

    private static long counter(URI base, String name) throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        var m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.e+]+)$").matcher(text);
        if (!m.find()) throw new IllegalStateException(base + "/metrics has no " + name);
        return Math.round(Double.parseDouble(m.group(1)));
    }

    /** Sum over the days of the server's retention of the series with samples that day (its per-day index). */
    private static long seriesDays(URI base) throws Exception {
        var http = HttpClient.newHttpClient();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        long sum = 0;
        var today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        for (var day = today.minusYears(2); !day.isAfter(today.plusDays(1)); day = day.plusDays(1)) {
            String body = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/status/tsdb?topN=1&date=" + day)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            sum += json.readTree(body).path("data").path("totalSeries").asLong();
        }
        return sum;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
