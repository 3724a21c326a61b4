import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * One small run for the RCA tests, generated once per test directory: twelve hours on a copy of the model where
 * incidents are frequent and fail most requests, and deploys fail half of the requests they touch, so every kind of
 * question and finding has data behind it. Native metrics (for VictoriaMetrics) and extended logs. Generated once per
 * test JVM and shared by the test classes that read it.
 */
final class RcaTestData {
    static final String END = "2026-06-01";

    private RcaTestData() {}

    private static Path shared;

    /** The run's data directory, generated into {@code rca-run} under the test results on first use. */
    static synchronized Path data() {
        if (shared == null) shared = generate(KitLayout.testDir("rca-run"));
        return shared;
    }

    private static Path generate(Path dir) {
        Path data = dir.resolve("data");
        Path model = MonitoringTestData.hotModel(dir.resolve("model"));
        try {
            Path platform = model.resolve("platform.json");
            ObjectNode root = (ObjectNode) MonitoringTestData.JSON.readTree(platform.toFile());
            ArrayNode boost = ((ObjectNode) root.get("deployments")).putArray("error_rate_boost");
            boost.add(0.5).add(0.6);
            MonitoringTestData.JSON.writeValue(platform.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var req = MonitoringGeneration.request(model, 24_000L, 2_000, data, 17, 2, 2, null, "jsonl", "extended", null, END, null, "12h",
                "native", "15s");
        MonitoringGeneration.run(req, true);
        return data;
    }
}
