import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** score-rca on a hand-made ground truth and findings file whose scores are known exactly. */
class ScoreRcaTest {
    private static final String R1 = "prod:aws:111111111111:us-east-1:platform:eks:main:social:content:posts:default:7";
    private static final String R2 = "prod:aws:111111111111:us-east-1:platform:eks:main:social:user:identity:default:9";
    private final Path base = KitLayout.testDir("score-rca");
    private Path truth, findings;

    /**
     * Incident 1 (redis_content, 10:00-11:00, 5 errors, 3 cascade errors), incident 2 (aurora_primary, 14:00-14:30, no
     * errors: unfindable, no callers), incident 3 (opensearch_cluster, 20:00-21:00, 2 errors, no cascade errors: its
     * dependency cause is unfindable); deployment windows R1 12:00-12:10 (content:posts), R2 16:00-16:05 (user:identity).
     */
    @BeforeEach
    void files() throws Exception {
        truth = Files.writeString(base.resolve("incidents.json"), """
                {"seed": 3, "incident_intensity": 10.0, "incidents": [
                  {"id": 1, "component": "redis_content", "start": "2026-01-05T10:00:00Z", "end": "2026-01-05T11:00:00Z",
                   "affected_services": ["content:posts", "content:comments"], "cascade_callers": ["content:feed"],
                   "observed_errors": 5, "observed_cascade_errors": 3},
                  {"id": 2, "component": "aurora_primary", "start": "2026-01-05T14:00:00Z", "end": "2026-01-05T14:30:00Z",
                   "affected_services": ["user:profile"], "cascade_callers": [], "observed_errors": 0, "observed_cascade_errors": 0},
                  {"id": 3, "component": "opensearch_cluster", "start": "2026-01-05T20:00:00Z", "end": "2026-01-05T21:00:00Z",
                   "affected_services": ["search:users"], "cascade_callers": ["content:hashtags"], "observed_errors": 2, "observed_cascade_errors": 0}],
                 "deployment_windows": [
                  {"release_id": "%s", "stack": "content", "service": "posts", "start": "2026-01-05T12:00:00Z", "end": "2026-01-05T12:10:00Z"},
                  {"release_id": "%s", "stack": "user", "service": "identity", "start": "2026-01-05T16:00:00Z", "end": "2026-01-05T16:05:00Z"}]}
                """.formatted(R1, R2));
        findings = Files.writeString(base.resolve("findings.jsonl"), String.join("\n",
                // 1: incident 1, detected 5 min in, component and service right
                "{\"start\": \"2026-01-05T10:03:00Z\", \"end\": \"2026-01-05T10:30:00Z\", \"detected_at\": \"2026-01-05T10:05:00Z\", \"kind\": \"infrastructure\", \"component\": \"redis_content\", \"service\": \"content:posts\"}",
                // 2: incident 1 again (overlaps its last 10 minutes), wrong component
                "{\"start\": \"2026-01-05T10:50:00Z\", \"end\": \"2026-01-05T11:20:00Z\", \"kind\": \"infrastructure\", \"component\": \"aurora_primary\"}",
                // 3: incident 2, which logged nothing: no false positive, not in recall; naive time is UTC
                "{\"start\": \"2026-01-05T14:10:00\", \"end\": \"2026-01-05T14:20:00\", \"kind\": \"infrastructure\", \"component\": \"aurora_primary\"}",
                // 4: nothing at 18:00: false positive, its blame not counted
                "{\"start\": \"2026-01-05T18:00:00Z\", \"end\": \"2026-01-05T18:30:00Z\", \"kind\": \"infrastructure\", \"service\": \"search:users\"}",
                // 5: incident 1's cascade, 10 min in, upstream service right
                "{\"start\": \"2026-01-05T10:10:00Z\", \"end\": \"2026-01-05T10:40:00Z\", \"kind\": \"dependency\", \"service\": \"content:posts\", \"note\": \"ignored\"}",
                // 6: R1, 3 min after its window ended: inside the 5 min tolerance
                "{\"start\": \"2026-01-05T12:13:00Z\", \"end\": \"2026-01-05T12:20:00Z\", \"kind\": \"deployment\", \"release_id\": \"" + R1 + "\"}",
                // 7: 25 min after R2's window: false positive
                "{\"start\": \"2026-01-05T16:30:00Z\", \"end\": \"2026-01-05T16:40:00Z\", \"kind\": \"deployment\", \"service\": \"user:identity\"}",
                "{\"start\": \"2026-01-05T10:00:00Z\", \"end\": \"2026-01-05T11:00:00Z\", \"component\": \"redis_content\"}",
                "{\"start\": \"2026-01-05T11:00:00Z\", \"end\": \"2026-01-05T10:00:00Z\", \"kind\": \"infrastructure\", \"component\": \"redis_content\"}",
                "",
                "{\"start\": \"2026-01-05T10:00:00Z\", \"end\": \"2026-01-05T11:00:00Z\", \"kind\": \"dependency\", \"service\": \"posts\"}",
                "[1, 2]",
                "{\"start\": \"2026-01-05T10:00:00Z\", \"end\": \"2026-01-05T11:00:00Z\", \"kind\": \"deployment\"}") + "\n");
    }

