import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * generate-monitoring --to vm,vl,tempo: what the generator makes goes straight to the stores, through the importers'
 * parsers and senders, with no files in between. Compared with the same run written as files: every record arrives
 * (by count for all, field by field for logs, spans and samples), through faults too, and the same for any worker
 * count; an unreachable store stops the run before anything is generated; a slow store holds the generator back.
 */
class MonitoringStreamTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HexFormat HEX = HexFormat.of();

    static MonitoringGeneration.Request request(Path out, int workers, String metrics, String duration) {
        return MonitoringGeneration.request(MonitoringTestData.MODEL, 2000L, 200, out, 11, workers, 2, null, "jsonl", "extended",
                null, null, null, duration, metrics, "15s");
    }

    static StreamOptions options(String... args) {
        return picocli.CommandLine.populateCommand(new StreamOptions(), args);
    }

    /** The lines of one stream as the files run wrote them, in file order. */
    static List<String> lines(Path dir, String prefix) throws IOException {
        var out = new ArrayList<String>();
        try (var list = Files.list(dir)) {
            for (Path p : list.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().toList())
                for (String l : Files.readAllLines(p)) if (!l.isBlank()) out.add(l);
        }
        return out;
    }

    /** A VictoriaMetrics stand-in's decoding: import lines into labels@ms -> value, counting samples as the server does. */
    static final class Samples {
        final Map<String, Integer> seen = new ConcurrentHashMap<>();
        final Map<String, Double> values = new ConcurrentHashMap<>();

        int decode(FakeStore.Request r) {
            assertTrue(r.path().equals("/api/v1/import"), r.path());
            int n = 0;
            for (String line : new String(r.body(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isEmpty()) continue;
                n += add(read(line));
            }
            return n;
        }

        int add(JsonNode n) {
            var labels = new TreeMap<String, String>();
            n.get("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            JsonNode vs = n.get("values"), ts = n.get("timestamps");
            assertEquals(vs.size(), ts.size(), "as many timestamps as values");
            for (int i = 0; i < vs.size(); i++) {
                String key = labels + "@" + ts.get(i).asLong();
                seen.merge(key, 1, Integer::sum);
                values.put(key, vs.get(i).asDouble());
            }
            return vs.size();
        }
    }

    /** What VictoriaMetrics should hold for the files run: raw lines with the 20 release tags, native lines as they are. */
    static Map<String, Double> expectedSamples(Path files) throws IOException {
        var out = new HashMap<String, Double>();
        for (String m : lines(files, "metrics_")) {
            JsonNode n = read(m);
            var labels = new TreeMap<String, String>();
            labels.put("__name__", n.get("metric").asText());
            n.get("tags").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            labels.putAll(ReleaseId.parse(labels.get("release_id")).tags());
            long ms = Math.round(Math.floor(n.get("ts").decimalValue().movePointRight(3).doubleValue()));
            assertNull(out.put(labels + "@" + ms, n.get("value").asDouble()), "one raw sample per series and millisecond");
        }
        var native_ = new Samples();
        for (String m : lines(files, "native_metrics_")) native_.add(read(m));
        for (var e : native_.values.entrySet()) assertNull(out.put(e.getKey(), e.getValue()), "raw and native series differ");
        return out;
    }

    static FakeStore vl(ImportVlTest.Received got, FakeStore.Faults f) {
        return new FakeStore("/insert/jsonline", "vl_rows_ingested_total{type=\"jsonline\"}", got::decode, f);
    }

    static FakeStore tempo(ExportTempoTest.Received got, FakeStore.Faults f) {
        var store = new FakeStore("/v1/traces", "unused", got::decode, f);
        store.answer(io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse.getDefaultInstance().toByteArray(), "application/x-protobuf");
        return store;
    }

    static FakeStore vm(Samples got, FakeStore.Faults f) {
        return new FakeStore("/api/v1/import", "vm_rows_inserted_total{type=\"vmimport\"}", got::decode, f);
    }

    static Map<String, ExportTempoTest.Got> bySpan(ExportTempoTest.Received got) {
        var out = new HashMap<String, ExportTempoTest.Got>();
        for (var g : got.spans) assertNull(out.put(HEX.formatHex(g.span().getSpanId().toByteArray()), g), "span sent twice");
        return out;
    }

    static Map<String, Map<String, String>> byLogId(ImportVlTest.Received got) {
        var out = new HashMap<String, Map<String, String>>();
        for (var m : got.records) assertNull(out.put(m.get("request_id") + "/" + m.get("span_id"), m), "log sent twice: " + m);
        return out;
    }

    /** The bodies a stand-in took, as hex (protobuf) or text. */
    static Set<String> bodies(FakeStore store) {
        var out = new HashSet<String>();
        synchronized (store.requests) {
            for (var r : store.requests) assertTrue(out.add(HEX.formatHex(r.body())), "the same request twice");
        }
        return out;
    }

    @Test
    void everyGeneratedRecordArrivesInEachStore() throws Exception {
        Path dir = KitLayout.testDir("stream-e2e");
        Path files = dir.resolve("files"), streamed = dir.resolve("streamed");
        MonitoringGeneration.run(request(files, 2, "both", "15m"), true);
        List<String> logs = lines(files, "logs_");
        Map<String, Double> samples = expectedSamples(files);
        assertFalse(logs.isEmpty());

        var logsGot = new ImportVlTest.Received();
        var spansGot = new ExportTempoTest.Received();
        MonitoringStores sink;
        Set<String> streamedLogBodies, streamedSpanBodies;
        try (var vm = VictoriaMetricsProcess.start(dir.resolve("vm"));
             var vl = vl(logsGot, FakeStore.Faults.none());
             var tempo = tempo(spansGot, FakeStore.Faults.none())) {
            sink = MonitoringStores.open(options("--to", "vm,vl,tempo", "--vm-url", vm.url().toString(), "--vl-url", vl.url().toString(),
                    "--tempo-url", tempo.url().toString(), "--batch-size", "700"), null);
            var report = MonitoringGeneration.run(request(streamed, 2, "both", "15m"), true, sink);
            report.print(System.out, sink.headline(), false);
            sink.print(System.out, System.err);
            assertTrue(sink.delivered(), sink.headline());
            assertEquals(logs.size() + samples.size(), report.result().records(), "the streamed run generated what the files run wrote");
            var reports = sink.reports();
            assertEquals(samples.size(), reports.get(MonitoringStores.Store.VM).stats().acknowledged.sum());
            assertEquals(logs.size(), reports.get(MonitoringStores.Store.VL).stats().acknowledged.sum());
            assertEquals(logs.size(), reports.get(MonitoringStores.Store.TEMPO).stats().acknowledged.sum());
            assertTrue(reports.get(MonitoringStores.Store.VM).server().line().startsWith("+" + samples.size() + " accepted"),
                    "VictoriaMetrics' own counter agrees: " + reports.get(MonitoringStores.Store.VM).server().line());

            streamedLogBodies = bodies(vl);
            streamedSpanBodies = bodies(tempo);

            vm.flush();
            String body = vm.get("/api/v1/export?match[]=" + URLEncoder.encode("{__name__=~\".+\"}", StandardCharsets.UTF_8));
            var stored = new Samples();
            for (String l : body.split("\n")) if (!l.isBlank()) stored.add(read(l));
            assertEquals(samples.size(), stored.values.size(), "every sample is in VictoriaMetrics");
            assertTrue(stored.seen.values().stream().allMatch(c -> c == 1), "no sample twice");
            assertEquals(samples.keySet(), stored.values.keySet(), "every series and timestamp, labels included");
            int i = 0;
            for (var e : samples.entrySet())
                if (i++ % 7 == 0) assertEquals(e.getValue(), stored.values.get(e.getKey()), "value of " + e.getKey());
        }

        try (var list = Files.list(streamed)) {
            assertEquals(Set.of("incidents.json", "summary.json"), new HashSet<>(list.map(p -> p.getFileName().toString()).toList()),
                    "no data files in between, the summary files as always");
        }
        assertEquals(Files.readString(files.resolve("summary.json")).replace(files.toString(), ""),
                Files.readString(streamed.resolve("summary.json")).replace(streamed.toString(), ""));
        assertEquals(Files.readString(files.resolve("incidents.json")), Files.readString(streamed.resolve("incidents.json")));

        // the requests are the ones import-vl and export-tempo make from the files
        try (var vl = vl(new ImportVlTest.Received(), FakeStore.Faults.none());
             var tempo = tempo(new ExportTempoTest.Received(), FakeStore.Faults.none())) {
            assertEquals(0, ImportVlTest.importVl(vl.url(), List.of(files.toString()), "--checkpoint", dir.resolve("vl.tsv").toString(),
                    "--quiet", "--batch-size", "700").exitCode());
            assertEquals(0, ExportTempoTest.export(tempo.url(), List.of(files.toString()), "--checkpoint", dir.resolve("tempo.tsv").toString(),
                    "--quiet", "--batch-size", "700").exitCode());
            assertEquals(bodies(vl), streamedLogBodies, "the same VictoriaLogs requests as import-vl from the files");
            assertEquals(bodies(tempo), streamedSpanBodies, "the same Tempo requests as export-tempo from the files");
        }

        var logById = byLogId(logsGot);
        assertEquals(logs.size(), logById.size(), "every log line reached VictoriaLogs once");
        for (String l : logs) {
            var want = ImportVlTest.expected(l);
            assertEquals(want, logById.get(want.get("request_id") + "/" + want.get("span_id")), "VictoriaLogs record of " + l);
        }
        var spans = bySpan(spansGot);
        assertEquals(logs.size(), spans.size(), "every log line became one span");
        for (int k = 0; k < logs.size(); k += 5) {
            String l = logs.get(k);
            var g = spans.get(read(l).get("span_id").asText());
            assertNotNull(g, l);
            ExportTempoTest.assertSpanOf(l, g);
        }
    }

    @Test
    void refusalsResetsAndServerErrorsStillEndWithEverythingDeliveredOnce() throws Exception {
        Path dir = KitLayout.testDir("stream-faults");
        Path files = dir.resolve("files");
        MonitoringGeneration.run(request(files, 2, "both", "5m"), true);
        int logs = lines(files, "logs_").size();
        Map<String, Double> samples = expectedSamples(files);

        var logsGot = new ImportVlTest.Received();
        var spansGot = new ExportTempoTest.Received();
        var samplesGot = new Samples();
        try (var vm = vm(samplesGot, new FakeStore.Faults(0.15, 0.1, 0.1, 0, 0, 7));
             var vl = vl(logsGot, new FakeStore.Faults(0.15, 0.1, 0.1, 0, 0, 8));
             var tempo = tempo(spansGot, new FakeStore.Faults(0.15, 0.1, 0.1, 0, 0, 9))) {
            var sink = MonitoringStores.open(options("--to", "vm,vl,tempo", "--vm-url", vm.url().toString(), "--vl-url", vl.url().toString(),
                    "--tempo-url", tempo.url().toString(), "--batch-size", "300", "--send-workers", "4", "--retry-delay-ms", "2",
                    "--attempts", "40", "--gzip", "always"), null);
            var report = MonitoringGeneration.run(request(dir.resolve("streamed"), 2, "both", "5m"), true, sink);
            report.print(System.out, sink.headline(), false);
            sink.print(System.out, System.err);
            var reports = sink.reports();
            for (var store : List.of(vm, vl, tempo)) assertTrue(store.faulted.get() > 3, "faults were injected: " + store.faulted.get());
            assertTrue(reports.get(MonitoringStores.Store.VM).stats().retried.sum() >= vm.faulted.get(), "every fault was retried");
            assertTrue(reports.get(MonitoringStores.Store.VL).stats().retried.sum() >= vl.faulted.get(), "every fault was retried");
            assertTrue(reports.get(MonitoringStores.Store.TEMPO).stats().retried.sum() >= tempo.faulted.get(), "every fault was retried");
            assertTrue(sink.delivered(), sink.headline());
            assertEquals(0, sink.notDelivered());
            assertEquals(samples.size(), vm.ingested.get());
        }
        assertEquals(logs, byLogId(logsGot).size(), "every log delivered, none twice");
        assertEquals(logs, bySpan(spansGot).size(), "every span delivered, none twice");
        assertEquals(samples.keySet(), samplesGot.seen.keySet(), "every sample delivered");
        assertTrue(samplesGot.seen.values().stream().allMatch(c -> c == 1), "refused requests stored nothing, so no sample twice");
        assertEquals(samples, samplesGot.values);
    }

    /** Everything that arrived in one streamed run, as sets. */
    record Arrived(Set<Map<String, String>> logs, Set<String> spans, Map<String, Double> samples, Set<String> logBodies) {}

    static Arrived streamRun(Path dir, int workers, int sendWorkers) throws Exception {
        var logsGot = new ImportVlTest.Received();
        var spansGot = new ExportTempoTest.Received();
        var samplesGot = new Samples();
        List<String> bodies;
        try (var vm = vm(samplesGot, FakeStore.Faults.none());
             var vl = vl(logsGot, FakeStore.Faults.none());
             var tempo = tempo(spansGot, FakeStore.Faults.none())) {
            var sink = MonitoringStores.open(options("--to", "vm,vl,tempo", "--vm-url", vm.url().toString(), "--vl-url", vl.url().toString(),
                    "--tempo-url", tempo.url().toString(), "--batch-size", "500", "--send-workers", String.valueOf(sendWorkers)), null);
            MonitoringGeneration.run(request(dir, workers, "both", "5m"), true, sink);
            assertTrue(sink.delivered(), sink.headline());
            bodies = vl.requests.stream().map(r -> new String(r.body(), StandardCharsets.UTF_8)).toList();
        }
        var spans = new HashSet<String>();
        for (var g : spansGot.spans) assertTrue(spans.add(HEX.formatHex(g.span().toByteArray()) + " " + g.resource()), "span twice");
        var logs = new HashSet<>(logsGot.records);
        assertEquals(logsGot.records.size(), logs.size(), "no log twice");
        assertTrue(samplesGot.seen.values().stream().allMatch(c -> c == 1), "no sample twice");
        var logBodies = new HashSet<>(bodies);
        assertEquals(bodies.size(), logBodies.size());
        return new Arrived(logs, spans, new TreeMap<>(samplesGot.values), logBodies);
    }

    @Test
    void whatArrivesIsTheSameForOneAndTwoWorkers() throws Exception {
        Path dir = KitLayout.testDir("stream-determinism");
        var one = streamRun(dir.resolve("one"), 1, 1);
        var two = streamRun(dir.resolve("two"), 2, 4);
        assertFalse(one.logs().isEmpty());
        assertEquals(one.logs(), two.logs(), "the same log records");
        assertEquals(one.spans(), two.spans(), "the same spans, byte for byte, with the same resources");
        assertEquals(one.samples(), two.samples(), "the same samples");
        assertEquals(one.logBodies(), two.logBodies(), "even the same requests: each part is batched as its file would be");
    }

    @Test
    void anUnreachableStoreStopsTheRunBeforeAnythingIsGenerated() throws Exception {
        Path dir = KitLayout.testDir("stream-unreachable");
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("logs_0.jsonl"), "an earlier run's file\n");
        int closed;
        try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        var spansGot = new ExportTempoTest.Received();
        try (var tempo = tempo(spansGot, FakeStore.Faults.none())) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            var p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "GenerateMonitoring", "2000", "200",
                    "--duration", "30m", "-o", out.toString(), "--to", "files,tempo,vl", "--tempo-url", tempo.url().toString(),
                    "--vl-url", "http://127.0.0.1:" + closed)
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(5, TimeUnit.MINUTES));
            assertEquals(2, p.exitValue(), text);
            assertEquals(1, text.lines().count(), "one line: " + text);
            assertTrue(text.strip().matches("generate-monitoring: cannot reach VictoriaLogs at http://127\\.0\\.0\\.1:" + closed
                    + " \\(\\w+Exception.*\\); is it running\\? Try --vl-url\\."), text);
            assertEquals(0, tempo.requests.size(), "nothing was sent to the store that answers");
        }
        try (var list = Files.list(out)) {
            assertEquals(List.of("logs_0.jsonl"), list.map(f -> f.getFileName().toString()).toList(), "no file written");
        }
        assertEquals("an earlier run's file\n", Files.readString(out.resolve("logs_0.jsonl")), "nor an old one truncated");
    }

    @Test
    void aSlowStoreHoldsTheGeneratorBack() throws Exception {
        Path dir = KitLayout.testDir("stream-backpressure");
        var written = new AtomicLong();
        var received = new AtomicLong();
        var maxLead = new AtomicLong();
        var maxPiece = new AtomicLong();
        var logsGot = new ImportVlTest.Received();
        int laneLines = 300, batch = 20, parts = 2;
        long total;
        // the store answers every request 5 ms late, one at a time: the generator is far faster
        try (var vl = new FakeStore("/insert/jsonline", "vl_rows_ingested_total{type=\"jsonline\"}", r -> {
            maxLead.accumulateAndGet(written.get() - received.get(), Math::max);
            int n = logsGot.decode(r);
            received.addAndGet(n);
            return n;
        }, new FakeStore.Faults(0, 0, 0, 1.0, 5, 1))) {
            var stores = MonitoringStores.open(options("--to", "vl", "--vl-url", vl.url().toString(), "--batch-size", String.valueOf(batch),
                    "--send-workers", "1"), null, laneLines, 1L << 30);
            MonitoringSink counting = new MonitoringSink() {
                public void write(Stream s, int part, byte[] bytes, int length) {
                    long n = 0;
                    for (int i = 0; i < length; i++) if (bytes[i] == '\n') n++;
                    stores.write(s, part, bytes, length);
                    if (s == Stream.LOGS) {
                        written.addAndGet(n);
                        maxPiece.accumulateAndGet(n, Math::max);
                    }
                }

                public void close() { stores.close(); }
            };
            var r = request(dir, 2, "raw", "30m");
            var cfg = new GenerateConfig(r.modelDir(), r.seed(), 1500, r.users(), r.startMicros(), r.endMicros(), 2, parts, dir, true, null,
                    r.scenario(), 32, true, false, r.scrapeMillis());
            var plan = new GenerationPlan(PlatformModel.load(r.modelDir()), cfg);
            try (counting) {
                var result = MonitoringRun.run(plan, counting, roots -> { });
                total = result.totals().logLines + result.deploymentLines();
            }
            assertTrue(stores.delivered(), stores.headline());
        }
        // lane + one partial batch per part + sender queue (2 x workers) + in flight (workers) + the batch being queued
        long bound = Math.max(laneLines, maxPiece.get()) + parts * (batch - 1L) + (3 * 1 + 1) * batch;
        assertEquals(total, written.get());
        assertEquals(total, received.get(), "everything arrived");
        assertTrue(total > 5 * bound, "the run is much longer than what may be held: " + total + " vs " + bound);
        assertTrue(maxLead.get() <= bound, "the generator ran at most " + bound + " lines ahead of the store, got " + maxLead.get());
    }

    static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
