///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
//DEPS me.tongfei:progressbar:0.10.1
//DEPS io.opentelemetry.proto:opentelemetry-proto:1.8.0-alpha
//DEPS com.google.protobuf:protobuf-java:4.36.2
//SOURCES ../lib/model/ReleaseId.java ../lib/cli/KitVersion.java ../lib/cli/Progress.java ../lib/io/DataFile.java
//SOURCES ../lib/io/JsonLinesReader.java ../lib/delivery/Backoff.java ../lib/delivery/Batch.java ../lib/delivery/WireFormat.java
//SOURCES ../lib/delivery/JsonLinesBody.java ../lib/delivery/LineParser.java ../lib/delivery/AdaptiveConcurrency.java
//SOURCES ../lib/delivery/Checkpoint.java ../lib/delivery/DeliveryStats.java ../lib/delivery/BatchStream.java
//SOURCES ../lib/delivery/BatchSender.java ../lib/delivery/InputFiles.java ../lib/delivery/FileImport.java
//SOURCES ../lib/delivery/ServerCounters.java ../lib/delivery/DeliveryOptions.java ../lib/delivery/ImportRun.java
//SOURCES ../lib/delivery/ReleaseTags.java ../lib/delivery/CounterCheck.java ../lib/delivery/DeliveryReport.java
//SOURCES ../lib/victoria/VmImportLine.java ../lib/victoria/VlJsonLine.java ../lib/victoria/VictoriaMetricsProcess.java
//SOURCES ../lib/tempo/LogSpan.java ../lib/tempo/OtlpTraceBody.java ../lib/sample/SampleLines.java
//SOURCES ../lib/bench/CountingReceiver.java
//DESCRIPTION Benchmark the importers: import-vm against curl --data-binary of the same transformed payload, each into a fresh
//DESCRIPTION Debian VictoriaMetrics; import-vl and export-tempo against in-process receivers (records/s, MB/s).
//DESCRIPTION Example: ./jbang bench-import --events 100000

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench-import", mixinStandardHelpOptions = true, versionProvider = KitVersion.class,
        description = {"Generate a seeded dataset of --events events (roots + child spans) in the generator's formats, then:",
                "VM: curl --data-binary of the transformed payload (--curl-streams at once) into a fresh VictoriaMetrics, and import-vm into another;",
                "VL and Tempo: import-vl and export-tempo into in-process receivers that decode and count. Prints rates and the import-vm/curl ratio."})
class BenchImport implements Callable<Integer> {

    @Option(names = "--events", defaultValue = "100000", description = "Events (request roots + child spans). Default: ${DEFAULT-VALUE}.")
    int events;

    @Option(names = "--files", defaultValue = "4", description = "Files the dataset is split into (read in parallel). Default: ${DEFAULT-VALUE}.")
    int files;

    @Option(names = "--curl-streams", defaultValue = "2", description = "Parallel curl uploads. Default: ${DEFAULT-VALUE}.")
    int curlStreams;

    @Option(names = "--rounds", defaultValue = "1", description = "VM rounds of curl then import-vm, each into fresh servers; the ratio is the median of the rounds' ratios. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--workers", defaultValue = "8", description = "import-vm/import-vl/export-tempo --workers ceiling. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--seed", defaultValue = "42", description = "Dataset seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--stores", split = ",", defaultValue = "vm,vl,tempo", description = "Which to run: vm, vl, tempo. Default: ${DEFAULT-VALUE}.")
    List<String> stores;

    @Option(names = "--out", defaultValue = ".dev/bench/import", description = "Working directory (dataset, VictoriaMetrics data). Default: ${DEFAULT-VALUE}.")
    Path out;

