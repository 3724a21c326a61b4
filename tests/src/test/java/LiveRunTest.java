import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Live mode on a fake clock (it jumps where the system clock would wait): the pace holds rate x period exactly,
 * incidents.jsonl tells the same story as the logs, the same seed and clock give the same bytes; and a real process
 * ends on SIGTERM with exit 0 and its summary.
 */
class LiveRunTest {
    static final long T0 = MonitoringTestData.micros("2026-06-01T12:00:00Z");

    /** A clock that jumps to whatever it is asked to wait for, overshooting by the given steps in turn (microseconds). */
    static final class FakeClock implements LiveClock {
        long now;
        final long[] overshoot;
        int k;

        FakeClock(long start, long... overshoot) {
            this.now = start;
            this.overshoot = overshoot.length == 0 ? new long[] {0} : overshoot;
        }

        @Override
        public long nowMicros() { return now; }

        @Override
        public void sleepUntil(long micros) { now = Math.max(now, micros) + overshoot[k++ % overshoot.length]; }
    }

    static LiveRun.Settings settings(Path model, Path out, double rate, String scenario, String duration, String metrics, List<Drill> drills,
                                     double intensity) {
        var live = new LiveOptions();
        live.rate = rate;
        var s = LiveLaunch.settings(model, 5, live, scenario, duration, 2, out, "seed", null, metrics, "15s", intensity);
        return new LiveRun.Settings(s.modelDir(), s.seed(), 500, s.rate(), s.scenario(), s.durationMicros(), s.files(), s.output(),
                s.extendedLogs(), s.schedule(), s.rawMetrics(), s.nativeMetrics(), s.scrapeMillis(), s.intensity(), drills);
    }

    static MonitoringFiles files(Path out, LiveRun.Settings s) {
        return new MonitoringFiles(out, s.files(), MonitoringFiles.streams(s.rawMetrics(), s.nativeMetrics()));
    }

    @Test
    void achievedRootsAreRateTimesPeriodOnAnIrregularClock() {
        Path out = KitLayout.testDir("live-rate");
        var s = settings(MonitoringTestData.MODEL, out, 250, null, "60s", "raw", List.of(), 1);
        // the clock overshoots each wait by 0 to 0.9 s, as a busy machine would
        var clock = new FakeClock(T0, 0, 370_000, 90_000, 900_000, 1_000, 0, 450_000);
        var sink = new DiscardedOutput();
        var r = new LiveRun(s, clock, sink).run(true);
        assertEquals(60.0, r.seconds(), 1e-9);
        assertEquals(250 * 60, r.due(), "tokens due over the period");
        assertEquals(250 * 60, r.totals().roots + r.totals().dropped, "roots made (those a deployment dip drops included)");
        assertEquals(0, r.skipped());
        assertEquals("--duration over", r.stopReason());
    }

    @Test
    void rootLogLinesMatchTheRateAndCarryWallClockTimes() throws Exception {
        Path out = KitLayout.testDir("live-rate-logs");
        var s = settings(MonitoringTestData.MODEL, out, 40, null, "30s", "raw", List.of(), 1);
        var r = new LiveRun(s, new FakeClock(T0, 0, 250_000), files(out, s)).run(true);
        long roots = 0;
        for (JsonNode l : MonitoringTestData.lines(out, "logs")) {
            long t = MonitoringTestData.micros(l.get("timestamp").asText());
            if (l.get("parent_span_id").isNull() && !l.get("user_id").asText().equals("system")) {
                roots++;
                assertTrue(t >= T0 && t < T0 + 30_000_000L, "root inside the run's wall time: " + l);
            }
        }
        assertEquals(r.totals().roots, roots);
        assertEquals(40 * 30, r.totals().roots + r.totals().dropped);
    }

    @Test
    void sameSeedAndClockGiveTheSameBytes() throws Exception {
        Path a = KitLayout.testDir("live-same-a"), b = KitLayout.testDir("live-same-b");
        for (Path out : List.of(a, b)) {
            var s = settings(MonitoringTestData.MODEL, out, 30, "stress", "2m", "both", List.of(new Drill("redis_feed", 0.5, 20_000_000L, 30_000_000L)), 1);
            new LiveRun(s, new FakeClock(T0, 0, 130_000, 40_000), files(out, s)).run(true);
        }
        for (String f : List.of("logs_0.jsonl", "logs_1.jsonl", "metrics_0.jsonl", "native_metrics_0.jsonl", "native_metrics_1.jsonl",
                "native_exemplars.txt", "incidents.jsonl"))
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
    }

