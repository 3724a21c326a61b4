import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonitoringDeterminismTest {
    private final Path base = KitLayout.testDir("monitoring-determinism");

    @Test
    void sameSeedGivesByteIdenticalFilesForAnyWorkerCount() throws Exception {
        Path one = base.resolve("w1"), three = base.resolve("w3");
        MonitoringTestData.generate(MonitoringTestData.MODEL, one, 5000, 500, 1, 3, true, null, "2026-03-01", "30d");
        MonitoringTestData.generate(MonitoringTestData.MODEL, three, 5000, 500, 3, 3, true, null, "2026-03-01", "30d");
        for (String f : List.of("logs_0.jsonl", "logs_1.jsonl", "logs_2.jsonl", "metrics_0.jsonl", "metrics_1.jsonl", "metrics_2.jsonl",
                "summary.json", "incidents.json"))
            assertEquals(-1L, Files.mismatch(one.resolve(f), three.resolve(f)), f + " differs between 1 and 3 workers");
        assertTrue(Files.size(one.resolve("logs_2.jsonl")) > 0);
    }

    @Test
    void anotherSeedGivesOtherData() throws Exception {
        Path a = base.resolve("seed7"), b = base.resolve("seed8");
        MonitoringTestData.generate(MonitoringTestData.MODEL, a, 500, 50, 2, 1, false, null, "2026-03-01", "1d");
        var req = MonitoringGeneration.request(MonitoringTestData.MODEL, 500L, 50, b, 8, 2, 1, null, "jsonl", "seed", null,
                "2026-03-01", null, "1d");
        MonitoringGeneration.run(req, true);
        assertNotEquals(-1L, Files.mismatch(a.resolve("logs_0.jsonl"), b.resolve("logs_0.jsonl")));
    }

    @Test
    void staleFilesOfAnEarlierRunWithMoreFilesAreRemoved() throws Exception {
        Path out = base.resolve("stale");
        MonitoringTestData.generate(MonitoringTestData.MODEL, out, 300, 30, 1, 3, false, null, "2026-03-01", "1d");
        MonitoringTestData.generate(MonitoringTestData.MODEL, out, 300, 30, 1, 1, false, null, "2026-03-01", "1d");
        assertFalse(Files.exists(out.resolve("logs_2.jsonl")));
        assertFalse(Files.exists(out.resolve("metrics_1.jsonl")));
    }
}