    public static void main(String... args) {
        System.exit(new CommandLine(new BenchImport()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (rounds < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--rounds must be at least 1, got " + rounds);
        if (stores.contains("vm") && VictoriaMetricsProcess.unavailable() instanceof String why) {
            System.err.println("bench-import: " + why);
            return 2;
        }
        long t0 = System.nanoTime();
        Files.createDirectories(out);
        var lines = new ArrayList<String>();
        Path data = out.resolve("data");
        long[] counts = writeDataset(data);
        lines.add(String.format(Locale.ROOT, "  dataset        %d events, %d log lines, %d metric samples in %d+%d files (%s)",
                counts[0], counts[1], counts[2], files, files, data));
        String headline = "";
        int code = 0;
        if (stores.contains("vm")) {
            double[] vm = benchVm(data, counts[2], lines);
            if (vm == null) code = 1;
            else headline += String.format(Locale.ROOT, "import-vm %.2fx curl (%.0f vs %.0f samples/s%s)", vm[2], vm[1], vm[0],
                    rounds > 1 ? ", medians of " + rounds + " rounds" : "");
        }
        if (stores.contains("vl")) {
            double[] vl = benchReceiver("import-vl", data, lines, new CountingReceiver("/insert/jsonline", 204, new byte[0], "", CountingReceiver::lines),
                    (url) -> new ImportRun<>("import-vl", url, "logs", "logs_*.jsonl*", new VlJsonLine(), VlJsonLine.format(), null));
            headline += String.format(Locale.ROOT, "%simport-vl %.0f logs/s %.1f MB/s", headline.isEmpty() ? "" : ", ", vl[0], vl[1]);
        }
        if (stores.contains("tempo")) {
            byte[] ok = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            double[] tt = benchReceiver("export-tempo", data, lines, new CountingReceiver("/v1/traces", 200, ok, "application/x-protobuf", CountingReceiver::spans),
                    (url) -> new ImportRun<>("export-tempo", url, "spans", "logs_*.jsonl*", new LogSpan.Parser(), new OtlpTraceBody(), null));
            headline += String.format(Locale.ROOT, "%sexport-tempo %.0f spans/s %.1f MB/s", headline.isEmpty() ? "" : ", ", tt[0], tt[1]);
        }
        System.out.printf(Locale.ROOT, "bench-import: done in %.1f s, %s%n", (System.nanoTime() - t0) / 1e9, headline);
        lines.forEach(System.out::println);
        return code;
    }

    /** {events, log lines, metric samples}; timestamps end an hour ago so VictoriaMetrics keeps them. */
    private long[] writeDataset(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (var old = Files.list(dir)) {
            for (Path p : old.toList()) Files.delete(p);
        }
        var sample = new SampleLines(seed, Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS), true);
        var logs = new Writer[files];
        var metrics = new Writer[files];
        for (int f = 0; f < files; f++) {
            logs[f] = DataFile.writer(dir.resolve("logs_" + f + ".jsonl"));
            metrics[f] = DataFile.writer(dir.resolve("metrics_" + f + ".jsonl"));
        }
        long ev = 0, logLines = 0, samples = 0;
        for (int root = 0; ev < events; root++) {
            int f = root % files;
            for (var e : sample.request()) {
                logs[f].write(e.log());
                logs[f].write('\n');
                logLines++;
                ev++;
                for (String m : e.metrics()) {
                    metrics[f].write(m);
                    metrics[f].write('\n');
                    samples++;
                }
            }
        }
        for (int f = 0; f < files; f++) {
            logs[f].close();
            metrics[f].close();
        }
        return new long[]{ev, logLines, samples};
    }

    /** {curl samples/s, import-vm samples/s, import-vm/curl}, medians over the rounds; null when a run did not deliver everything. */
    private double[] benchVm(Path data, long samples, List<String> lines) throws Exception {
        // the payload curl sends: the importer's own transform of the same lines, split into curl-streams files
        var payloads = new ArrayList<Path>();
        var outs = new ArrayList<OutputStream>();
        for (int s = 0; s < curlStreams; s++) {
            Path p = out.resolve("payload_" + s + ".jsonl");
            payloads.add(p);
            outs.add(new BufferedOutputStream(Files.newOutputStream(p), 1 << 16));
        }
        var transform = new VmImportLine();
        long i = 0;
        for (Path f : InputFiles.expand(List.of(data.toString()), "metrics_*.jsonl*")) {
            try (var r = new JsonLinesReader(f)) {
                for (var line : r) {
                    OutputStream o = outs.get((int) (i++ * curlStreams / samples));
                    o.write(transform.parse(line));
                    o.write('\n');
                }
            }
        }
        for (OutputStream o : outs) o.close();
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        double[] curlRates = new double[rounds], kitRates = new double[rounds], ratios = new double[rounds], cpuPer100k = new double[rounds];
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        boolean ok = true;
        for (int r = 0; r < rounds; r++) { // curl and import-vm in turn, so a machine whose speed drifts moves both
            String round = rounds > 1 ? String.format(Locale.ROOT, " [%d/%d]", r + 1, rounds) : "";
            double curlSecs;
            long curlStored;
            try (var vm = VictoriaMetricsProcess.start(out.resolve("vm-curl"))) {
                var counters = VmImportLine.counters(vm.url());
                double before = counters.read(http).accepted();
                long t = System.nanoTime();
                var procs = new ArrayList<Process>();
                for (Path p : payloads) {
                    procs.add(new ProcessBuilder("curl", "-sS", "-f", "-o", "/dev/null", "-H", "Content-Type: application/json",
                            "--data-binary", "@" + p, vm.url() + "/api/v1/import").inheritIO().start());
                }
                for (Process p : procs) if (p.waitFor() != 0) throw new IllegalStateException("curl failed with exit " + p.exitValue());
                curlSecs = (System.nanoTime() - t) / 1e9;
                curlStored = Math.round(counters.read(http).accepted() - before);
            }
            deleteTree(out.resolve("vm-curl"));
            curlRates[r] = samples / curlSecs;
            lines.add(String.format(Locale.ROOT, "  vm curl%s      %d streams, %.1f s, %.0f samples/s, server counted %d", round, curlStreams, curlSecs,
                    curlRates[r], curlStored));

            ImportRun.Result result;
            var buf = new java.io.ByteArrayOutputStream();
            long cpu0;
            try (var vm = VictoriaMetricsProcess.start(out.resolve("vm-kit"))) {
                var o = CommandLine.populateCommand(new DeliveryOptions(), "--workers", String.valueOf(workers), "--quiet",
                        "--readers", String.valueOf(Math.min(files, 2)), "--checkpoint", out.resolve("vm-kit.checkpoint.tsv").toString());
                cpu0 = os.getProcessCpuTime(); // the server is another process: this is the importer's own CPU (and its JIT and GC)
                result = new ImportRun<>("import-vm", vm.url(), "samples", "metrics_*.jsonl*", new VmImportLine(), VmImportLine.format(),
                        VmImportLine.counters(vm.url())).execute(List.of(data.toString()), o, new PrintStream(buf, true), new PrintStream(buf, true));
                cpuPer100k[r] = (os.getProcessCpuTime() - cpu0) / 1e9 * 100_000 / Math.max(1, result.stats().read.sum());
            }
            deleteTree(out.resolve("vm-kit"));
            kitRates[r] = result.stats().acknowledged.sum() / result.seconds();
            ratios[r] = kitRates[r] / curlRates[r];
            lines.add(String.format(Locale.ROOT, "  vm import-vm%s ceiling %d workers, %.1f s, %.0f samples/s, %.1f MB/s in, %.2f CPU s per 100k lines, exit %d; ratio %.2fx curl",
                    round, workers, result.seconds(), kitRates[r], result.stats().inputBytes.sum() / 1e6 / result.seconds(), cpuPer100k[r], result.exitCode(), ratios[r]));
            buf.toString().lines().forEach(l -> lines.add("    | " + l));
            if (result.exitCode() != 0 || curlStored != samples) ok = false;
        }
        if (rounds > 1) {
            lines.add(String.format(Locale.ROOT, "  vm median      curl %.0f samples/s, import-vm %.0f samples/s and %.2f CPU s per 100k lines, ratio %.2fx curl (median of %d rounds' ratios)",
                    median(curlRates), median(kitRates), median(cpuPer100k), median(ratios), rounds));
        }
        if (!ok) return null;
        return new double[]{median(curlRates), median(kitRates), median(ratios)};
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** {records/s, input MB/s} against an in-process receiver. */
    private double[] benchReceiver(String step, Path data, List<String> lines, CountingReceiver receiver,
                                   java.util.function.Function<URI, ImportRun<?>> run) {
        try (receiver) {
            var o = CommandLine.populateCommand(new DeliveryOptions(), "--workers", String.valueOf(workers), "--quiet", "--no-server-counters",
                    "--readers", String.valueOf(Math.min(files, 2)), "--checkpoint", out.resolve(step + ".checkpoint.tsv").toString());
            if (step.equals("export-tempo")) {
                o.batchSize = 2000;
                o.batchMb = 4;
            }
            var buf = new java.io.ByteArrayOutputStream();
            var r = run.apply(receiver.url()).execute(List.of(data.toString()), o, new PrintStream(buf, true), new PrintStream(buf, true));
            double rate = r.stats().acknowledged.sum() / r.seconds(), mb = r.stats().inputBytes.sum() / 1e6 / r.seconds();
            lines.add(String.format(Locale.ROOT, "  %-14s %.1f s, %.0f records/s, %.1f MB/s in, receiver counted %d in %d requests, exit %d",
                    step, r.seconds(), rate, mb, receiver.records.get(), receiver.requests.get(), r.exitCode()));
            return new double[]{rate, mb};
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }
}
