import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * detect-incidents on a small run with frequent incidents and failing deploys: what it finds is what was injected
 * (component and release), what was injected with enough errors is found, and the findings are the same bytes on
 * every run.
 */
class DetectIncidentsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long MINUTE = 60_000_000L;
    static Path dir, data, out;
    static GroundTruth truth;
    static LogScan scan;
    static final List<JsonNode> findings = new ArrayList<>();

    @BeforeAll
    static void detect() throws Exception {
        dir = KitLayout.testDir("detect-incidents");
        data = RcaTestData.data();
        out = dir.resolve("findings.jsonl");
        assertEquals(0, new CommandLine(new DetectIncidents()).execute(data.toString(), "--out", out.toString(), "--quiet"));
        for (String line : Files.readAllLines(out)) findings.add(JSON.readTree(line));
        truth = GroundTruth.read(data.resolve("incidents.json"));
        scan = LogScan.of(List.of(data.toString()), true);
    }

    static long t(JsonNode f, String field) { return GroundTruth.micros(f.get(field).asText()); }

    static boolean overlaps(long s1, long e1, long s2, long e2) { return s1 < e2 + MINUTE && s2 < e1 + MINUTE; }

    @Test
    void infrastructureFindingsBlameAnIncidentOfThatComponentInTheirWindow() {
        int right = 0, infra = 0;
        for (JsonNode f : findings) {
            if (!f.get("kind").asText().equals("infrastructure")) continue;
            infra++;
            boolean match = truth.incidents().stream().anyMatch(i -> i.component().equals(f.get("component").asText())
                    && overlaps(t(f, "start"), t(f, "end"), i.startMicros(), i.endMicros()));
            if (match) right++;
        }
        assertTrue(infra >= 5, "only " + infra + " infrastructure findings");
        assertTrue(right >= 0.9 * infra, right + " of " + infra + " infrastructure findings match an injected incident");
    }

    @Test
    void everyIncidentWithFiveDirectErrorsIsFoundWithItsComponent() {
        int checked = 0;
        for (GroundTruth.Incident i : truth.incidents()) {
            long direct = scan.errors.stream().filter(e -> ("infrastructure:" + i.component()).equals(e.errorSource())
                    && e.timeMicros() >= i.startMicros() && e.timeMicros() < i.endMicros()).count();
            if (direct < 5) continue;
            checked++;
            assertTrue(findings.stream().anyMatch(f -> f.get("kind").asText().equals("infrastructure")
                            && f.get("component").asText().equals(i.component()) && overlaps(t(f, "start"), t(f, "end"), i.startMicros(), i.endMicros())),
                    "incident " + i.id() + " (" + i.component() + ", " + direct + " errors) not found");
        }
        assertTrue(checked >= 3, "only " + checked + " incidents with five direct errors");
    }

    @Test
    void everyDeployWithFiveErrorsIsBlamedOnItsRelease() {
        int checked = 0;
        for (GroundTruth.Deployment d : truth.deployments()) {
            long errors = scan.errors.stream().filter(e -> ("deployment:" + d.releaseId()).equals(e.errorSource())).count();
            if (errors < 5) continue;
            checked++;
            assertTrue(findings.stream().anyMatch(f -> f.get("kind").asText().equals("deployment")
                            && d.releaseId().equals(f.get("release_id").asText()) && overlaps(t(f, "start"), t(f, "end"), d.startMicros(), d.endMicros())),
                    "deploy of " + d.releaseId() + " (" + errors + " errors) not blamed");
        }
        assertTrue(checked >= 1, "no deploy with five errors");
        for (JsonNode f : findings)
            if (f.get("kind").asText().equals("deployment"))
                assertTrue(truth.deployments().stream().anyMatch(d -> d.releaseId().equals(f.get("release_id").asText())), f + " blames a release never deployed");
    }

    @Test
    void theSameLogsGiveTheSameFindingsBytes() throws Exception {
        Path again = dir.resolve("findings-again.jsonl");
        assertEquals(0, new CommandLine(new DetectIncidents()).execute(data.toString(), "--out", again.toString(), "--quiet"));
        assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(again));
    }

    @Test
    void theDetectorNeverReadsThePlatformModel() throws Exception {
        // the detector's sources name no model type: it sees the logs only
        for (String f : List.of("IncidentDetector.java", "LogScan.java", "LogError.java", "DetectionRun.java")) {
            String src = Files.readString(KitLayout.ROOT.resolve("lib/rca").resolve(f));
            for (String model : List.of("PlatformModel", "dependencies()", "InfraComponent", "GroundTruth.read", "incidents.json"))
                assertFalse(src.contains(model), f + " mentions " + model);
        }
    }
}
