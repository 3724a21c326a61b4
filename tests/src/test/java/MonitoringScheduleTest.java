import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --deployment-schedule: real release ids, windows on the primary targets, deployment lines; and bad input. */
class MonitoringScheduleTest {
    private final Path base = KitLayout.testDir("monitoring-schedule");
    static final String EAST = "prod:aws:111111111111:us-east-1:platform:eks:main";
    static final String WEST = "prod:aws:111111111111:us-west-2:platform:eks:main";

    private Path schedule() throws Exception {
        String posts = ":social:content:posts:default";
        String json = """
                {
                  "generated_at": "2026-03-01T00:00:00.000000",
                  "deployments": {
                    "%1$s%3$s": {"releases": [
                      {"release_id": "%1$s%3$s:500", "build_num": 500, "created_at": "2025-12-01T00:00:00.000000"},
                      {"release_id": "%1$s%3$s:501", "build_num": 501, "created_at": "2026-02-26T12:00:00.000000"}]},
                    "%2$s%3$s": {"releases": [
                      {"release_id": "%2$s%3$s:500", "build_num": 500, "created_at": "2025-12-01T00:00:00.000000"},
                      {"release_id": "%2$s%3$s:501", "build_num": 501, "created_at": "2026-02-26T12:30:00.000000"}]}
                  },
                  "primary_deployment_targets": ["%1$s", "%2$s", "int:aws:444444444441:us-east-1:platform:eks:main"],
                  "stack_region_groups": {"social:content": {"prod": ["%1$s", "%2$s"]}}
                }
                """.formatted(EAST, WEST, posts);
        Path f = base.resolve("deployment_schedule.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void scheduleGivesRealReleaseIdsAndStaggeredWindowsOnPrimaryTargets() throws Exception {
        Path out = base.resolve("out");
        MonitoringTestData.generate(MonitoringTestData.MODEL, out, 6000, 300, 2, 1, false, schedule(), "2026-03-01", "7d");
        JsonNode truth = MonitoringTestData.JSON.readTree(out.resolve("incidents.json").toFile());
        var windows = truth.get("deployment_windows");
        assertEquals(2, windows.size(), "build 501 on the two prod regions; 500 was released before the window");
        long eastStart = MonitoringTestData.micros(windows.get(0).get("start").asText());
        long westStart = MonitoringTestData.micros(windows.get(1).get("start").asText());
        assertEquals(EAST + ":social:content:posts:default:501", windows.get(0).get("release_id").asText());
        long released = MonitoringTestData.micros("2026-02-26T12:00:00Z");
        assertTrue(eastStart >= released + 3 * 60_000_000L && eastStart <= released + 10 * 60_000_000L, "CI/CD delay 3-10 min");
        long westReleased = MonitoringTestData.micros("2026-02-26T12:30:00Z");
        long stagger = (westStart - westReleased) - (eastStart - released);
        assertTrue(stagger >= 30 * 60_000_000L && stagger <= 60 * 60_000_000L, "region B 30-60 min later after its own release than A: " + stagger);
        int deployLines = 0, scheduled = 0;
        for (JsonNode l : MonitoringTestData.lines(out, "logs")) {
            if (l.get("user_id").asText().equals("system")) {
                deployLines++;
                continue;
            }
            String rel = l.get("release_id").asText();
            if (rel.startsWith(EAST + ":social:content:posts:default:")) {
                long t = MonitoringTestData.micros(l.get("timestamp").asText());
                assertEquals(t >= released ? "501" : "500", rel.substring(rel.lastIndexOf(':') + 1), l.toString());
                scheduled++;
            }
        }
        assertEquals(4, deployLines);
        assertTrue(scheduled > 10, "posts traffic in prod us-east-1 uses the schedule's releases, got " + scheduled);
    }

    @Test
    void unreadableScheduleIsOneLineWithFileAndLine() throws Exception {
        Path bad = base.resolve("bad_schedule.json");
        Files.writeString(bad, "{\n  \"deployments\": {\n    \"x\": {\"releases\": [{\"release_id\": \"a:b\", \"build_num\": 1, \"created_at\": \"2026-01-01T00:00:00\"}]}\n  }\n}\n");
        var run = cli("500", "50", "--deployment-schedule", bad.toString(), "--output", base.resolve("bad").toString(), "--end", "2026-03-01", "--quiet");
        assertEquals(1, run.code());
        assertEquals(List.of("generate-monitoring: " + bad + ":3: release_id \"a:b\" of x does not have 12 parts"), run.err());
    }

    @Test
    void futureEndIsRejectedAsUsageError() {
        var run = cli("500", "50", "--end", "2999-01-01", "--output", base.resolve("future").toString());
        assertEquals(2, run.code());
        assertTrue(run.err().get(0).contains("--end 2999-01-01 is in the future"), run.err().toString());
    }

    @Test
    void malformedModelIsOneLineError() throws Exception {
        Path model = base.resolve("model");
        Files.createDirectories(model);
        for (String f : PlatformModelLoader.FILES) Files.copy(MonitoringTestData.MODEL.resolve(f), model.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(model.resolve("personas.json"), "{\"personas\": [}");
        var run = cli("500", "50", "--model", model.toString(), "--output", base.resolve("m").toString(), "--end", "2026-03-01", "--quiet");
        assertEquals(1, run.code());
        assertEquals(1, run.err().size(), run.err().toString());
        assertTrue(run.err().get(0).startsWith("generate-monitoring: " + model.resolve("personas.json") + ":1: not valid JSON"), run.err().toString());
    }

    private static CommandRun cli(String... args) {
        return CommandRun.of(new GenerateMonitoring(), args);
    }
}
