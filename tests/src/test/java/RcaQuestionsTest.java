import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * rca-questions on a small run: every MetricsQL evidence query, run against a real VictoriaMetrics holding the run's
 * native metrics, returns the rows the question expects; every LogsQL one, evaluated from its text over the records
 * import-vl would send, does too; and the answers are the ground truth's.
 */
class RcaQuestionsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static Path dir, data;
    static VictoriaMetricsProcess vm;
    static final List<JsonNode> questions = new ArrayList<>();
    static final List<Map<String, String>> vlRecords = new ArrayList<>();

    @BeforeAll
    static void generateAskAndImport() throws Exception {
        dir = KitLayout.testDir("rca-questions");
        data = RcaTestData.data();
        Path out = dir.resolve("questions.jsonl");
        int code = new CommandLine(new RcaQuestions()).execute(data.toString(), "--out", out.toString(), "--quiet",
                "--series-out", dir.resolve("series/ground_truth_series.jsonl").toString());
        assertEquals(0, code, "rca-questions exit code");
        for (String line : Files.readAllLines(out)) questions.add(JSON.readTree(line));

        var parser = new VlJsonLine();
        for (Path f : InputFiles.expand(List.of(data.toString()), "logs_*.jsonl*"))
            try (var reader = new JsonLinesReader(f)) {
                for (var line : reader) {
                    var rec = new HashMap<String, String>();
                    JSON.readTree(parser.parse(line)).properties().forEach(e -> rec.put(e.getKey(), e.getValue().asText()));
                    vlRecords.add(rec);
                }
            }

        vm = VictoriaMetricsProcess.start(dir.resolve("vm"));
        var log = new ByteArrayOutputStream();
        var run = new ImportRun<>("import-vm", vm.url(), "samples", "native_metrics_*.jsonl*", new VmImportLine(), VmImportLine.format(),
                VmImportLine.counters(vm.url()));
        var r = run.execute(List.of(data.toString(), dir.resolve("series").toString() + "/*.jsonl"),
                ImportTestData.options("--quiet", "--checkpoint", dir.resolve("cp.tsv").toString()),
                new PrintStream(log, true, StandardCharsets.UTF_8), new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(0, r.exitCode(), log.toString(StandardCharsets.UTF_8));
        vm.flush();
    }

    @AfterAll
    static void stop() {
        if (vm != null) vm.close();
    }

    static List<JsonNode> evidence(String store) {
        var out = new ArrayList<JsonNode>();
        for (JsonNode q : questions) for (JsonNode e : q.get("evidence")) if (e.get("store").asText().equals(store)) out.add(e);
        return out;
    }

    static Map<SortedMap<String, String>, Long> expected(JsonNode evidence) {
        var out = new HashMap<SortedMap<String, String>, Long>();
        for (JsonNode row : evidence.get("expect")) {
            SortedMap<String, String> labels = new TreeMap<>();
            row.get("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            out.put(labels, row.get("value").asLong());
        }
        return out;
    }

    @Test
    void theRunAsksEveryKindOfQuestion() {
        var kinds = new TreeMap<String, Integer>();
        for (JsonNode q : questions) kinds.merge(q.get("kind").asText(), 1, Integer::sum);
        for (String k : List.of("component", "upstream", "release")) assertTrue(kinds.getOrDefault(k, 0) > 0, "no " + k + " question: " + kinds);
    }

    @Test
    void everyMetricsQlEvidenceQueryReturnsItsRowsFromVictoriaMetrics() throws Exception {
        var checked = 0;
        for (JsonNode e : evidence("victoriametrics")) {
            long at = Instant.parse(e.get("end").asText()).getEpochSecond();
            String q = "query=" + URLEncoder.encode(e.get("query").asText(), StandardCharsets.UTF_8) + "&time=" + at;
            var answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(vm.url() + "/api/v1/query?" + q)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            var got = new HashMap<SortedMap<String, String>, Long>();
            for (JsonNode s : JSON.readTree(answer.body()).get("data").get("result")) {
                SortedMap<String, String> labels = new TreeMap<>();
                s.get("metric").properties().forEach(l -> labels.put(l.getKey(), l.getValue().asText()));
                double v = s.get("value").get(1).asDouble();
                assertEquals(Math.rint(v), v, 1e-9, "a whole count for " + labels + " of " + e.get("query"));
                got.put(labels, (long) Math.rint(v));
            }
            assertEquals(expected(e), got, e.get("query").asText() + " at " + e.get("end").asText());
            checked++;
        }
        assertTrue(checked >= 3, "only " + checked + " MetricsQL queries");
    }

    @Test
    void everyLogsQlEvidenceQueryReturnsItsRowsFromTheImportedRecords() {
        var checked = 0;
        for (JsonNode e : evidence("victorialogs")) {
            var got = new LogsQlSubset(e.get("query").asText()).evaluate(vlRecords);
            assertFalse(got.isEmpty(), "no rows for " + e.get("query"));
            assertEquals(expected(e), got, e.get("query").asText());
            checked++;
        }
        assertTrue(checked >= 3, "only " + checked + " LogsQL queries");
    }

    static JsonNode instant(String promql, long atS) throws Exception {
        String q = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + atS;
        var answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(vm.url() + "/api/v1/query?" + q)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body()).get("data").get("result");
    }

    @Test
    void theGroundTruthSeriesAreOneInsideEachWindowAndZeroAfterIt() throws Exception {
        GroundTruth truth = GroundTruth.read(data.resolve("incidents.json"));
        assertFalse(truth.incidents().isEmpty());
        for (GroundTruth.Incident i : truth.incidents()) {
            String sel = "ground_truth_incident{incident_id=\"" + i.id() + "\"}";
            long mid = (i.startMicros() + i.endMicros()) / 2_000_000, after = i.endMicros() / 1_000_000 + 30;
            JsonNode inside = instant(sel, mid);
            assertEquals(1, inside.size(), sel + " at " + mid);
            assertEquals(i.component(), inside.get(0).get("metric").get("component").asText());
            assertEquals(1.0, inside.get(0).get("value").get(1).asDouble(), sel + " inside its window");
            assertEquals(0.0, instant(sel, after).get(0).get("value").get(1).asDouble(), sel + " after its window");
        }
        for (GroundTruth.Deployment d : truth.deployments()) {
            String sel = "ground_truth_deployment{release_id=\"" + d.releaseId() + "\"}";
            assertEquals(1.0, instant(sel, (d.startMicros() + d.endMicros()) / 2_000_000).get(0).get("value").get(1).asDouble(), sel);
        }
    }

    @Test
    void answersAreTheGroundTruths() throws Exception {
        JsonNode truth = JSON.readTree(data.resolve("incidents.json").toFile());
        var components = new HashMap<Integer, JsonNode>();
        for (JsonNode i : truth.get("incidents")) components.put(i.get("id").asInt(), i);
        for (JsonNode q : questions) {
            String ref = q.get("ground_truth").asText(), answer = q.get("answer").asText();
            switch (q.get("kind").asText()) {
                case "component" -> assertEquals(components.get(id(ref)).get("component").asText(), answer, ref);
                case "upstream" -> {
                    var affected = new ArrayList<String>();
                    components.get(id(ref)).get("affected_services").forEach(s -> affected.add(s.asText()));
                    assertTrue(affected.contains(answer), answer + " is not among " + affected + " of " + ref);
                }
                case "release" -> {
                    int index = Integer.parseInt(ref.substring(ref.indexOf('[') + 1, ref.indexOf(']')));
                    assertEquals(truth.get("deployment_windows").get(index).get("release_id").asText(), answer, ref);
                }
                default -> fail("unknown kind in " + q);
            }
        }
    }

    static int id(String ref) {
        return Integer.parseInt(ref.substring(ref.indexOf("id=") + 3, ref.indexOf(']')));
    }

    @Test
    void aBadLogLineIsReportedWithFileAndLineAndFailsTheRun() throws Exception {
        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        Files.copy(data.resolve("incidents.json"), bad.resolve("incidents.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> lines = new ArrayList<>(Files.readAllLines(data.resolve("logs_0.jsonl")).subList(0, 50));
        lines.set(9, "{\"timestamp\": \"yesterday\", \"stack\": \"feed\", \"service\": \"timeline\", \"action\": \"x\"}");
        Files.write(bad.resolve("logs_0.jsonl"), lines);
        var err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = new CommandLine(new RcaQuestions()).execute(bad.toString(), "--out", dir.resolve("bad.jsonl").toString(), "--quiet");
        } finally {
            System.setErr(old);
        }
        assertEquals(1, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(bad.resolve("logs_0.jsonl") + ":10: timestamp is not an ISO-8601 instant"), err.toString());
    }
}
