import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline through ./jbang, as a user runs it: fixture files and schedule, monitoring data generated
 * against that schedule, metrics into a real VictoriaMetrics, logs and traces into in-process stores that decode
 * the real wire formats. What arrived is compared with what the generator wrote, record by record.
 */
class PipelineEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyGeneratedRecordReachesItsStore() throws Exception {
        Path dir = KitLayout.testDir("pipeline-e2e");
        Set<String> logRequestIds = ConcurrentHashMap.newKeySet();
        Set<String> spanIds = ConcurrentHashMap.newKeySet();
        List<String> badSpans = java.util.Collections.synchronizedList(new ArrayList<>());
        try (var vm = VictoriaMetricsProcess.start(dir.resolve("vm"));
             var vl = new FakeStore("/insert/jsonline", "vl_rows_ingested_total{type=\"jsonline\"}", req -> {
                 int n = 0;
                 for (String line : new String(req.body(), StandardCharsets.UTF_8).split("\n")) {
                     if (line.isBlank()) continue;
                     logRequestIds.add(read(line).path("request_id").asText());
                     n++;
                 }
                 return n;
             }, FakeStore.Faults.none());
             var tempo = new FakeStore("/v1/traces", "unused", req -> {
                 int n = 0;
                 try {
                     for (var rs : ExportTraceServiceRequest.parseFrom(req.body()).getResourceSpansList())
                         for (var ss : rs.getScopeSpansList())
                             for (var span : ss.getSpansList()) {
                                 spanIds.add(java.util.HexFormat.of().formatHex(span.getSpanId().toByteArray()));
                                 if (span.getEndTimeUnixNano() < span.getStartTimeUnixNano()) badSpans.add(span.getName());
                                 n++;
                             }
                 } catch (IOException e) {
                     throw new UncheckedIOException(e);
                 }
                 return n;
             }, FakeStore.Faults.none())) {
            tempo.answer(ExportTraceServiceResponse.getDefaultInstance().toByteArray(), "application/x-protobuf");

            var p = new ProcessBuilder(KitLayout.ROOT.resolve("jbang").toString(), "pipeline", "--no-db", "--fixtures-scale", "0.01",
                    "--events", "400", "--users", "60", "--seed", "5", "--data-dir", dir.resolve("data").toString(),
                    "--vm-url", vm.url().toString(), "--vl-url", vl.url().toString(), "--tempo-url", tempo.url().toString())
                    .directory(KitLayout.ROOT.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(15, TimeUnit.MINUTES));
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("pipeline: done in "), out);
            assertTrue(out.contains("6 of 6 steps done"), out);

            Path data = dir.resolve("data/test_data");
            List<JsonNode> logs = readAll(data, "logs_");
            List<JsonNode> metrics = readAll(data, "native_metrics_");
            assertFalse(logs.isEmpty());
            assertTrue(readAll(data, "metrics_").isEmpty(), "native metrics by default, no raw ones");

            var expectedRequestIds = new HashSet<String>();
            logs.forEach(l -> expectedRequestIds.add(l.path("request_id").asText()));
            assertEquals(expectedRequestIds, logRequestIds, "every log line reached VictoriaLogs");
            var expectedSpans = new HashSet<String>();
            logs.forEach(l -> expectedSpans.add(l.path("span_id").asText()));
            assertEquals(expectedSpans, spanIds, "every log line became a span in Tempo");
            assertEquals(List.of(), badSpans, "spans end after they start");

            vm.flush();
            assertEquals(metrics.stream().mapToLong(m -> m.path("values").size()).sum(), nativeSamples(vm), "every native sample is in VictoriaMetrics");
            assertRecorded(vm, out);

