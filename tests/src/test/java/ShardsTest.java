import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code generate-monitoring --shard K/3} against the unsharded run, every run its own JVM (as shards on several
 * machines would be): log and raw metric lines are the same multiset, incidents.json is the same in every shard, the
 * summaries add up, the native counters and histograms summed without {@code instance} are the unsharded ones at
 * every sample time, and the same holds for {@code increase()} in a real VictoriaMetrics fed by streaming shards.
 */
class ShardsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int N = 3;
    static Path base, model, whole;
    static final Path[] shards = new Path[N];

    /** The run: hot incidents so incident errors exist, enough roots for 8 time slices, so every shard has 2 or 3. */
    static List<String> runArgs(Path out, String metrics) {
        return new ArrayList<>(List.of("8000", "600", "--model", model.toString(), "--duration", "2d", "--end", "2026-03-01", "--seed", "5",
                "--metrics", metrics, "--scrape-interval", "60s", "--files", "2", "--workers", "2", "-q", "-o", out.toString()));
    }

    /** Runs generate-monitoring in a JVM of its own; returns its output after checking it exited 0. */
    static String generate(List<String> args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"), "GenerateMonitoring"));
        cmd.addAll(args);
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), text);
        assertEquals(0, p.exitValue(), String.join(" ", args) + "\n" + text);
        return text;
    }

    @BeforeAll
    static void generateTheWholeRunAndItsShards() throws Exception {
        base = KitLayout.testDir("shards");
        model = MonitoringTestData.hotModel(base.resolve("model"));
        whole = base.resolve("whole");
        generate(runArgs(whole, "both"));
        for (int k = 0; k < N; k++) {
            shards[k] = base.resolve("shard-" + k);
            var args = runArgs(shards[k], "both");
            args.addAll(List.of("--shard", k + "/" + N));
            String out = generate(args);
            assertTrue(out.contains("shard        " + k + "/" + N + ": "), out);
        }
    }

    static Map<String, Integer> lineCounts(Path dir, String prefix) {
        var out = new HashMap<String, Integer>();
        try (var list = Files.list(dir)) {
            for (Path f : list.filter(p -> p.getFileName().toString().matches(prefix + "_\\d+\\.jsonl")).toList())
                for (String line : Files.readAllLines(f)) out.merge(line, 1, Integer::sum);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static void assertUnionIsTheWholeRun(String prefix) {
        var union = new HashMap<String, Integer>();
        for (Path s : shards) {
            var lines = lineCounts(s, prefix);
            assertFalse(lines.isEmpty(), s + " has " + prefix + " lines");
            lines.forEach((l, n) -> union.merge(l, n, Integer::sum));
        }
        var all = lineCounts(whole, prefix);
        assertTrue(all.size() > 10_000, prefix + ": " + all.size());
        assertEquals(all.size(), union.size(), prefix + ": distinct lines");
        assertEquals(all, union, prefix + ": the shards' lines as a multiset are the unsharded lines");
    }

    @Test
    void logLinesOfTheShardsAreTheUnshardedLines() {
        assertUnionIsTheWholeRun("logs");
    }

    @Test
    void rawMetricLinesOfTheShardsAreTheUnshardedLines() {
        assertUnionIsTheWholeRun("metrics");
    }

    @Test
    void incidentsJsonIsTheSameInEveryShardAndThePlanOfTheWholeRun() throws Exception {
        byte[] first = Files.readAllBytes(shards[0].resolve("incidents.json"));
        for (Path s : shards) assertArrayEquals(first, Files.readAllBytes(s.resolve("incidents.json")), s + "/incidents.json");
        JsonNode all = JSON.readTree(whole.resolve("incidents.json").toFile());
        assertTrue(all.get("incidents").size() > 0, "the hot model has incidents");
        for (JsonNode i : all.get("incidents")) ((ObjectNode) i).remove(List.of("observed_errors", "observed_cascade_errors"));
        assertEquals(all, JSON.readTree(first), "the whole run's ground truth without what was observed in it");
    }

    @Test
    void theShardsSummariesAddUpToTheWholeRuns() throws Exception {
        JsonNode all = JSON.readTree(whole.resolve("summary.json").toFile());
        assertFalse(all.has("shard"), "the whole run's summary names no shard");
        var sums = new HashMap<String, Long>();
        var incidentErrors = new TreeMap<Integer, Long>();
        for (int k = 0; k < N; k++) {
            JsonNode s = JSON.readTree(shards[k].resolve("summary.json").toFile());
            assertEquals(k, s.get("shard").get("index").asInt());
            assertEquals(N, s.get("shard").get("count").asInt());
            assertEquals("shard-" + k + "-of-" + N, s.get("shard").get("instance").asText());
            assertTrue(s.get("root_events").asLong() > 0, "shard " + k + " made events");
            for (String f : List.of("total_events", "total_logs", "total_metrics", "root_events", "child_spans", "dropped_by_deployment_dips",
                    "deployment_lines"))
                sums.merge(f, s.get(f).asLong(), Long::sum);
            for (String obj : List.of("levels", "error_sources", "root_events_by_persona", "events_by_service_key"))
                s.get(obj).fields().forEachRemaining(e -> sums.merge(obj + "." + e.getKey(), e.getValue().asLong(), Long::sum));
            sums.merge("raw samples", s.get("metrics").get("raw").get("samples").asLong(), Long::sum);
            for (JsonNode i : s.get("incident_errors")) {
                incidentErrors.merge(i.get("id").asInt() * 2, i.get("observed_errors").asLong(), Long::sum);
                incidentErrors.merge(i.get("id").asInt() * 2 + 1, i.get("observed_cascade_errors").asLong(), Long::sum);
            }
        }
        var expected = new HashMap<String, Long>();
        for (String f : List.of("total_events", "total_logs", "total_metrics", "root_events", "child_spans", "dropped_by_deployment_dips",
                "deployment_lines"))
            expected.put(f, all.get(f).asLong());
        for (String obj : List.of("levels", "error_sources", "root_events_by_persona", "events_by_service_key"))
            all.get(obj).fields().forEachRemaining(e -> expected.put(obj + "." + e.getKey(), e.getValue().asLong()));
        expected.put("raw samples", all.get("metrics").get("raw").get("samples").asLong());
        // shards with no event of a persona or service leave it out of events_by_service_key only
        expected.forEach((k, v) -> sums.putIfAbsent(k, 0L));
        assertEquals(expected, sums);

        var observed = new TreeMap<Integer, Long>();
        long errors = 0;
        for (JsonNode i : JSON.readTree(whole.resolve("incidents.json").toFile()).get("incidents")) {
            observed.put(i.get("id").asInt() * 2, i.get("observed_errors").asLong());
            observed.put(i.get("id").asInt() * 2 + 1, i.get("observed_cascade_errors").asLong());
            errors += i.get("observed_errors").asLong();
        }
        assertTrue(errors > 0, "the incidents caused errors");
        assertEquals(observed, incidentErrors, "errors per incident, summed over the shards");
    }

    /** Native samples per label set without {@code instance}: timestamp -> value, each line's {@code instance} checked. */
    static Map<String, TreeMap<Long, Double>> nativeSeries(Path dir, String instance) throws IOException {
        var out = new HashMap<String, TreeMap<Long, Double>>();
        try (var list = Files.list(dir)) {
            for (Path f : list.filter(p -> p.getFileName().toString().matches("native_metrics_\\d+\\.jsonl")).toList())
                for (String line : Files.readAllLines(f)) {
                    JsonNode n = JSON.readTree(line);
                    ObjectNode m = (ObjectNode) n.get("metric");
                    JsonNode inst = m.remove("instance");
                    assertEquals(instance, inst == null ? null : inst.asText(), line);
                    var labels = new TreeMap<String, String>();
                    m.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                    var samples = out.computeIfAbsent(labels.toString(), x -> new TreeMap<>());
                    for (int i = 0; i < n.get("values").size(); i++)
                        samples.put(n.get("timestamps").get(i).asLong(), n.get("values").get(i).asDouble());
                }
        }
        return out;
    }

    /** The series' value at {@code t}: its last sample at or before it, 0 before its first. */
    static double at(TreeMap<Long, Double> series, long t) {
        var e = series == null ? null : series.floorEntry(t);
        return e == null ? 0 : e.getValue();
    }

    @Test
    void nativeCountersSummedWithoutInstanceAreTheUnshardedOnesAtEverySampleTime() throws Exception {
        var all = nativeSeries(whole, null);
        var parts = new ArrayList<Map<String, TreeMap<Long, Double>>>();
        for (int k = 0; k < N; k++) parts.add(nativeSeries(shards[k], "shard-" + k + "-of-" + N));
        for (var p : parts) assertTrue(all.keySet().containsAll(p.keySet()), "a shard has no label set the whole run lacks");
        long checked = 0;
        for (var e : all.entrySet()) {
            var times = new java.util.TreeSet<>(e.getValue().keySet());
            for (var p : parts) if (p.containsKey(e.getKey())) times.addAll(p.get(e.getKey()).keySet());
            for (long t : times) {
                double want = at(e.getValue(), t), got = 0;
                for (var p : parts) got += at(p.get(e.getKey()), t);
                assertEquals(want, got, 1e-6 * Math.max(1, Math.abs(want)), e.getKey() + " at " + t);
                checked++;
            }
            double last = e.getValue().lastEntry().getValue(), sumLast = 0;
            for (var p : parts) if (p.containsKey(e.getKey())) sumLast += p.get(e.getKey()).lastEntry().getValue();
            assertEquals(last, sumLast, 1e-6 * Math.max(1, last), "final value of " + e.getKey());
        }
        assertTrue(all.size() > 1000 && checked > 100_000, all.size() + " series, " + checked + " sample times");
        for (int k = 0; k < N; k++)
            assertTrue(Files.readString(shards[k].resolve("native_exemplars.txt")).contains(",instance=\"shard-" + k + "-of-" + N + "\""),
                    "exemplars of shard " + k + " carry its instance");
    }

    static JsonNode query(URI vm, String promql, long timeS) throws Exception {
        String q = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + timeS;
        var answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(vm + "/api/v1/query?" + q)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body()).get("data").get("result");
    }

    static Map<String, Double> byLabels(JsonNode result) {
        var out = new TreeMap<String, Double>();
        for (JsonNode s : result) out.put(s.get("metric").toString(), s.get("value").get(1).asDouble());
        return out;
    }

    @Test
    void shardsStreamedIntoVictoriaMetricsAddUpToTheUnshardedRunThere() throws Exception {
        Path dir = base.resolve("vm");
        try (var vm = VictoriaMetricsProcess.start(dir.resolve("data"))) {
            var stream = List.of("--to", "vm", "--vm-url", vm.url().toString());
            var args = runArgs(dir.resolve("whole"), "native");
            args.addAll(stream);
            generate(args);
            for (int k = 0; k < N; k++) {
                args = runArgs(dir.resolve("shard-" + k), "native");
                args.addAll(stream);
                args.addAll(List.of("--shard", k + "/" + N));
                String out = generate(args);
                assertTrue(out.contains(", 0 not delivered"), out);
            }
            vm.flush();
            long end = MonitoringTestData.micros("2026-03-01T00:00:00Z") / 1_000_000 + 3600;
            int compared = 0;
            for (String metric : List.of("requests_total", "errors_total", "request_duration_seconds_bucket", "response_size_bytes_sum")) {
                var unsharded = byLabels(query(vm.url(), "sum without (instance) (increase(" + metric + "{instance=\"\"}[3d]))", end));
                var sharded = byLabels(query(vm.url(), "sum without (instance) (increase(" + metric + "{instance=~\"shard-.+\"}[3d]))", end));
                assertFalse(unsharded.isEmpty(), metric);
                assertEquals(unsharded.keySet(), sharded.keySet(), metric + ": label sets");
                for (var e : unsharded.entrySet())
                    assertEquals(e.getValue(), sharded.get(e.getKey()), 1e-6 * Math.max(1, e.getValue()), metric + " " + e.getKey());
                compared += unsharded.size();
            }
            assertTrue(compared > 500, compared + " label sets compared");
            var instances = query(vm.url(), "count by (instance) (last_over_time(requests_total[3d]))", end);
            assertEquals(N + 1, instances.size(), "the unsharded series and one instance per shard: " + instances);
        }
    }

    @Test
    void aShardOutOfRangeOrNullWithAnotherTargetIsAFlagError() {
        for (var bad : List.of(List.of("--shard", "3/3", "--shard K/N needs 0 <= K < N (K counts from 0), got 3/3"),
                List.of("--shard", "1-of-3", "--shard takes K/N (e.g. 0/8), got \"1-of-3\""),
                List.of("--to", "null,vm", "--to null throws everything away; it goes alone, got null,vm"))) {
            var err = new java.io.StringWriter();
            var cmd = new picocli.CommandLine(new GenerateMonitoring());
            cmd.setErr(new java.io.PrintWriter(err, true));
            var args = new ArrayList<>(List.of("100", "10", "--duration", "1d", "-q", "-o", base.resolve("bad").toString()));
            args.addAll(bad.subList(0, 2));
            assertEquals(2, cmd.execute(args.toArray(String[]::new)), err.toString());
            assertTrue(err.toString().contains(bad.get(2)), err.toString());
            assertFalse(Files.exists(base.resolve("bad")), "nothing written");
        }
    }

    @Test
    void toNullEncodesEverythingTheFilesWouldHoldAndWritesNone() throws Exception {
        Path dir = base.resolve("null");
        var args = runArgs(dir, "both");
        args.addAll(List.of("--to", "null"));
        String out = generate(args);
        assertTrue(out.lines().findFirst().orElse("").matches("generate-monitoring: done in [0-9.]+ s, .* to null: [0-9,.]+ MB discarded"), out);
        try (var list = Files.list(dir)) {
            assertEquals(List.of("incidents.json", "summary.json"), list.map(f -> f.getFileName().toString()).sorted().toList());
        }
        // the summary counts lines and bytes per part as they were encoded: the same as the run that wrote them
        assertEquals(JSON.readTree(whole.resolve("summary.json").toFile()), JSON.readTree(dir.resolve("summary.json").toFile()));
        long bytes = 0;
        try (var list = Files.list(whole)) {
            for (Path f : list.filter(f -> f.getFileName().toString().endsWith(".jsonl") || f.getFileName().toString().endsWith(".txt")).toList())
                bytes += Files.size(f);
        }
        assertTrue(out.contains(String.format(java.util.Locale.ROOT, "to null: %,.1f MB discarded", bytes / 1e6)), bytes + "\n" + out);
    }

    @Test
    void pipelinePassesTheShardToItsMonitoringStepOnly() {
        var old = System.out;
        var buf = new java.io.ByteArrayOutputStream();
        int code, bad;
        System.setOut(new java.io.PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            code = new picocli.CommandLine(new Pipeline()).execute("--dry-run", "--no-db", "--shard", "1/4", "--data-dir", base.resolve("pipeline").toString());
            bad = new picocli.CommandLine(new Pipeline()).execute("--dry-run", "--no-db", "--shard", "4/4");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code, buf.toString(StandardCharsets.UTF_8));
        assertEquals(2, bad, "shard 4 of 4 does not exist");
        var lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(5, lines.size(), lines.toString());
        for (String line : lines)
            assertEquals(line.contains("generate-monitoring"), line.contains(" --shard 1/4"), "only the monitoring step is sharded: " + line);
    }
}