    private static final List<String> BAD = List.of(
            ":8: no \"kind\" (infrastructure, dependency or deployment)",
            ":9: \"end\" is before \"start\"",
            ":11: \"service\" must be stack:service, got \"posts\"",
            ":12: not a JSON object",
            ":13: blames nothing: give \"component\", \"service\" or \"release_id\"");

    @Test
    void scoresPerKindAreExact() throws Exception {
        var run = run("--json", "--skip-bad");
        assertEquals(0, run.code(), run.err().toString());
        JsonNode j = MonitoringTestData.JSON.readTree(String.join("\n", run.out()));
        assertEquals(12, j.get("findings_read").asInt());
        assertEquals(5, j.get("bad_lines").asInt());
        assertEquals(300.0, j.at("/matching/tolerance_seconds").asDouble());

        kind(j.at("/kinds/infrastructure"), 2, 1, 1, 4, 3, 0.75, 0.5, 0.6, 300.0);
        kind(j.at("/kinds/dependency"), 1, 1, 1, 1, 1, 1.0, 1.0, 1.0, 600.0);
        kind(j.at("/kinds/deployment"), 2, 0, 1, 2, 1, 0.5, 0.5, 0.5, 780.0);
        kind(j.at("/all"), 5, 2, 3, 7, 5, 5.0 / 7, 0.6, 30.0 / 46, 600.0);
        assertEquals(560.0, j.at("/all/time_to_detect_seconds/mean").asDouble(), 1e-9);
        assertEquals(780.0, j.at("/all/time_to_detect_seconds/max").asDouble(), 1e-9);

        blame(j.at("/blame/component"), 3, 2);
        blame(j.at("/blame/service"), 2, 2);
        blame(j.at("/blame/release"), 1, 1);
    }

