import static org.junit.jupiter.api.Assertions.*;

import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Tempo answers 200 and may then discard spans (trace too large, live traces exceeded, rate limited); export-tempo
 * and generate-monitoring --to tempo read Tempo's own counters before and after, and count the discarded spans as
 * not delivered, with the reasons. Against {@link FakeTempo}: real OTLP protobuf in, Prometheus text counters out.
 */
class TempoCountersTest {

    /** Whole traces discarded, as Tempo does: by the trace id's first byte, two reasons. */
    static String discardSome(Span s) {
        int b = s.getTraceId().byteAt(0) & 0xff;
        return b % 7 == 0 ? "trace_too_large" : b % 7 == 1 ? "live_traces_exceeded" : null;
    }

    record Run(ImportRun.Result result, String out) {}

    static Run export(FakeTempo tempo, Path dir, String tenant) {
        var buf = new ByteArrayOutputStream();
        var print = new PrintStream(buf, true, StandardCharsets.UTF_8);
        var r = new ImportRun<>("export-tempo", tempo.url(), "spans", "logs_*.jsonl*", new LogSpan.Parser(), new OtlpTraceBody(),
                TempoCounters.of(tempo.apiUrl(), tenant))
                .execute(List.of(dir.toString()), ImportTestData.options("--checkpoint", dir.resolve("cp-" + System.nanoTime() + ".tsv").toString(),
                        "--quiet", "--batch-size", "40"), print, print);
        String out = buf.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        return new Run(r, out);
    }

    static Path logs(String name) throws Exception {
        Path dir = KitLayout.testDir(name);
        ImportTestData.write(dir, 31, 2, 60, 4, true, Instant.parse("2025-06-01T00:00:00Z"));
        return dir;
    }

    @Test
    void spansDiscardedAfterTheAnswerAreNotDeliveredWithTheirReasons() throws Exception {
        Path dir = logs("tempo-discards");
        try (var tempo = new FakeTempo(TempoCountersTest::discardSome, 0)) {
            var run = export(tempo, dir, null);
            Map<String, Long> reasons = tempo.discardedByReason();
            long discarded = reasons.values().stream().mapToLong(Long::longValue).sum();
            assertEquals(2, reasons.size(), "the data has traces for both reasons: " + reasons);
            long spans = tempo.got.spans.size();
            assertEquals(spans, run.result().stats().acknowledged.sum(), "Tempo answered 200 to every request");
            assertEquals(discarded, run.result().undeliveredByServer(), "the discarded spans are not delivered");
            assertEquals(1, run.result().exitCode());
            assertTrue(run.out().contains(", " + discarded + " not delivered,"), run.out());
            assertTrue(run.out().contains(String.format("+%d accepted, +%d dropped (%d live_traces_exceeded, %d trace_too_large)", spans,
                    discarded, reasons.get("live_traces_exceeded"), reasons.get("trace_too_large"))),
                    "the reasons, counted over the run only (the earlier run's rate_limited left out): " + run.out());
        }
    }

    @Test
    void aRunTempoKeptWhollyIsDelivered() throws Exception {
        Path dir = logs("tempo-kept");
        try (var tempo = new FakeTempo(s -> null, 0)) {
            var run = export(tempo, dir, null);
            long spans = tempo.got.spans.size();
            assertEquals(0, run.result().exitCode(), run.out());
            assertEquals(0, run.result().undeliveredByServer());
            assertTrue(run.out().contains("server        +" + spans + " accepted, +0 dropped, +0 failed requests (" + tempo.apiUrl() + "/metrics)"),
                    "read before and after, through a page that trails by one reading: " + run.out());
        }
    }

    @Test
    void aChosenTenantLeavesOtherTenantsSpansOut() throws Exception {
        Path dir = logs("tempo-tenant");
        try (var tempo = new FakeTempo(s -> null, 12)) {
            var all = export(tempo, dir, null);
            assertEquals(1, all.result().exitCode(), "summed over tenants, the other team's discards count against this run: " + all.out());
            var ours = export(tempo, dir, FakeTempo.TENANT);
            long spans = tempo.got.spans.size() / 2;
            assertEquals(0, ours.result().exitCode(), ours.out());
            assertTrue(ours.out().contains("server        +" + spans + " accepted, +0 dropped"), ours.out());
        }
    }

    @Test
    void countersAreOnPort3200OfTheReceiversHostUnlessGiven() {
        assertEquals(URI.create("http://tempo.internal:3200/metrics"), TempoCounters.defaultMetricsUrl(URI.create("http://tempo.internal:4318")));
        assertEquals(URI.create("http://127.0.0.1:3200/metrics"), TempoCounters.defaultMetricsUrl(URI.create("https://127.0.0.1:4318/")));
        assertEquals(URI.create("http://h:9000/metrics"), TempoCounters.of(URI.create("http://h:9000"), null).metricsUrl());
        assertEquals(URI.create("http://h:9000/tempo/metrics"), TempoCounters.of(URI.create("http://h:9000/tempo/metrics"), null).metricsUrl());
    }