            // The generator used the schedule the fixtures step wrote, not its built-in one.
            assertTrue(Files.isRegularFile(dir.resolve("data/fixtures/deployment_schedule.json")));
            JsonNode schedule = JSON.readTree(dir.resolve("data/fixtures/deployment_schedule.json").toFile());
            String releases = schedule.toString();
            var deployments = logs.stream().filter(l -> "system".equals(l.path("user_id").asText())).toList();
            assertFalse(deployments.isEmpty(), "the schedule's rollouts appear as deployment events");
            for (JsonNode d : deployments) {
                assertTrue(releases.contains(d.path("release_id").asText()), "deployment of a release not in the schedule: " + d);
            }
            // Requests before a deployment's first release fall back to a synthetic release (as the original does).
            assertTrue(logs.stream().filter(l -> !"system".equals(l.path("user_id").asText()))
                    .anyMatch(l -> releases.contains(l.path("release_id").asText())), "requests run the schedule's releases");
        }
    }

    @Test
    void streamSendsEveryGeneratedRecordWithNoFilesInBetween() throws Exception {
        Path dir = KitLayout.testDir("pipeline-stream");
        Set<String> logRequestIds = ConcurrentHashMap.newKeySet();
        Set<String> spanIds = ConcurrentHashMap.newKeySet();
        String out;
        long samples;
        try (var vm = VictoriaMetricsProcess.start(dir.resolve("vm"));
             var vl = new FakeStore("/insert/jsonline", "vl_rows_ingested_total{type=\"jsonline\"}", req -> {
                 int n = 0;
                 for (String line : new String(req.body(), StandardCharsets.UTF_8).split("\n")) {
                     if (line.isBlank()) continue;
                     JsonNode l = read(line);
                     logRequestIds.add(l.path("request_id").asText() + "/" + l.path("span_id").asText());
                     n++;
                 }
                 return n;
             }, FakeStore.Faults.none());
             var tempo = new FakeStore("/v1/traces", "unused", req -> {
                 int n = 0;
                 try {
                     for (var rs : ExportTraceServiceRequest.parseFrom(req.body()).getResourceSpansList())
                         for (var ss : rs.getScopeSpansList())
                             for (var span : ss.getSpansList()) {
                                 spanIds.add(java.util.HexFormat.of().formatHex(span.getSpanId().toByteArray()));
                                 n++;
                             }
                 } catch (IOException e) {
                     throw new UncheckedIOException(e);
                 }
                 return n;
             }, FakeStore.Faults.none())) {
            tempo.answer(ExportTraceServiceResponse.getDefaultInstance().toByteArray(), "application/x-protobuf");
            var p = new ProcessBuilder(KitLayout.ROOT.resolve("jbang").toString(), "pipeline", "--stream", "--no-db", "--fixtures-scale", "0.01",
                    "--events", "400", "--users", "60", "--seed", "5", "--data-dir", dir.resolve("data").toString(),
                    "--vm-url", vm.url().toString(), "--vl-url", vl.url().toString(), "--tempo-url", tempo.url().toString())
                    .directory(KitLayout.ROOT.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(15, TimeUnit.MINUTES));
            assertEquals(0, p.exitValue(), out);
            vm.flush();
            samples = nativeSamples(vm);
            assertRecorded(vm, out);
        }
        assertTrue(out.contains("3 of 3 steps done"), out);
        assertTrue(out.contains("streamed to VictoriaMetrics"), out);
        assertTrue(out.contains(", 0 not delivered"), out);
        Path data = dir.resolve("data/test_data");
        try (var list = Files.list(data)) {
            assertEquals(Set.of("incidents.json", "summary.json"), new HashSet<>(list.map(f -> f.getFileName().toString()).toList()));
        }

        // the same generation written as files, to compare with what arrived
        Path files = dir.resolve("files");
        MonitoringGeneration.run(MonitoringGeneration.request(Path.of("fixtures/social_network"), 400L, 60, files, 5, 2, 2,
                dir.resolve("data/fixtures/deployment_schedule.json"), "jsonl", "extended", null, null, null, null, "native", "15s"), true);
        assertEquals(Files.readString(files.resolve("summary.json")).replace(files.toString(), ""),
                Files.readString(data.resolve("summary.json")).replace(data.toString(), ""), "the stream generated what the files hold");
        List<JsonNode> logs = readAll(files, "logs_");
        var wantLogs = new HashSet<String>();
        var wantSpans = new HashSet<String>();
        for (JsonNode l : logs) {
            wantLogs.add(l.path("request_id").asText() + "/" + l.path("span_id").asText());
            wantSpans.add(l.path("span_id").asText());
        }
        assertEquals(wantLogs, logRequestIds, "every log line reached VictoriaLogs");
        assertEquals(wantSpans, spanIds, "every log line became a span in Tempo");
        assertEquals(readAll(files, "native_metrics_").stream().mapToLong(m -> m.path("values").size()).sum(), samples,
                "every native sample is in VictoriaMetrics");
    }

    /** Samples of the generator's series: names without a colon (recording rules name theirs level:metric:operation). */
    private static long nativeSamples(VictoriaMetricsProcess vm) {
        String exported = vm.get("/api/v1/export?match[]=" + URLEncoder.encode("{__name__=~\"[^:]+\"}", StandardCharsets.UTF_8));
        return exported.lines().filter(l -> !l.isBlank()).mapToLong(l -> read(l).path("values").size()).sum();
    }

    /** The recording step replayed the rules with the Debian vmalert and the store holds what it wrote. */
    private static void assertRecorded(VictoriaMetricsProcess vm, String out) {
        assertTrue(out.contains("[recording] replay-rules: done in "), out);
        assertFalse(out.contains("skipped: no vmalert"), out);
        String exported = vm.get("/api/v1/export?match[]=" + URLEncoder.encode("{__name__=~\".+:.+\"}", StandardCharsets.UTF_8));
        assertTrue(exported.lines().anyMatch(l -> l.contains("request_duration_seconds_bucket:increase_history")), "no recorded series:\n" + out);
    }

    private static List<JsonNode> readAll(Path dir, String prefix) throws IOException {
        var all = new ArrayList<JsonNode>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().toList()) {
                for (String line : Files.readAllLines(f)) if (!line.isBlank()) all.add(read(line));
            }
        }
        return all;
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
