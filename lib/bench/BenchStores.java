import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The stores a streaming benchmark sends to: a fresh Debian VictoriaMetrics (deleted again on close), or an in-process
 * receiver in its place, and in-process VictoriaLogs and Tempo receivers that decode and count. {@link #check}
 * compares what each took with what the run generated, so a benchmark never reports the speed of a run that lost data.
 */
final class BenchStores implements AutoCloseable {
    final VictoriaMetricsProcess vm;     // null when VictoriaMetrics is the in-process vmReceiver
    final CountingReceiver vmReceiver;   // null when it is a real one
    final CountingReceiver vl, tempo;
    private final Path vmDir;

    /** What arrived, checked: {@code ok} when every store took everything the run made. */
    record Outcome(boolean ok, String note) {}

    private BenchStores(Path vmDir, VictoriaMetricsProcess vm, CountingReceiver vmReceiver, CountingReceiver vl, CountingReceiver tempo) {
        this.vmDir = vmDir;
        this.vm = vm;
        this.vmReceiver = vmReceiver;
        this.vl = vl;
        this.tempo = tempo;
    }

    static BenchStores start(Path vmDir) throws IOException {
        return start(vmDir, true);
    }

    /** With {@code debianVm} false, VictoriaMetrics is an in-process receiver that counts samples (nothing is stored). */
    static BenchStores start(Path vmDir, boolean debianVm) throws IOException {
        deleteTree(vmDir);
        byte[] ok = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        var vm = debianVm ? VictoriaMetricsProcess.start(vmDir) : null;
        var vmReceiver = debianVm ? null : new CountingReceiver(VmImportLine.PATH, 204, new byte[0], "", CountingReceiver::samples);
        try {
            return new BenchStores(vmDir, vm, vmReceiver, new CountingReceiver("/insert/jsonline", 204, new byte[0], "", CountingReceiver::lines),
                    new CountingReceiver("/v1/traces", 200, ok, "application/x-protobuf", CountingReceiver::spans));
        } catch (RuntimeException e) {
            if (vm != null) vm.close();
            if (vmReceiver != null) vmReceiver.close();
            throw e;
        }
    }

    java.net.URI vmUrl() { return vm != null ? vm.url() : vmReceiver.url(); }

    /** generate-monitoring's stream flags for these stores. */
    StreamOptions options(int sendWorkers) {
        return options(sendWorkers, "vm,vl,tempo");
    }

    /** The same, sending to {@code to} (some of vm, vl, tempo) only. */
    StreamOptions options(int sendWorkers, String to) {
        return CommandLine.populateCommand(new StreamOptions(), "--to", to, "--vm-url", vmUrl().toString(),
                "--vl-url", vl.url().toString(), "--tempo-url", tempo.url().toString(), "--send-workers", String.valueOf(sendWorkers));
    }

    /** After the run: everything delivered, and the receivers' and VictoriaMetrics' counts equal to what was generated. */
    Outcome check(MonitoringStores sink, MonitoringGeneration.Report report) {
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
        return new Outcome(all, String.format(Locale.ROOT, "%s, %,d requests retried; VL receiver %,d logs, Tempo receiver %,d spans; VM %s",
                sink.headline(), retried, vl.records.get(), tempo.records.get(), vmServer));
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }

    @Override
    public void close() throws IOException {
        try (vm; vmReceiver; vl; tempo) {
            // closes them all (null ones are skipped), then the data goes
        }
        deleteTree(vmDir);
    }
}
