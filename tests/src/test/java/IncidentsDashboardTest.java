import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The Incidents dashboard draws the ground truth: one enabled annotation per window kind, on VictoriaMetrics, over
 * exactly the series rca-questions --series-out writes, titled by labels those series carry; and it has error panels.
 */
class IncidentsDashboardTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void annotationsReadTheGroundTruthSeriesAndTheirLabels() throws Exception {
        JsonNode board = JSON.readTree(KitLayout.ROOT.resolve("config/grafana/dashboards/incidents.json").toFile());
        var truth = new GroundTruth(0, 3_600_000_000L,
                List.of(new GroundTruth.Incident(1, "redis_feed", "cache", 60_000_000L, 600_000_000L, List.of("feed:timeline"), 3, 1)),
                List.of(new GroundTruth.Deployment("prod:aws:1:us-east-1:platform:eks:main:social:feed:timeline:default:7",
                        "prod:aws:1:us-east-1:platform:eks:main:social:feed:timeline:default", "feed", "timeline", 0, 300_000_000L)),
                List.of(new GroundTruth.Burst(0, 900_000_000L, 3.5)));
        var written = new TreeSet<String>();
        var labels = new java.util.HashMap<String, Set<String>>();
        for (String line : new GroundTruthSeries(60_000).lines(truth)) {
            JsonNode metric = JSON.readTree(line).get("metric");
            written.add(metric.get("__name__").asText());
            var names = new TreeSet<String>();
            metric.fieldNames().forEachRemaining(names::add);
            labels.put(metric.get("__name__").asText(), names);
        }
        var annotated = new TreeSet<String>();
        for (JsonNode a : board.path("annotations").path("list")) {
            assertTrue(a.path("enable").asBoolean(), a.path("name") + " is off");
            assertEquals("qairon-vm", a.path("datasource").path("uid").asText(), a.path("name").asText());
            String name = a.path("expr").asText().replaceAll("\\{.*", "");
            annotated.add(name);
            var used = new TreeSet<String>();
            var m = java.util.regex.Pattern.compile("\\{\\{(\\w+)}}").matcher(a.path("titleFormat").asText() + a.path("textFormat").asText());
            while (m.find()) used.add(m.group(1));
            for (String tag : a.path("tagKeys").asText().split(",")) used.add(tag);
            assertTrue(labels.get(name).containsAll(used), a.path("name") + " uses " + used + ", the series carry " + labels.get(name));
        }
        assertEquals(written, annotated);
        assertEquals(Set.of("ground_truth_burst", "ground_truth_deployment", "ground_truth_incident"), written);
        long errorPanels = 0;
        for (JsonNode p : board.path("panels")) if (p.path("title").asText().toLowerCase().matches(".*(error|fail).*")) errorPanels++;
        assertTrue(errorPanels >= 4, "only " + errorPanels + " error panels");
    }
}
