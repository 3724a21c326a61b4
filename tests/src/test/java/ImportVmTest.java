import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** import-vm against a real VictoriaMetrics (Debian binary): every sample sent comes back with the right labels. */
class ImportVmTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static Path dir;
    static VictoriaMetricsProcess vm;

    @BeforeAll
    static void start() {
        dir = KitLayout.testDir("import-vm");
        vm = VictoriaMetricsProcess.start(dir.resolve("vm"));
    }

    @AfterAll
    static void stop() {
        if (vm != null) vm.close();
    }

    record Out(ImportRun.Result result, String out, String err) {}

    static Out importVm(List<String> inputs, String... flags) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var run = new ImportRun<>("import-vm", vm.url(), "samples", "metrics_*.jsonl*", new VmImportLine(), VmImportLine.format(),
                VmImportLine.counters(vm.url()));
        var r = run.execute(inputs, ImportTestData.options(flags), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Out(r, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everySampleArrivesWithItsLabelsAndBadLinesAreNamed() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        var written = ImportTestData.write(data, 7, 3, 60, 0, false, Instant.now().minus(1, ChronoUnit.HOURS));
        // one bad release id and one broken line, in the middle of the first file
        Path first = written.metricFiles().get(0);
        var lines = new java.util.ArrayList<>(Files.readAllLines(first));
        String bad = lines.get(5).replace("\"release_id\": \"prod:", "\"release_id\": \"prod:x:");
        if (bad.equals(lines.get(5))) bad = lines.get(5).replaceFirst("\"release_id\": \"[a-z]+:", "\"release_id\": \"x:y:");
        lines.add(3, bad);
        lines.add(4, "{\"metric\": \"request_duration_ms\", \"ts\": ");
        Files.write(first, lines);

        var r = importVm(List.of(data.toString()), "--checkpoint", dir.resolve("cp.tsv").toString(), "--quiet", "--workers", "3",
                "--batch-size", "100");
        String firstLine = r.out().lines().findFirst().orElseThrow();
        assertTrue(firstLine.startsWith("import-vm: done in "), firstLine);
        assertEquals(written.metrics().size(), r.result().stats().acknowledged.sum(), r.out() + r.err());
        assertEquals(2, r.result().stats().bad.sum(), r.err());
        assertTrue(r.err().contains(first + ":4: release id"), r.err());
        assertTrue(r.err().contains(first + ":5: not JSON"), r.err());
        assertEquals(1, r.result().exitCode(), "bad lines without --skip-bad exit 1");
        assertEquals(0, r.result().undeliveredByServer(), r.out());
        assertTrue(r.out().contains("+" + written.metrics().size() + " accepted"), r.out());

        vm.flush();
        Map<String, Double> stored = exported("{persona=~\"persona_.*\"}");
        Map<String, Double> expected = new HashMap<>();
        for (String m : written.metrics()) {
            JsonNode n = JSON.readTree(m);
            var labels = new TreeMap<String, String>();
            labels.put("__name__", n.get("metric").asText());
            n.get("tags").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            labels.putAll(ReleaseId.parse(labels.get("release_id")).tags());
            long ms = Math.round(Math.floor(n.get("ts").decimalValue().movePointRight(3).doubleValue()));
            expected.put(labels + "@" + ms, n.get("value").asDouble());
        }
        assertEquals(expected.size(), stored.size(), "samples in the server");
        assertEquals(expected, stored);
    }

    @Test
    void factsExampleGetsTheTwentyTagsUnderTheirNames() throws Exception {
        Path f = dir.resolve("facts/metrics_0.jsonl");
        Files.createDirectories(f.getParent());
        long ts = Instant.now().minus(2, ChronoUnit.DAYS).getEpochSecond();
        Files.writeString(f, "{\"metric\": \"request_duration_ms\", \"ts\": " + ts + ".330903, \"value\": 96.72, \"tags\": {\"service\": \"reactions\", "
                + "\"stack\": \"content\", \"action\": \"add_reaction\", \"success\": \"false\", \"is_write\": \"true\", \"persona\": \"regular_teen_11\", "
                + "\"release_id\": \"prod:aws:111111111111:us-east-1:platform:eks:main:social:content:reactions:default:225\", \"object_type\": \"post\", "
                + "\"trace_id\": \"f9fc6aa809edc7ad7ea65a0ae21ecf18\"}}\n");
        var r = importVm(List.of(f.toString()), "--checkpoint", dir.resolve("cp2.tsv").toString(), "--quiet");
        assertEquals(0, r.result().exitCode(), r.out() + r.err());
        vm.flush();
        String body = vm.get("/api/v1/export?match[]=" + java.net.URLEncoder.encode("{persona=\"regular_teen_11\"}", StandardCharsets.UTF_8));
        JsonNode line = JSON.readTree(body.lines().findFirst().orElseThrow());
        var want = new TreeMap<String, String>(Map.ofEntries(
                Map.entry("__name__", "request_duration_ms"), Map.entry("service", "reactions"), Map.entry("stack", "content"),
                Map.entry("action", "add_reaction"), Map.entry("success", "false"), Map.entry("is_write", "true"),
                Map.entry("persona", "regular_teen_11"), Map.entry("object_type", "post"), Map.entry("trace_id", "f9fc6aa809edc7ad7ea65a0ae21ecf18"),
                Map.entry("environment", "prod"), Map.entry("provider", "aws"), Map.entry("account", "111111111111"),
                Map.entry("region", "us-east-1"), Map.entry("partition", "platform"), Map.entry("target_type", "eks"),
                Map.entry("target", "main"), Map.entry("application", "social"), Map.entry("tag", "default"), Map.entry("release", "225"),
                Map.entry("provider_id", "prod:aws:111111111111"), Map.entry("region_id", "prod:aws:111111111111:us-east-1"),
                Map.entry("partition_id", "prod:aws:111111111111:us-east-1:platform"),
                Map.entry("target_id", "prod:aws:111111111111:us-east-1:platform:eks:main"), Map.entry("stack_id", "social:content"),
                Map.entry("service_id", "social:content:reactions"),
                Map.entry("deployment_id", "prod:aws:111111111111:us-east-1:platform:eks:main:social:content:reactions:default"),
                Map.entry("release_id", "prod:aws:111111111111:us-east-1:platform:eks:main:social:content:reactions:default:225")));
        var got = new TreeMap<String, String>();
        line.get("metric").fields().forEachRemaining(e -> got.put(e.getKey(), e.getValue().asText()));
        assertEquals(want, got);
        assertEquals(ts * 1000 + 330, line.get("timestamps").get(0).asLong());
        assertEquals(96.72, line.get("values").get(0).asDouble());
    }

    @Test
    void samplesOutsideTheRetentionAreReportedAsNotStored() throws Exception {
        Path f = dir.resolve("old/metrics_0.jsonl");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "{\"metric\": \"old_metric\", \"ts\": 1000000000.5, \"value\": 1.0, \"tags\": {\"release_id\": "
                + "\"prod:aws:111111111111:us-east-1:platform:eks:main:social:content:reactions:default:225\"}}\n");
        var r = importVm(List.of(f.toString()), "--checkpoint", dir.resolve("cp3.tsv").toString(), "--quiet");
        assertEquals(1, r.result().stats().acknowledged.sum());
        assertEquals(1, r.result().undeliveredByServer(), r.out());
        assertEquals(1, r.result().exitCode(), r.out());
    }

    /** labels@ms -> value for every sample matching the selector. */
    static Map<String, Double> exported(String selector) throws Exception {
        String body = vm.get("/api/v1/export?match[]=" + java.net.URLEncoder.encode(selector, StandardCharsets.UTF_8));
        var out = new HashMap<String, Double>();
        for (String l : body.split("\n")) {
            if (l.isBlank()) continue;
            JsonNode n = JSON.readTree(l);
            var labels = new TreeMap<String, String>();
            n.get("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            for (int i = 0; i < n.get("values").size(); i++) {
                assertNull(out.put(labels + "@" + n.get("timestamps").get(i).asLong(), n.get("values").get(i).asDouble()), "duplicate sample " + labels);
            }
        }
        return out;
    }
}
