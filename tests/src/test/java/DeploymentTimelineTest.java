import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A schedule-driven run never contradicts itself: each target's window starts 3-10 minutes (plus the stagger) after its
 * own release's creation, no line names a release created after the line, and every 5xx is an ERROR. The schedule
 * holds what the fixtures do: one build created on two targets days apart, first created in the middle of the run with a
 * build number the generator would otherwise have made up for the earlier traffic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeploymentTimelineTest {
    private static final long MINUTE = 60_000_000L;
    private static final String EAST = MonitoringScheduleTest.EAST, WEST = MonitoringScheduleTest.WEST;
    private static final String POSTS = ":social:content:posts:default:";
    private final Path base = KitLayout.testDir("deployment-timeline");
    private final Map<String, Long> created = new HashMap<>();
    private long build;
    private JsonNode truth;
    private java.util.List<JsonNode> logs;

    @BeforeAll
    void run() throws Exception {
        // the build number the generator numbers posts' traffic with from day 2 of the run when no release is live yet
        build = 51 + Seeds.stableHash("content:posts") % 50;
        String json = """
                {
                  "deployments": {
                    "%1$s%3$s": {"releases": [
                      {"release_id": "%1$s%3$s%4$d", "build_num": %4$d, "created_at": "2026-02-10T08:00:00.000000"},
                      {"release_id": "%1$s%3$s%5$d", "build_num": %5$d, "created_at": "2026-02-20T08:00:00.000000"}]},
                    "%2$s%3$s": {"releases": [
                      {"release_id": "%2$s%3$s%4$d", "build_num": %4$d, "created_at": "2026-02-22T08:00:00.000000"},
                      {"release_id": "%2$s%3$s%5$d", "build_num": %5$d, "created_at": "2026-02-20T09:00:00.000000"}]}
                  },
                  "primary_deployment_targets": ["%1$s", "%2$s"]
                }
                """.formatted(EAST, WEST, POSTS, build, build + 1);
        Path schedule = Files.writeString(base.resolve("deployment_schedule.json"), json);
        var rel = MonitoringTestData.JSON.readTree(json).get("deployments");
        rel.forEach(d -> d.get("releases").forEach(r -> created.put(r.get("release_id").asText(),
                MonitoringTestData.micros(r.get("created_at").asText() + "Z"))));
        Path out = base.resolve("out");
        MonitoringTestData.generate(MonitoringTestData.hotModel(base.resolve("hot-model")), out, 40_000, 2_000, 2, 2, false, schedule,
                "2026-03-01", "28d");
        truth = MonitoringTestData.JSON.readTree(out.resolve("incidents.json").toFile());
        logs = MonitoringTestData.lines(out, "logs");
    }

    @Test
    void eachTargetsWindowFollowsItsOwnReleasesCreation() {
        var windows = truth.get("deployment_windows");
        assertEquals(4, windows.size(), windows.toString());
        Map<String, Long> start = new HashMap<>();
        for (JsonNode w : windows) {
            String r = w.get("release_id").asText();
            long s = MonitoringTestData.micros(w.get("start").asText());
            assertTrue(s >= created.get(r) + 3 * MINUTE, r + " window starts " + (s - created.get(r)) / MINUTE + " min after its creation");
            start.put(r, s);
        }
        // build: east first (created 12 days before west); west's window follows west's own creation plus the stagger
        long eastDelay = start.get(EAST + POSTS + build) - created.get(EAST + POSTS + build);
        long westDelay = start.get(WEST + POSTS + build) - created.get(WEST + POSTS + build);
        assertTrue(eastDelay >= 3 * MINUTE && eastDelay <= 10 * MINUTE, "east: CI/CD delay 3-10 min, got " + eastDelay / MINUTE);
        assertTrue(westDelay - eastDelay >= 30 * MINUTE && westDelay - eastDelay <= 60 * MINUTE, "west: plus a 30-60 min stagger");
        // build + 1: west created an hour after east, rolled out after its own creation too
        long eastNext = start.get(EAST + POSTS + (build + 1)) - created.get(EAST + POSTS + (build + 1));
        long westNext = start.get(WEST + POSTS + (build + 1)) - created.get(WEST + POSTS + (build + 1));
        assertTrue(eastNext >= 3 * MINUTE && eastNext <= 10 * MINUTE && westNext - eastNext >= 30 * MINUTE && westNext - eastNext <= 60 * MINUTE);
    }

    @Test
    void noLineNamesAReleaseCreatedAfterIt() {
        long scheduled = 0, before = 0;
        for (JsonNode l : logs) {
            long t = MonitoringTestData.micros(l.get("timestamp").asText());
            String r = l.get("release_id").asText();
            Long c = created.get(r);
            if (c != null) {
                assertTrue(c <= t, "line at " + l.get("timestamp") + " names " + r + ", created later: " + l);
                scheduled++;
            }
            String source = l.path("error_source").asText("");
            if (source.startsWith("deployment:")) assertTrue(created.get(source.substring(11)) <= t, l.toString());
            if (r.startsWith(WEST + POSTS) && t < created.get(WEST + POSTS + (build + 1))) {
                long n = Long.parseLong(r.substring(r.lastIndexOf(':') + 1));
                assertTrue(n < build, "before its first release, west's posts run an older build: " + l);
                before++;
            }
        }
        assertTrue(scheduled > 100, "lines with the schedule's releases: " + scheduled);
        assertTrue(before > 100, "west posts traffic before its first release: " + before);
    }

    @Test
    void every5xxIsAnError() {
        Set<String> errorTypes = Set.of("server", "database", "cache", "queue", "internal");
        long search5xx = 0;
        for (JsonNode l : logs) {
            if (l.get("success").asBoolean()) continue;
            String code = l.get("error_code").asText(), type = l.get("error_type").asText();
            assertEquals(code.startsWith("5") || errorTypes.contains(type) ? "ERROR" : "WARN", l.get("level").asText(), l.toString());
            if (type.equals("search") && code.startsWith("5")) search5xx++;
        }
        assertTrue(search5xx > 0, "the search component's 503/504 are in the run");
    }
}
