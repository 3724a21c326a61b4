import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Incident drills: {@code --inject} specs and their refusals (exit 2 naming the known components), and the control API
 * of {@code --serve-metrics} on a running live run: unknown components and services are a 400 naming the known ones;
 * an injected incident is in the ground truth and in the error logs of the component's services and of their callers
 * (the cascade), and nowhere else; a bad release fails its service inside its window; ending and calling off work.
 */
class LiveDrillTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final List<String> COMPONENTS = PlatformModel.load(MonitoringTestData.MODEL).components().stream().map(InfraComponent::name).toList();

    @Test
    void injectSpecs() {
        assertEquals(new Drill("redis_feed", Drill.DEFAULT_RATE, 0, 600_000_000L), Drill.parse("redis_feed", COMPONENTS));
        assertEquals(new Drill("aurora_primary", 0.2, 300_000_000L, 900_000_000L), Drill.parse("aurora_primary:0.2@5m+15m", COMPONENTS));
        assertEquals(new Drill("redis_feed", 1, 0, 30_000_000L), Drill.parse("redis_feed:1+30s", COMPONENTS));
        assertEquals(new Drill("redis_feed", 0.95, 0, 600_000_000L), Drill.parse("redis_feed:0.95@0s+10m", COMPONENTS));
        assertEquals(new Drill("redis_feed", Drill.DEFAULT_RATE, 7_200_000_000L, 600_000_000L), Drill.parse("redis_feed@2h", COMPONENTS));
        var unknown = assertThrows(IllegalArgumentException.class, () -> Drill.parse("redis_cache:0.2", COMPONENTS));
        assertTrue(unknown.getMessage().contains("unknown component \"redis_cache\""), unknown.getMessage());
        for (String c : COMPONENTS) assertTrue(unknown.getMessage().contains(c), "lists " + c + ": " + unknown.getMessage());
        for (String bad : List.of("redis_feed:2", "redis_feed:0", "redis_feed+0s", "redis_feed@5x", "redis_feed;1", ""))
            assertThrows(IllegalArgumentException.class, () -> Drill.parse(bad, COMPONENTS), bad);
    }

    @Test
    void unknownComponentOnTheCommandLineIsExitTwoWithTheKnownOnes() {
        var err = new StringWriter();
        int code = new CommandLine(new Live()).setErr(new PrintWriter(err)).execute("--rate", "5", "--inject", "nope:0.5", "--to", "null");
        assertEquals(2, code);
        assertTrue(err.toString().contains("unknown component \"nope\""), err.toString());
        assertTrue(err.toString().contains("redis_feed") && err.toString().contains("aurora_primary"), err.toString());
        var err2 = new StringWriter();
        assertEquals(2, new CommandLine(new GenerateMonitoring()).setErr(new PrintWriter(err2)).execute("--live", "--rate", "5", "--inject", "nope"));
        assertTrue(err2.toString().contains("unknown component \"nope\""), err2.toString());
        var err3 = new StringWriter();
        assertEquals(2, new CommandLine(new GenerateMonitoring()).setErr(new PrintWriter(err3)).execute("--rate", "5"));
        assertTrue(err3.toString().contains("add --live"), err3.toString());
    }

    static HttpResponse<String> send(String method, String url, String json) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(url));
        b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void controlApiInjectsIncidentsAndBadReleasesThatTheLogsShow() throws Exception {
        Path dir = KitLayout.testDir("live-drill");
        Path data = dir.resolve("data");
        var live = new LiveOptions();
        live.rate = 300.0;
        var s = LiveLaunch.settings(MonitoringTestData.MODEL, 3, live, null, "8s", 2, data, "seed", null, "raw", "1s", 1);
        var run = new LiveRun(s, LiveClock.SYSTEM, new MonitoringFiles(data, 2, MonitoringFiles.streams(true, false)));
        LiveRun.Result[] result = new LiveRun.Result[1];
        Set<String> releases = new HashSet<>();
        int id;
        try (var server = LiveServer.start(LiveServer.address("127.0.0.1:0"), run)) {
            Thread runner = Thread.ofPlatform().start(() -> result[0] = run.run(true));
            String base = server.url();

            var refused = send("POST", base + "/incidents", "{\"component\": \"redis_cache\"}");
            assertEquals(400, refused.statusCode(), refused.body());
            JsonNode r = MonitoringTestData.JSON.readTree(refused.body());
            assertTrue(r.get("error").asText().contains("unknown component \"redis_cache\""), refused.body());
            assertEquals(COMPONENTS, LiveRunTest.strings(r.get("known_components")));

            var badService = send("POST", base + "/deployments", "{\"service\": \"content:nope\"}");
            assertEquals(400, badService.statusCode(), badService.body());
            JsonNode bs = MonitoringTestData.JSON.readTree(badService.body());
            assertTrue(bs.get("error").asText().contains("unknown service \"content:nope\""), badService.body());
            assertTrue(LiveRunTest.strings(bs.get("known_services")).contains("content:posts"), badService.body());
            assertEquals(400, send("POST", base + "/incidents", "{\"component\": \"redis_feed\", \"failure_rate\": 3}").statusCode());
            assertEquals(400, send("POST", base + "/incidents", "not json").statusCode());

            var made = send("POST", base + "/incidents", "{\"component\": \"redis_feed\", \"failure_rate\": 0.5, \"duration\": \"4s\"}");
            assertEquals(201, made.statusCode(), made.body());
            JsonNode incident = MonitoringTestData.JSON.readTree(made.body());
            id = incident.get("id").asInt();
            assertTrue(incident.get("injected").asBoolean());
            assertEquals(0.95, incident.get("cascade_failure_rate").asDouble(), 1e-9, "0.5 x amplification 10, capped");

            var later = send("POST", base + "/incidents", "{\"component\": \"aurora_primary\", \"start_in\": \"1h\"}");
            assertEquals(201, later.statusCode(), later.body());
            int laterId = MonitoringTestData.JSON.readTree(later.body()).get("id").asInt();
            var off = send("DELETE", base + "/incidents/" + laterId, null);
            assertEquals(200, off.statusCode(), off.body());
            assertEquals("cancelled", MonitoringTestData.JSON.readTree(off.body()).get("state").asText());
            assertEquals(409, send("DELETE", base + "/incidents/" + laterId, null).statusCode());
            assertEquals(404, send("DELETE", base + "/incidents/999", null).statusCode());

            var release = send("POST", base + "/deployments", "{\"service\": \"reactions\", \"error_rate_boost\": 0.6, \"duration\": \"3s\"}");
            assertEquals(201, release.statusCode(), release.body());
            for (JsonNode w : MonitoringTestData.JSON.readTree(release.body()).get("deployments")) {
                assertEquals("content", w.get("stack").asText());
                assertEquals("reactions", w.get("service").asText());
                releases.add(w.get("release_id").asText());
            }

            var listed = MonitoringTestData.JSON.readTree(send("GET", base + "/incidents", null).body()).get("incidents");
            List<Integer> ids = new ArrayList<>();
            listed.forEach(n -> ids.add(n.get("id").asInt()));
            assertTrue(ids.contains(id) && ids.contains(laterId), listed.toString());
            runner.join();
        }
        assertEquals(1, result[0].injectedIncidents(), "the cancelled one never happened");
        assertEquals(releases.size(), result[0].injectedDeployments());

        // the ground truth: the drill's start and end, the bad release's windows
        Map<String, JsonNode> truth = new HashMap<>();
        List<JsonNode> windows = new ArrayList<>();
        for (String line : Files.readAllLines(data.resolve("incidents.jsonl"))) {
            JsonNode e = MonitoringTestData.JSON.readTree(line);
            if (e.has("id") && e.get("id").asInt() != id) fail("only the drill happened: " + line);
            if (e.get("event").asText().startsWith("incident_")) truth.put(e.get("event").asText(), e);
            if (e.get("event").asText().equals("deployment_start")) windows.add(e);
        }
        JsonNode start = truth.get("incident_start"), end = truth.get("incident_end");
        assertNotNull(start);
        assertNotNull(end);
        assertTrue(start.get("injected").asBoolean());
        assertEquals("redis_feed", start.get("component").asText());
        long from = MonitoringTestData.micros(start.get("start").asText()), to = MonitoringTestData.micros(end.get("end").asText());
        assertEquals(4_000_000L, to - from, "ran its 4 s");
        Set<String> affected = new HashSet<>(LiveRunTest.strings(start.get("affected_services")));
        Set<String> callers = new HashSet<>(LiveRunTest.strings(start.get("cascade_callers")));
        assertTrue(callers.contains("feed:timeline"), callers.toString());
        assertEquals(releases, new HashSet<>(windows.stream().map(w -> w.get("release_id").asText()).toList()));

        // the logs: infrastructure errors on the component's services, cascades on their callers, inside the drill
        Map<String, Long> rootTime = new HashMap<>();
        List<JsonNode> logs = MonitoringTestData.lines(data, "logs");
        for (JsonNode l : logs) if (l.get("parent_span_id").isNull()) rootTime.put(l.get("trace_id").asText(), MonitoringTestData.micros(l.get("timestamp").asText()));
        long infra = 0, cascade = 0, deploy = 0;
        Set<String> cascadeServices = new HashSet<>();
        for (JsonNode l : logs) {
            if (l.get("error_source").isNull()) continue;
            String src = l.get("error_source").asText(), svc = l.get("stack").asText() + ":" + l.get("service").asText();
            long t = rootTime.get(l.get("trace_id").asText());
            if (src.equals("infrastructure:redis_feed")) {
                assertTrue(affected.contains(svc), l.toString());
                assertTrue(t >= from && t < to, "decided inside the drill: " + l);
                infra++;
            } else if (src.startsWith("infrastructure:")) {
                fail("no other incident in this run: " + l);
            } else if (src.startsWith("dependency:")) {
                assertTrue(affected.contains(src.substring("dependency:".length())), l.toString());
                assertTrue(callers.contains(svc), "a caller of the component's services: " + l);
                assertTrue(t >= from && t < to, l.toString());
                cascade++;
                cascadeServices.add(svc);
            } else if (src.startsWith("deployment:")) {
                assertEquals("content:reactions", svc, l.toString());
                assertTrue(releases.contains(src.substring("deployment:".length())), l.toString());
                deploy++;
            }
        }
        assertTrue(infra > 20, "the drill fails the component's services: " + infra);
        assertTrue(cascade > 20, "and their callers: " + cascade);
        assertTrue(cascadeServices.contains("feed:timeline"), cascadeServices.toString());
        assertEquals(end.get("observed_errors").asLong(), infra);
        assertEquals(end.get("observed_cascade_errors").asLong(), cascade);
        assertTrue(deploy > 5, "the bad release fails its service: " + deploy);
    }
}