    /** The same run's ground truth as a live run writes it: start and end lines, incident 1 ended early by its end line. */
    private Path liveTruth(boolean endIncident2) throws Exception {
        var lines = new ArrayList<>(List.of(
                "{\"event\":\"live_start\",\"time\":\"2026-01-05T09:00:00Z\",\"seed\":3,\"incident_intensity\":10.0}",
                "{\"event\":\"incident_start\",\"time\":\"2026-01-05T10:00:00Z\",\"id\":1,\"component\":\"redis_content\",\"start\":\"2026-01-05T10:00:00Z\","
                        + "\"end\":\"2026-01-05T11:45:00Z\",\"affected_services\":[\"content:posts\",\"content:comments\"],\"cascade_callers\":[\"content:feed\"],\"injected\":true}",
                "{\"event\":\"incident_end\",\"time\":\"2026-01-05T11:00:00Z\",\"id\":1,\"component\":\"redis_content\",\"start\":\"2026-01-05T10:00:00Z\","
                        + "\"end\":\"2026-01-05T11:00:00Z\",\"observed_errors\":5,\"observed_cascade_errors\":3,\"injected\":true}",
                "{\"event\":\"deployment_start\",\"time\":\"2026-01-05T12:00:00Z\",\"release_id\":\"" + R1 + "\",\"deployment_id\":\"d1\",\"stack\":\"content\","
                        + "\"service\":\"posts\",\"start\":\"2026-01-05T12:00:00Z\",\"end\":\"2026-01-05T12:10:00Z\"}",
                "{\"event\":\"deployment_end\",\"time\":\"2026-01-05T12:10:00Z\",\"release_id\":\"" + R1 + "\",\"deployment_id\":\"d1\","
                        + "\"start\":\"2026-01-05T12:00:00Z\",\"end\":\"2026-01-05T12:10:00Z\"}",
                "{\"event\":\"incident_start\",\"time\":\"2026-01-05T14:00:00Z\",\"id\":2,\"component\":\"aurora_primary\",\"start\":\"2026-01-05T14:00:00Z\","
                        + "\"end\":\"2026-01-05T14:30:00Z\",\"affected_services\":[\"user:profile\"],\"cascade_callers\":[]}",
                "{\"event\":\"incident_end\",\"time\":\"2026-01-05T14:30:00Z\",\"id\":2,\"start\":\"2026-01-05T14:00:00Z\",\"end\":\"2026-01-05T14:30:00Z\","
                        + "\"observed_errors\":0,\"observed_cascade_errors\":0}",
                "{\"event\":\"burst_start\",\"time\":\"2026-01-05T15:00:00Z\",\"traffic_factor\":2.0}",
                "{\"event\":\"deployment_start\",\"time\":\"2026-01-05T16:00:00Z\",\"release_id\":\"" + R2 + "\",\"deployment_id\":\"d2\",\"stack\":\"user\","
                        + "\"service\":\"identity\",\"start\":\"2026-01-05T16:00:00Z\",\"end\":\"2026-01-05T16:05:00Z\"}",
                "{\"event\":\"incident_start\",\"time\":\"2026-01-05T20:00:00Z\",\"id\":3,\"component\":\"opensearch_cluster\",\"start\":\"2026-01-05T20:00:00Z\","
                        + "\"end\":\"2026-01-05T21:00:00Z\",\"affected_services\":[\"search:users\"],\"cascade_callers\":[\"content:hashtags\"]}",
                "{\"event\":\"incident_end\",\"time\":\"2026-01-05T21:00:00Z\",\"id\":3,\"start\":\"2026-01-05T20:00:00Z\",\"end\":\"2026-01-05T21:00:00Z\","
                        + "\"observed_errors\":2,\"observed_cascade_errors\":0}",
                "{\"event\":\"live_end\",\"time\":\"2026-01-05T22:00:00Z\"}"));
        if (!endIncident2) lines.remove(6);
        return Files.writeString(base.resolve(endIncident2 ? "incidents.jsonl" : "killed/incidents.jsonl"), String.join("\n", lines) + "\n");
    }

    @Test
    void aLiveRunsIncidentsJsonlScoresAsItsIncidentsJson() throws Exception {
        JsonNode fromJson = json(run("--json", "--skip-bad"));
        JsonNode fromLive = json(cli("--ground-truth", liveTruth(true).toString(), findings.toString(), "--json", "--skip-bad"));
        for (String f : List.of("kinds", "all", "blame", "matching", "findings_read", "bad_lines"))
            assertEquals(fromJson.get(f), fromLive.get(f), f + ": the start and end lines hold the same causes as incidents.json");
        assertTrue(fromLive.toString().contains("incidents.jsonl"), fromLive.toString());

        // a run killed before incident 2 ended: no count of its errors, so it is findable (and finding 3 now matches it)
        Files.createDirectories(base.resolve("killed"));
        JsonNode killed = json(cli("--ground-truth", liveTruth(false).toString(), findings.toString(), "--json", "--skip-bad"));
        kind(killed.at("/kinds/infrastructure"), 3, 0, 2, 4, 3, 0.75, 2.0 / 3, 12.0 / 17, 450.0);

        Path broken = Files.writeString(base.resolve("broken.jsonl"),
                "{\"event\":\"incident_end\",\"time\":\"2026-01-05T11:00:00Z\",\"id\":9,\"start\":\"2026-01-05T10:00:00Z\"}\n");
        var bad = cli("--ground-truth", broken.toString(), findings.toString());
        assertEquals(1, bad.code(), "an unusable ground truth fails as an incidents.json does: " + bad.out() + " " + bad.err());
        assertEquals(List.of("score-rca: " + broken + ":1: incident_end of incident 9 that never started"), bad.err());
    }