    /**
     * Two days of a model with frequent, long incidents and deployments: every start and end line of incidents.jsonl
     * comes when the logs say, every infrastructure and cascade error lies inside an incident of its component, and the
     * counts of the end lines are the error lines of the logs.
     */
    @Test
    void groundTruthLinesMatchTheLogs() throws Exception {
        Path out = KitLayout.testDir("live-truth");
        Path model = MonitoringTestData.hotModel(out.resolve("model"));
        var s = settings(model, out, 0.5, "stress", "2d", "raw", List.of(new Drill("redis_feed", 0.6, 3_600_000_000L, 1_800_000_000L)), 1);
        var r = new LiveRun(s, new FakeClock(T0), files(out, s), 10_000_000L).run(true);

        record Window(long start, long end) {
            boolean holds(long t) { return t >= start && t < end; }
        }
        Map<String, List<Window>> incidents = new HashMap<>();          // component -> windows
        Map<String, Set<String>> affected = new HashMap<>(), callers = new HashMap<>();
        Map<String, Window> deployments = new HashMap<>();             // release id -> window
        Map<Integer, Long> startLines = new HashMap<>();
        long observed = 0, observedCascades = 0, injectedStarts = 0;
        List<String> events = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("incidents.jsonl"))) {
            JsonNode e = MonitoringTestData.JSON.readTree(line);
            events.add(e.get("event").asText());
            long time = MonitoringTestData.micros(e.get("time").asText());
            switch (e.get("event").asText()) {
                case "incident_start" -> {
                    assertEquals(e.get("start").asText(), e.get("time").asText());
                    startLines.put(e.get("id").asInt(), time);
                    String c = e.get("component").asText();
                    affected.computeIfAbsent(c, k -> new HashSet<>()).addAll(strings(e.get("affected_services")));
                    callers.computeIfAbsent(c, k -> new HashSet<>()).addAll(strings(e.get("cascade_callers")));
                    if (e.get("injected").asBoolean()) injectedStarts++;
                }
                case "incident_end" -> {
                    assertTrue(startLines.containsKey(e.get("id").asInt()), "end after start: " + line);
                    incidents.computeIfAbsent(e.get("component").asText(), k -> new ArrayList<>())
                            .add(new Window(MonitoringTestData.micros(e.get("start").asText()), time));
                    observed += e.get("observed_errors").asLong();
                    observedCascades += e.get("observed_cascade_errors").asLong();
                }
                case "deployment_start" -> deployments.put(e.get("release_id").asText(),
                        new Window(time, MonitoringTestData.micros(e.get("end").asText())));
                default -> { }
            }
        }
        assertEquals("live_start", events.get(0));
        assertEquals("live_end", events.get(events.size() - 1));
        assertEquals(1, injectedStarts, "the drill started");
        assertTrue(incidents.size() >= 5, "a hot model has incidents on several components: " + incidents.keySet());
        assertTrue(deployments.size() >= 5, "and deployments: " + deployments.size());
        assertEquals(startLines.size(), r.incidents());
        // score-rca reads the same file: one infrastructure cause per incident, one deployment cause per window, with the counts
        var truth = GroundTruthReader.read(out.resolve("incidents.jsonl"));
        assertEquals(startLines.size(), truth.causes().stream().filter(c -> c.kind() == CauseKind.INFRASTRUCTURE).count());
        assertEquals(deployments.size(), truth.causes().stream().filter(c -> c.kind() == CauseKind.DEPLOYMENT).count());
        assertEquals(observed, truth.causes().stream().filter(c -> c.kind() == CauseKind.INFRASTRUCTURE).mapToLong(TruthCause::observedErrors).sum());

        long infra = 0, cascades = 0, deployErrors = 0, starts = 0, completes = 0;
        List<JsonNode> logs = MonitoringTestData.lines(out, "logs");
        Map<String, Long> rootTime = new HashMap<>(); // a child span's failure is decided at its root's time
        for (JsonNode l : logs)
            if (l.get("parent_span_id").isNull()) rootTime.put(l.get("trace_id").asText(), MonitoringTestData.micros(l.get("timestamp").asText()));
        for (JsonNode l : logs) {
            long t = MonitoringTestData.micros(l.get("timestamp").asText());
            String action = l.get("action").asText();
            if (action.equals("deployment_start") || action.equals("deployment_complete")) {
                Window w = deployments.get(l.get("release_id").asText());
                assertNotNull(w, "deployment line of a release in the ground truth: " + l);
                assertEquals(action.equals("deployment_start") ? w.start() : w.end(), t, "deployment line at the window's edge");
                if (action.equals("deployment_start")) starts++;
                else completes++;
                continue;
            }
            JsonNode src = l.get("error_source");
            if (src.isNull()) continue;
            String source = src.asText();
            if (source.startsWith("infrastructure:")) {
                String c = source.substring("infrastructure:".length());
                assertTrue(affected.getOrDefault(c, Set.of()).contains(l.get("stack").asText() + ":" + l.get("service").asText()),
                        "infrastructure error on a service of the component: " + l);
                long root = rootTime.get(l.get("trace_id").asText());
                assertTrue(incidents.getOrDefault(c, List.of()).stream().anyMatch(w -> w.holds(t) || w.holds(root)),
                        "inside an incident of " + c + ": " + l);
                infra++;
            } else if (source.startsWith("dependency:")) {
                String callee = source.substring("dependency:".length());
                String caller = l.get("stack").asText() + ":" + l.get("service").asText();
                boolean explained = false;
                for (var e : incidents.entrySet())
                    if (affected.get(e.getKey()).contains(callee) && callers.get(e.getKey()).contains(caller)
                            && e.getValue().stream().anyMatch(w -> w.holds(t))) explained = true;
                assertTrue(explained, "cascade from an incident on the callee at that time: " + l);
                cascades++;
            } else if (source.startsWith("deployment:")) {
                Window w = deployments.get(source.substring("deployment:".length()));
                assertNotNull(w, "deployment error of a release in the ground truth: " + l);
                assertTrue(w.holds(t), "deployment error inside its window: " + l);
                deployErrors++;
            }
        }
        // the request line of a cascade and the failed child span of the callee are two lines; each counts once per kind
        assertTrue(infra > 1000, "a hot model makes many infrastructure errors: " + infra);
        assertEquals(observed, infra, "infrastructure error lines = the end lines' observed_errors");
        assertEquals(observedCascades, cascades, "cascade error lines = the end lines' observed_cascade_errors");
        assertEquals(starts, deployments.size());
        assertTrue(completes <= starts && completes >= starts - 2, "windows still open at the stop have no complete line");
        assertTrue(deployErrors > 0);
    }

    static List<String> strings(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The real thing: ./jbang live until SIGTERM, which flushes, prints the summary and exits 0. */
    @Test
    void sigtermFlushesPrintsTheSummaryAndExitsZero() throws Exception {
        Path out = KitLayout.testDir("live-sigterm");
        Path stdout = out.resolve("stdout.txt");
        var p = new ProcessBuilder(KitLayout.ROOT.resolve("jbang").toString(), "live", "--rate", "200", "--to", "files", "-o", out.resolve("data").toString(),
                "--quiet", "--scrape-interval", "1s").directory(KitLayout.ROOT.toFile()).redirectErrorStream(true).redirectOutput(stdout.toFile()).start();
        Path truth = out.resolve("data/incidents.jsonl");
        // running once the ground truth has its first line and a log line exists
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!(Files.exists(truth) && Files.size(truth) > 0 && Files.exists(out.resolve("data/logs_0.jsonl"))
                && Files.size(out.resolve("data/logs_0.jsonl")) > 0)) {
            assertTrue(p.isAlive(), "live ended early:\n" + Files.readString(stdout));
            assertTrue(System.nanoTime() < deadline, "live did not start");
            Thread.sleep(200);
        }
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "live did not end after SIGTERM");
        String text = Files.readString(stdout, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains("live: stopped by a signal after"), text);
        assertTrue(text.contains("roots/s achieved, target"), text);
        List<String> lines = Files.readAllLines(truth);
        assertTrue(lines.get(lines.size() - 1).contains("\"event\":\"live_end\""), "ground truth closed: " + lines);
        // everything made was written: the log lines on disk are the summary's
        long logLines = 0;
        for (String f : List.of("logs_0.jsonl", "logs_1.jsonl")) logLines += Files.readAllLines(out.resolve("data").resolve(f)).size();
        var m = java.util.regex.Pattern.compile("roots, ([0-9,]+) logs").matcher(text);
        assertTrue(m.find(), text);
        assertEquals(Long.parseLong(m.group(1).replace(",", "")), logLines);
    }
}
