import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The recording rules (config/vmalert/recording.yml) replayed by {@code replay-rules} with the real Debian vmalert over
 * native metrics in a real VictoriaMetrics: every recorded value equals the whole-history query it stands for at its
 * evaluation time, the overview's panels that read it give what the same panels over the raw buckets give on an
 * hour grid, and a store that acknowledges the recorded samples without keeping them fails the run.
 */
class RecordingRulesTest {
    static final Path RULES = KitLayout.ROOT.resolve("config/vmalert/recording.yml");
    static final Path OVERVIEW = KitLayout.ROOT.resolve("config/grafana/dashboards/platform-overview.json");
    static final Instant FROM = Instant.parse("2026-05-31T18:00:00Z"), TO = Instant.parse("2026-06-01T00:00:00Z");
    static final String RAW_HISTORY = "sum by (environment, stack, le) (increase(request_duration_seconds_bucket[2y]))";

    static Path dir;
    static VictoriaMetricsProcess vm;
    static Run replay;

    @BeforeAll
    static void generateImportAndReplay() throws Exception {
        dir = KitLayout.testDir("recording-rules");
        Path data = dir.resolve("data");
        MonitoringGeneration.run(MonitoringGeneration.request(MonitoringTestData.MODEL, 6_000L, 600, data, 9, 2, 1, null, "jsonl", "seed", null,
                "2026-06-01", null, "6h", "native", "15s"), true);
        vm = VictoriaMetricsProcess.start(dir.resolve("vm"));
        AlertRulesTest.importNative(vm, data);
        // the window comes from the store: the first and last requests_total sample, widened to the hour grid
        replay = run("--vm-url", vm.url().toString(), "--log", dir.resolve("vmalert.log").toString(), "-q");
        vm.flush();
    }

    @AfterAll
    static void stop() {
        if (vm != null) vm.close();
    }

    record Run(int exitCode, String output) {}

    static Run run(String... args) {
        var r = CommandRun.of(new ReplayRules(), args);
        return new Run(r.code(), String.join("\n", r.out()) + "\n" + String.join("\n", r.err()));
    }

    @Test
    void replayCoversTheDataOnTheHourGridAndCountsWhatTheStoreHolds() {
        assertEquals(0, replay.exitCode(), replay.output());
        assertTrue(replay.output().contains("window   " + FROM.minus(Duration.ofHours(1)) + " .. " + TO + ", every 1h")
                || replay.output().contains("window   " + FROM + " .. " + TO + ", every 1h"), replay.output());
        var m = java.util.regex.Pattern.compile("([\\d,]+) samples recorded, ([\\d,]+) in the store").matcher(replay.output());
        assertTrue(m.find(), replay.output());
        long recorded = Long.parseLong(m.group(1).replace(",", "")), stored = Long.parseLong(m.group(2).replace(",", ""));
        assertTrue(recorded > 0, replay.output());
        assertEquals(recorded, stored, "one replay into an empty store: it holds exactly what vmalert wrote");
        assertEquals(recorded, exportRecorded().values().stream().mapToInt(Map::size).sum(), "the summary counts the recorded samples");
    }

    @Test
    void everyRecordedValueIsTheWholeHistoryQueryAtItsEvaluationTime() {
        var recorded = exportRecorded();
        assertFalse(recorded.isEmpty());
        int compared = 0;
        for (Instant t = FROM; !t.isAfter(TO); t = t.plus(Duration.ofHours(1))) {
            var raw = query(RAW_HISTORY, t);
            var atT = new TreeMap<String, Double>();
            for (var e : recorded.entrySet()) if (e.getValue().containsKey(t)) atT.put(e.getKey(), e.getValue().get(t));
            assertEquals(raw, atT, "recorded vs whole-history query at " + t);
            compared += raw.size();
        }
        assertTrue(compared > 100, "compared only " + compared + " values");
    }

    @Test
    void theOverviewsRecordedPanelsAnswerAsTheRawBucketsDoOnTheHourGrid() throws Exception {
        JsonNode board = MonitoringTestData.JSON.readTree(OVERVIEW.toFile());
        String stat = null, byStack = null;
        for (JsonNode p : board.path("panels")) {
            if (p.path("title").asText().equals("p99 latency")) stat = p.path("targets").get(0).path("expr").asText();
            if (p.path("title").asText().equals("p99 latency by stack")) {
                byStack = p.path("targets").get(0).path("expr").asText();
                assertEquals("1h", p.path("interval").asText(), "the recorded G changes once an hour: no finer windows");
            }
        }
        assertNotNull(stat);
        assertNotNull(byStack);
        assertTrue(stat.contains(":request_duration_seconds_bucket:increase_history") && byStack.contains(":increase_history"), "panels read the recording");
        String filter = "{environment=~\".*\", stack=~\".*\"}";
        String rawG = "increase(request_duration_seconds_bucket" + filter + "[2y]%s)";
        // the same quantile over the raw buckets, the way the panels read them before the recording
        String rawStat = "histogram_quantile(0.99, ((sum by (le) (" + rawG.formatted("") + ") - sum by (le) (" + rawG.formatted(" offset 3h")
                + ")) or sum by (le) (" + rawG.formatted("") + ")))";
        String rawByStack = "histogram_quantile(0.99, idelta((sum by (le, stack) (" + rawG.formatted("") + "))[1h:1h]))";
        // on the hour grid, short of midnight: VictoriaMetrics does not find a series whose samples all lie on a day that
        // starts exactly at the query time (its per-day index), so a stat asked at 00:00 misses the groups that 00:00 starts
        Instant last = TO.minus(Duration.ofHours(1));
        String resolved = stat.replace("$environment", ".*").replace("$stack", ".*").replace("$__range", "3h");
        assertEquals(query(rawStat, last), query(resolved, last), "p99 over the 3 hours before " + last);
        String resolvedByStack = byStack.replace("$environment", ".*").replace("$stack", ".*").replace("$__interval", "1h");
        for (Instant t = FROM.plus(Duration.ofHours(1)); !t.isAfter(last); t = t.plus(Duration.ofHours(1))) {
            var raw = query(rawByStack, t);
            assertFalse(raw.isEmpty(), "no requests in the hour before " + t);
            assertEquals(raw, query(resolvedByStack, t), "p99 by stack of the hour before " + t);
        }
    }