    @Test
    void matchingRulesAreFlags() throws Exception {
        JsonNode exact = json(run("--json", "--skip-bad", "--tolerance", "0"));
        kind(exact.at("/kinds/deployment"), 2, 0, 0, 2, 0, 0.0, 0.0, 0.0, null);
        kind(exact.at("/kinds/infrastructure"), 2, 1, 1, 4, 3, 0.75, 0.5, 0.6, 300.0);

        // finding 2 overlaps incident 1 by 15 of its 30 minutes (with the tolerance), finding 6 R1 by 2 of 7
        JsonNode overlap = json(run("--json", "--skip-bad", "--min-overlap", "0.6"));
        kind(overlap.at("/kinds/infrastructure"), 2, 1, 1, 4, 2, 0.5, 0.5, 0.5, 300.0);
        kind(overlap.at("/kinds/deployment"), 2, 0, 0, 2, 0, 0.0, 0.0, 0.0, null);
        assertEquals(2, overlap.at("/blame/component/named").asInt(), "only matching findings (1 and 3, not 2) are judged on blame");
        assertEquals(2, overlap.at("/blame/component/right").asInt());

        JsonNode all = json(run("--json", "--skip-bad", "--min-errors", "0"));
        // incident 2 now counts: finding 3 found it 10 minutes in (median of 300 s and 600 s)
        kind(all.at("/kinds/infrastructure"), 3, 0, 2, 4, 3, 0.75, 2.0 / 3, 2 * 0.75 * (2.0 / 3) / (0.75 + 2.0 / 3), 450.0);
        kind(all.at("/kinds/dependency"), 2, 0, 1, 1, 1, 1.0, 0.5, 2.0 / 3, 600.0);
    }

    @Test
    void badLinesAreReportedWithFileAndLineAndFailTheRun() throws Exception {
        var run = run();
        assertEquals(1, run.code());
        var expected = new ArrayList<String>();
        for (String b : BAD) expected.add("score-rca: " + findings + b);
        assertEquals(expected, run.err());
        assertTrue(run.out().get(0).matches("score-rca: done in \\d+\\.\\d s, 7 findings \\(5 bad lines, not scored\\), 7 causes \\(2 unfindable\\), F1 0\\.652"),
                run.out().get(0));
        assertTrue(run.out().stream().anyMatch(l -> l.matches("\\s+infrastructure\\s+2\\s+1\\s+1\\s+4\\s+3\\s+0\\.750\\s+0\\.500\\s+0\\.600\\s+300 s\\s+300 s")),
                String.join("\n", run.out()));
        assertTrue(run.out().stream().anyMatch(l -> l.matches("\\s+component\\s+3\\s+2\\s+0\\.667")), String.join("\n", run.out()));
        var skipped = run("--skip-bad");
        assertEquals(0, skipped.code());
        assertEquals(expected, skipped.err(), "--skip-bad still reports every bad line");
    }

