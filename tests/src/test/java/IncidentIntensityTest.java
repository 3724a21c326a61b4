import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** --incident-intensity: same incidents, scaled failure rates (capped), recorded in the summary and the ground truth. */
class IncidentIntensityTest {
    private final Path base = KitLayout.testDir("incident-intensity");

    private static MonitoringGeneration.Report run(Path model, Path out, long roots, String duration, Double intensity) {
        var req = MonitoringGeneration.request(model, roots, roots / 10 == 0 ? 1 : (int) (roots / 10), out, 5, 2, 1, null,
                "jsonl", "seed", null, "2026-03-01", null, duration);
        if (intensity != null) req = req.withIncidentIntensity(intensity);
        return MonitoringGeneration.run(req, true);
    }

    private static JsonNode read(Path file) throws Exception { return MonitoringTestData.JSON.readTree(file.toFile()); }

    @Test
    void intensityOneIsTheSeedsRatesAndBytes() throws Exception {
        Path plain = base.resolve("plain"), one = base.resolve("one");
        run(MonitoringTestData.MODEL, plain, 3000, "30d", null);
        run(MonitoringTestData.MODEL, one, 3000, "30d", 1.0);
        for (String f : new String[]{"logs_0.jsonl", "metrics_0.jsonl", "incidents.json", "summary.json"})
            assertEquals(-1L, Files.mismatch(plain.resolve(f), one.resolve(f)), f + " differs with --incident-intensity 1");

        JsonNode truth = read(one.resolve("incidents.json"));
        JsonNode components = read(MonitoringTestData.MODEL.resolve("infrastructure.json")).get("components");
        double amp = truth.get("cascade_amplification").asDouble();
        assertEquals(1.0, truth.get("incident_intensity").asDouble());
        assertEquals(1.0, read(one.resolve("summary.json")).at("/generator/incident_intensity").asDouble());
        assertTrue(truth.get("incidents").size() > 0, "a 30-day window holds incidents");
        for (JsonNode i : truth.get("incidents")) {
            double seedRate = components.get(i.get("component").asText()).get("failure_rate").asDouble();
            assertEquals(seedRate, i.get("failure_rate").asDouble(), 0, "incident " + i.get("id"));
            assertEquals(seedRate * amp, i.get("cascade_failure_rate").asDouble(), 0, "incident " + i.get("id"));
        }
    }

    @Test
    void intensityScalesRatesOfTheSameIncidentsAndRaisesTheirErrors() throws Exception {
        Path one = base.resolve("x1"), hundred = base.resolve("x100");
        run(MonitoringTestData.MODEL, one, 20_000, "30d", 1.0);
        run(MonitoringTestData.MODEL, hundred, 20_000, "30d", 100.0);
        JsonNode a = read(one.resolve("incidents.json")), b = read(hundred.resolve("incidents.json"));
        assertEquals(100.0, b.get("incident_intensity").asDouble());
        assertEquals(100.0, read(hundred.resolve("summary.json")).at("/generator/incident_intensity").asDouble());
        assertEquals(a.get("incidents").size(), b.get("incidents").size(), "intensity changes rates, not how many incidents");
        long errorsOne = 0, errorsHundred = 0;
        double amp = a.get("cascade_amplification").asDouble();
        for (int k = 0; k < a.get("incidents").size(); k++) {
            JsonNode x = a.get("incidents").get(k), y = b.get("incidents").get(k);
            for (String f : new String[]{"id", "component", "start", "end"}) assertEquals(x.get(f), y.get(f), "incident " + k + " " + f);
            double rate = x.get("failure_rate").asDouble();
            assertEquals(Math.min(rate * 100, IncidentIntensity.MAX_RATE), y.get("failure_rate").asDouble(), 1e-12);
            assertEquals(Math.min(rate * amp * 100, IncidentIntensity.MAX_RATE), y.get("cascade_failure_rate").asDouble(), 1e-12);
            errorsOne += x.get("observed_errors").asLong() + x.get("observed_cascade_errors").asLong();
            errorsHundred += y.get("observed_errors").asLong() + y.get("observed_cascade_errors").asLong();
        }
        assertTrue(errorsHundred > 20 * Math.max(1, errorsOne), "errors at x1 " + errorsOne + ", at x100 " + errorsHundred);
        // the summary's infrastructure errors are the logged ones, and they match the ground truth's direct errors
        long logged = MonitoringTestData.lines(hundred, "logs").stream()
                .filter(l -> l.path("error_source").asText("").startsWith("infrastructure:")).count();
        assertEquals(read(hundred.resolve("summary.json")).at("/error_sources/infrastructure").asLong(), logged);
    }

    /** Capped rates are what the data shows: root requests of an affected service inside an incident fail at the cap. */
    @Test
    void cappedRateIsTheObservedFailureShare() throws Exception {
        Path model = MonitoringTestData.hotModel(base.resolve("hot-model")), out = base.resolve("hot");
        run(model, out, 6000, "7d", 10.0);
        JsonNode truth = read(out.resolve("incidents.json"));
        Map<String, java.util.List<long[]>> windows = new HashMap<>();
        for (JsonNode i : truth.get("incidents")) {
            assertEquals(IncidentIntensity.MAX_RATE, i.get("failure_rate").asDouble(), 0, "0.3 x 10 is capped");
            assertEquals(3.0, i.get("cascade_failure_rate").asDouble(), 0, "the seed's own cascade rate (0.3 x 10) is above the cap: kept");
            long s = MonitoringTestData.micros(i.get("start").asText()), e = MonitoringTestData.micros(i.get("end").asText());
            for (JsonNode svc : i.get("affected_services")) windows.computeIfAbsent(svc.asText(), k -> new java.util.ArrayList<>()).add(new long[]{s, e});
        }
        long inside = 0, failed = 0;
        for (JsonNode l : MonitoringTestData.lines(out, "logs")) {
            if (!l.get("parent_span_id").isNull() || l.get("request_id").asText().startsWith("deploy_")) continue;
            long t = MonitoringTestData.micros(l.get("timestamp").asText());
            var ws = windows.get(l.get("stack").asText() + ":" + l.get("service").asText());
            if (ws == null || ws.stream().noneMatch(w -> t >= w[0] && t < w[1])) continue;
            inside++;
            if (l.path("error_source").asText("").startsWith("infrastructure:")) failed++;
        }
        assertTrue(inside > 200, "enough root requests inside incidents to measure: " + inside);
        double share = (double) failed / inside, sigma = Math.sqrt(0.95 * 0.05 / inside);
        assertEquals(0.95, share, 5 * sigma, failed + " of " + inside + " root requests inside incidents failed");
    }

    @Test
    void intensityBelowOneIsRefusedNamingTheFlag() {
        var e = assertThrows(IllegalArgumentException.class, () -> new IncidentIntensity(0.5));
        assertTrue(e.getMessage().contains("--incident-intensity"), e.getMessage());
        var err = new java.io.StringWriter();
        var cmd = new CommandLine(new GenerateMonitoring());
        cmd.setErr(new java.io.PrintWriter(err));
        assertEquals(2, cmd.execute("100", "10", "-o", base.resolve("refused").toString(), "--incident-intensity", "0", "-q"));
        assertTrue(err.toString().contains("--incident-intensity must be"), err.toString());
        assertFalse(Files.exists(base.resolve("refused").resolve("logs_0.jsonl")));
    }
}