    @Test
    void aStoreThatAcknowledgesAndKeepsNothingFailsTheReplay() throws Exception {
        var writes = new AtomicInteger();
        var sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sink.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            writes.incrementAndGet();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        sink.start();
        try {
            // a window the first replay did not record in, so the real store holds none of it
            var r = run("--vm-url", vm.url().toString(), "--write-url", "http://127.0.0.1:" + sink.getAddress().getPort(),
                    "--from", "2026-05-31T20:00:00Z", "--to", "2026-05-31T22:00:00Z", "--rules", lossTestRules().toString(),
                    "--log", dir.resolve("vmalert-lost.log").toString(), "-q");
            assertEquals(1, r.exitCode(), r.output());
            assertTrue(writes.get() > 0, "vmalert never wrote");
            assertTrue(r.output().contains("NOT ALL STORED: vmalert wrote "), r.output());
            assertTrue(r.output().contains("the store holds 0"), r.output());
        } finally {
            sink.stop(0);
        }
    }

    @Test
    void withoutVmalertTheUserGetsTheComposeCommandOrAWarningWhenAskedToSkip() {
        var missing = run("--vm-url", vm.url().toString(), "--vmalert", dir.resolve("no-such-vmalert").toString(), "-q");
        assertEquals(2, missing.exitCode(), missing.output());
        assertTrue(missing.output().contains("docker compose run --rm --no-deps vmalert -rule=/etc/vmalert/recording.yml"), missing.output());
        assertTrue(missing.output().contains("-replay.timeFrom=" + FROM), missing.output());

        var skipped = run("--vm-url", vm.url().toString(), "--vmalert", dir.resolve("no-such-vmalert").toString(), "--skip-missing-vmalert", "-q");
        assertEquals(0, skipped.exitCode(), skipped.output());
        assertTrue(skipped.output().contains("replay-rules: done in ") && skipped.output().contains("skipped: "), skipped.output());

        var bad = run("--vm-url", vm.url().toString(), "--from", "yesterday", "--to", "2026-06-01", "-q");
        assertEquals(2, bad.exitCode(), bad.output());
        assertTrue(bad.output().contains("--from yesterday: expected an ISO-8601 time"), bad.output());
    }

    /** The shipped rules under another record name, so the lost samples cannot be mistaken for the first replay's. */
    static Path lossTestRules() throws Exception {
        Path f = dir.resolve("lost-rules.yml");
        java.nio.file.Files.writeString(f, java.nio.file.Files.readString(RULES).replace(":increase_history", ":increase_history_lost"));
        return f;
    }

    /** Every recorded series (labels without the name) with its samples by time. */
    static Map<String, Map<Instant, Double>> exportRecorded() {
        String body = vm.get("/api/v1/export?match[]=" + URLEncoder.encode("{__name__=\"environment_stack_le:request_duration_seconds_bucket:increase_history\"}",
                StandardCharsets.UTF_8));
        var all = new TreeMap<String, Map<Instant, Double>>();
        for (String line : body.lines().filter(l -> !l.isBlank()).toList()) {
            JsonNode s = read(line);
            var labels = new TreeMap<String, String>();
            s.path("metric").fields().forEachRemaining(e -> { if (!e.getKey().equals("__name__")) labels.put(e.getKey(), e.getValue().asText()); });
            var values = all.computeIfAbsent(labels.toString(), k -> new TreeMap<>());
            for (int i = 0; i < s.path("timestamps").size(); i++)
                values.put(Instant.ofEpochMilli(s.path("timestamps").get(i).asLong()), s.path("values").get(i).asDouble());
        }
        return all;
    }

    /** An instant query's series (labels without the name) and values. */
    static Map<String, Double> query(String q, Instant t) {
        JsonNode answer = read(vm.get("/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&time=" + t.getEpochSecond()));
        assertEquals("success", answer.path("status").asText(), q + ": " + answer);
        var out = new TreeMap<String, Double>();
        for (JsonNode r : answer.path("data").path("result")) {
            var labels = new TreeMap<String, String>();
            r.path("metric").fields().forEachRemaining(e -> { if (!e.getKey().equals("__name__")) labels.put(e.getKey(), e.getValue().asText()); });
            out.put(labels.toString(), r.path("value").get(1).asDouble());
        }
        return out;
    }

    static JsonNode read(String json) {
        try {
            return MonitoringTestData.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