    @Test
    void countersThatDoNotAnswerAreNotedAndTheSpansStillGo() throws Exception {
        Path dir = logs("tempo-no-api");
        int closed;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (var tempo = new FakeTempo(s -> null, 0)) {
            var buf = new ByteArrayOutputStream();
            var print = new PrintStream(buf, true, StandardCharsets.UTF_8);
            var r = new ImportRun<>("export-tempo", tempo.url(), "spans", "logs_*.jsonl*", new LogSpan.Parser(), new OtlpTraceBody(),
                    TempoCounters.of(URI.create("http://127.0.0.1:" + closed), null))
                    .execute(List.of(dir.toString()), ImportTestData.options("--checkpoint", dir.resolve("cp.tsv").toString(), "--quiet"), print, print);
            String out = buf.toString(StandardCharsets.UTF_8);
            assertEquals(0, r.exitCode(), out);
            assertEquals(tempo.got.spans.size(), r.stats().acknowledged.sum());
            assertTrue(out.contains("server        not checked: http://127.0.0.1:" + closed + "/metrics did not answer"), out);
        }
    }

    @Test
    void theScriptReadsTheCountersGivenAndExitsOneOnDiscards() throws Exception {
        Path dir = logs("tempo-script");
        try (var tempo = new FakeTempo(TempoCountersTest::discardSome, 0)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            var p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "ExportTempo", dir.toString(),
                    "--url", tempo.url().toString(), "--tempo-metrics-url", tempo.apiUrl() + "/metrics",
                    "--checkpoint", dir.resolve("cp.tsv").toString(), "--quiet")
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(5, TimeUnit.MINUTES));
            System.out.print(text);
            long discarded = tempo.discardedByReason().values().stream().mapToLong(Long::longValue).sum();
            assertEquals(1, p.exitValue(), text);
            assertTrue(text.contains(", " + discarded + " not delivered,"), text);
            assertTrue(text.contains("trace_too_large") && text.contains("live_traces_exceeded"), text);
        }
    }

    @Test
    void aStreamToTempoCountsDiscardedSpansAsNotDelivered() throws Exception {
        Path dir = KitLayout.testDir("tempo-stream");
        try (var tempo = new FakeTempo(TempoCountersTest::discardSome, 0)) {
            var sink = MonitoringStores.open(MonitoringStreamTest.options("--to", "tempo", "--tempo-url", tempo.url().toString(),
                    "--tempo-metrics-url", tempo.apiUrl().toString(), "--batch-size", "300"), null);
            MonitoringGeneration.run(MonitoringStreamTest.request(dir, 1, "native", "5m"), true, sink);
            sink.print(System.out, System.err);
            var report = sink.reports().get(MonitoringStores.Store.TEMPO);
            long discarded = tempo.discardedByReason().values().stream().mapToLong(Long::longValue).sum();
            assertTrue(discarded > 0, "some spans discarded");
            assertEquals(tempo.got.spans.size(), report.stats().acknowledged.sum());
            assertEquals(discarded, report.notDelivered());
            assertFalse(sink.delivered(), sink.headline());
            assertTrue(report.server().line().contains("trace_too_large"), report.server().line());
        }
    }

    @Test
    void thePipelinePassesTheCountersUrlToBothTempoSteps() {
        URI metrics = URI.create("http://tempo-api:3201/metrics");
        var files = new PipelinePlan.Settings(Path.of("/data"), 1000, 100, 7, 2, 0.01, null, false, List.of(URI.create("http://vm:8428")),
                List.of(URI.create("http://vl:9428")), List.of(URI.create("http://tempo:4318")), false, List.of(), false, false, metrics, null, null);
        var export = PipelinePlan.steps(files, java.util.Set.of("traces")).get(0);
        assertEquals("export-tempo", export.alias());
        assertEquals(metrics.toString(), export.args().get(export.args().indexOf("--tempo-metrics-url") + 1));
        var stream = new PipelinePlan.Settings(Path.of("/data"), 1000, 100, 7, 2, 0.01, null, false, List.of(URI.create("http://vm:8428")),
                List.of(URI.create("http://vl:9428")), List.of(URI.create("http://tempo:4318")), false, List.of(), true, false, metrics, null, null);
        var gen = PipelinePlan.steps(stream, java.util.Set.of("monitoring", "traces")).get(0).args();
        assertEquals(metrics.toString(), gen.get(gen.indexOf("--tempo-metrics-url") + 1));
        var noTraces = PipelinePlan.steps(stream, java.util.Set.of("monitoring", "logs")).get(0).args();
        assertFalse(noTraces.contains("--tempo-metrics-url"), "only where Tempo is a target");
    }
}