    @Test
    void unreadableInputAndWrongFlags() throws Exception {
        Path notTruth = Files.writeString(base.resolve("other.json"), "{\"a\": 1}");
        var run = cli("--ground-truth", notTruth.toString(), findings.toString());
        assertEquals(1, run.code());
        assertEquals(List.of("score-rca: " + notTruth + ": no \"incidents\" and \"deployment_windows\" arrays - is this an incidents.json?"), run.err());
        var missing = cli("--ground-truth", truth.toString(), base.resolve("none.jsonl").toString());
        assertEquals(1, missing.code());
        assertEquals(List.of("score-rca: " + base.resolve("none.jsonl") + ": findings file not found"), missing.err());
        assertEquals(2, cli("--ground-truth", truth.toString(), "--min-overlap", "2", findings.toString()).code());
        assertEquals(2, cli("--ground-truth", truth.toString(), "--tolerance", "soon", findings.toString()).code());
    }

    @Test
    void indexFindsExactlyTheCausesAScanFinds() {
        var rng = new java.util.SplittableRandom(17);
        long hour = 3_600_000_000L;
        var causes = new ArrayList<TruthCause>();
        for (int i = 0; i < 400; i++) {
            long start = rng.nextLong(1000 * hour);
            causes.add(new TruthCause(CauseKind.values()[rng.nextInt(3)], "c" + i, start, start + 1 + rng.nextLong(4 * hour), "x",
                    List.of("a:b"), null, rng.nextInt(3) - 1));
        }
        for (var rules : List.of(new MatchRules(0, 0, 1), new MatchRules(300_000_000L, 0.5, 0), new MatchRules(hour, 0, 1))) {
            var index = new CauseIndex(causes, rules);
            int hits = 0;
            for (int n = 0; n < 400; n++) {
                long start = rng.nextLong(1000 * hour), end = start + rng.nextLong(2 * hour);
                var f = new Finding(n, CauseKind.values()[rng.nextInt(3)], start, end, start, "x", null, null);
                var scan = new ArrayList<Integer>();
                for (int c = 0; c < causes.size(); c++) if (rules.matches(f, causes.get(c))) scan.add(c);
                var found = new ArrayList<Integer>();
                for (int c : index.matching(f)) found.add(c);
                found.sort(null);
                assertEquals(scan, found, "finding " + n + " under " + rules);
                hits += scan.size();
            }
            assertTrue(hits > 50, "the random findings match causes: " + hits);
        }
    }

    private static void kind(JsonNode k, int causes, int unfindable, int found, int findings, int matched, Double p, Double r, Double f1,
                             Double ttdMedian) {
        String at = k.toString();
        assertEquals(causes, k.get("causes").asInt(), at);
        assertEquals(unfindable, k.get("unfindable").asInt(), at);
        assertEquals(found, k.get("found").asInt(), at);
        assertEquals(findings, k.get("findings").asInt(), at);
        assertEquals(matched, k.get("matched_findings").asInt(), at);
        assertEquals(p, k.get("precision").asDouble(), 1e-9, at);
        assertEquals(r, k.get("recall").asDouble(), 1e-9, at);
        assertEquals(f1, k.get("f1").asDouble(), 1e-9, at);
        if (ttdMedian == null) assertTrue(k.at("/time_to_detect_seconds/median").isNull(), at);
        else assertEquals(ttdMedian, k.at("/time_to_detect_seconds/median").asDouble(), 1e-9, at);
    }

    private static void blame(JsonNode b, int named, int right) {
        assertEquals(named, b.get("named").asInt(), b.toString());
        assertEquals(right, b.get("right").asInt(), b.toString());
        assertEquals((double) right / named, b.get("accuracy").asDouble(), 1e-9, b.toString());
    }

    private static JsonNode json(CommandRun run) throws Exception {
        assertEquals(0, run.code(), run.err().toString());
        return MonitoringTestData.JSON.readTree(String.join("\n", run.out()));
    }

    private CommandRun run(String... flags) {
        var args = new ArrayList<>(List.of("--ground-truth", truth.toString(), findings.toString()));
        args.addAll(List.of(flags));
        return cli(args.toArray(String[]::new));
    }

    private static CommandRun cli(String... args) {
        return CommandRun.of(new ScoreRca(), args);
    }
}
