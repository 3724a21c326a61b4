import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Properties of generated data, asserted line by line on small runs. */
class MonitoringGeneratorTest {
    static final List<String> LOG_KEYS = List.of("timestamp", "level", "service", "stack", "action", "user_id", "request_id",
            "success", "message", "release_id", "trace_id", "span_id", "parent_span_id", "target_user_id", "object_type",
            "object_id", "error_code", "error_message", "error_source", "error_type", "upstream_request_id");
    static final List<String> TAG_KEYS = List.of("service", "stack", "action", "success", "is_write", "persona", "release_id");
    static final Set<String> ERROR_LEVEL_TYPES = Set.of("server", "database", "cache", "queue", "internal");

    static Path plain, hot;
    static List<JsonNode> plainLogs, plainMetrics, hotLogs;
    static JsonNode hotTruth;

    @BeforeAll
    static void generate() throws Exception {
        Path base = KitLayout.testDir("monitoring-generator");
        plain = base.resolve("plain");
        MonitoringTestData.generate(MonitoringTestData.MODEL, plain, 4000, 400, 2, 2, false, null, "2026-06-01", null);
        plainLogs = MonitoringTestData.lines(plain, "logs");
        plainMetrics = MonitoringTestData.lines(plain, "metrics");
        hot = base.resolve("hot");
        MonitoringTestData.generate(MonitoringTestData.hotModel(base.resolve("hot-model")), hot, 4000, 400, 2, 3, true, null, "2026-06-01", "7d");
        hotLogs = MonitoringTestData.lines(hot, "logs");
        hotTruth = MonitoringTestData.JSON.readTree(hot.resolve("incidents.json").toFile());
    }

    @Test
    void everyLogLineHasTheSeedFieldsInOrderWithTheirTypes() {
        for (JsonNode l : plainLogs) {
            assertEquals(LOG_KEYS, MonitoringTestData.keys(l), l.toString());
            assertTrue(l.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"), l.toString());
            assertTrue(l.get("success").isBoolean());
            assertTrue(l.get("trace_id").asText().matches("[0-9a-f]{32}"));
            assertTrue(l.get("span_id").asText().matches("[0-9a-f]{16}"));
            assertEquals(12, l.get("release_id").asText().split(":").length, l.toString());
            assertTrue(l.get("error_code").isNull() || l.get("error_code").isTextual());
            if (!l.get("user_id").asText().equals("system")) {
                assertTrue(l.get("user_id").asText().matches("user_[0-9a-f]{12}"));
                assertTrue(l.get("request_id").asText().matches("[0-9a-f]{32}"));
            }
        }
    }

    @Test
    void extendedLogLinesAddOnlyDurationMsAtTheEnd() {
        for (JsonNode l : hotLogs) {
            var keys = MonitoringTestData.keys(l);
            if (l.get("user_id").asText().equals("system")) {
                assertEquals(LOG_KEYS, keys);
                continue;
            }
            assertEquals(LOG_KEYS, keys.subList(0, 21));
            assertEquals(List.of("duration_ms"), keys.subList(21, keys.size()));
            assertTrue(l.get("duration_ms").isNumber() && l.get("duration_ms").asDouble() > 0, l.toString());
        }
    }

    @Test
    void levelFollowsSuccessAndErrorType() {
        for (List<JsonNode> set : List.of(plainLogs, hotLogs))
            for (JsonNode l : set) {
                String level = l.get("level").asText();
                if (l.get("success").asBoolean()) {
                    assertEquals("INFO", level);
                    for (String k : List.of("error_code", "error_message", "error_source", "error_type", "upstream_request_id"))
                        assertTrue(l.get(k).isNull(), k + " set on a success: " + l);
                } else {
                    String type = l.get("error_type").asText();
                    boolean error = ERROR_LEVEL_TYPES.contains(type) || l.get("error_code").asText().startsWith("5");
                    assertEquals(error ? "ERROR" : "WARN", level, "every 5xx and every error-level type is an ERROR: " + l);
                    assertEquals(l.get("action").asText() + " failed: " + l.get("error_message").asText(), l.get("message").asText());
                    assertTrue(l.get("error_source").asText().matches("self|infrastructure:.+|dependency:[^:]+:[^:]+|deployment:.+"), l.toString());
                    if (type.equals("client")) assertTrue(l.get("error_code").asText().startsWith("4"));
                }
            }
    }

    @Test
    void everyRequestHasFourMetricsPlusCacheHitForSuccessfulReads() {
        var perEvent = new HashMap<String, List<String>>();
        for (JsonNode m : plainMetrics) {
            assertEquals(List.of("metric", "ts", "value", "tags"), MonitoringTestData.keys(m));
            assertTrue(m.get("ts").isNumber() && m.get("value").isNumber());
            var tagKeys = MonitoringTestData.keys(m.get("tags"));
            assertEquals(TAG_KEYS, tagKeys.subList(0, 7), m.toString());
            m.get("tags").forEach(v -> assertTrue(v.isTextual()));
            if (tagKeys.contains("trace_id")) assertEquals("request_duration_ms", m.get("metric").asText(), "exemplar only on durations");
            for (String never : List.of("request_id", "user_id", "object_id", "target_user_id")) assertFalse(tagKeys.contains(never));
        }
        // metrics follow the event's log line order; rebuild groups of metrics per event
        int i = 0;
        long requests = plainLogs.stream().filter(l -> !l.get("user_id").asText().equals("system")).count();
        long events = 0;
        while (i < plainMetrics.size()) {
            JsonNode first = plainMetrics.get(i);
            assertEquals("request_duration_ms", first.get("metric").asText());
            var names = new java.util.ArrayList<String>();
            names.add(first.get("metric").asText());
            i++;
            while (i < plainMetrics.size() && !plainMetrics.get(i).get("metric").asText().equals("request_duration_ms")) names.add(plainMetrics.get(i++).get("metric").asText());
            var tags = first.get("tags");
            boolean cache = tags.get("success").asText().equals("true") && tags.get("is_write").asText().equals("false");
            assertEquals(cache ? List.of("request_duration_ms", "request_size_bytes", "response_size_bytes", "db_query_count", "cache_hit")
                    : List.of("request_duration_ms", "request_size_bytes", "response_size_bytes", "db_query_count"), names);
            events++;
        }
        assertEquals(requests, events, "one metric group per request log line");
    }

    @Test
    void failedRequestsAlwaysCarryAnExemplarTraceId() {
        for (JsonNode m : plainMetrics)
            if (m.get("metric").asText().equals("request_duration_ms") && m.get("tags").get("success").asText().equals("false"))
                assertTrue(m.get("tags").has("trace_id"), m.toString());
    }

    @Test
    void everyChildSpanLiesInsideItsParent() {
        var roots = new HashMap<String, JsonNode>();
        for (JsonNode l : hotLogs) if (l.get("parent_span_id").isNull()) roots.put(l.get("span_id").asText(), l);
        int children = 0;
        for (JsonNode c : hotLogs) {
            if (c.get("parent_span_id").isNull()) continue;
            JsonNode p = roots.get(c.get("parent_span_id").asText());
            assertNotNull(p, "child without parent: " + c);
            assertEquals(p.get("trace_id"), c.get("trace_id"));
            assertEquals(p.get("user_id"), c.get("user_id"));
            assertEquals("handle_" + p.get("action").asText(), c.get("action").asText());
            long ps = MonitoringTestData.micros(p.get("timestamp").asText()), cs = MonitoringTestData.micros(c.get("timestamp").asText());
            long pe = ps + Math.round(p.get("duration_ms").asDouble() * 1000), ce = cs + Math.round(c.get("duration_ms").asDouble() * 1000);
            assertTrue(cs >= ps && ce <= pe, "child " + cs + ".." + ce + " outside parent " + ps + ".." + pe);
            children++;
        }
        assertTrue(children > hotLogs.size() / 2, "about 1.7 children per root");
    }

    @Test
    void cascadeErrorsPointAtTheFailedChildOfThatService() {
        var byRequest = new HashMap<String, JsonNode>();
        for (JsonNode l : hotLogs) byRequest.put(l.get("request_id").asText(), l);
        int cascades = 0;
        for (JsonNode l : hotLogs) {
            String src = l.get("error_source").asText("");
            if (!src.startsWith("dependency:")) continue;
            JsonNode child = byRequest.get(l.get("upstream_request_id").asText());
            assertNotNull(child, "upstream_request_id names no request: " + l);
            assertEquals(l.get("trace_id"), child.get("trace_id"));
            assertEquals(l.get("span_id"), child.get("parent_span_id"));
            assertEquals(src.substring("dependency:".length()), child.get("stack").asText() + ":" + child.get("service").asText());
            assertFalse(child.get("success").asBoolean());
            assertTrue(child.get("error_source").asText().startsWith("infrastructure:"));
            assertEquals(child.get("error_type"), l.get("error_type"));
            cascades++;
        }
        assertTrue(cascades > 10, "the hot model must produce cascades, got " + cascades);
    }

    @Test
    void infrastructureErrorsFallInsideAnIncidentOfThatComponentListedInIncidentsJson() {
        int checked = 0;
        for (JsonNode l : hotLogs) {
            String src = l.get("error_source").asText("");
            if (!src.startsWith("infrastructure:")) continue;
            String comp = src.substring("infrastructure:".length());
            long t = MonitoringTestData.micros(l.get("timestamp").asText());
            String svc = l.get("stack").asText() + ":" + l.get("service").asText();
            boolean inside = false;
            for (JsonNode inc : hotTruth.get("incidents"))
                if (inc.get("component").asText().equals(comp) && MonitoringTestData.micros(inc.get("start").asText()) <= t
                        && t < MonitoringTestData.micros(inc.get("end").asText())) {
                    var services = MonitoringTestData.JSON.convertValue(inc.get("affected_services"), List.class);
                    inside |= services.contains(svc);
                }
            assertTrue(inside, "no incident of " + comp + " covers " + l);
            checked++;
        }
        assertTrue(checked > 10, "the hot model must produce infrastructure errors, got " + checked);
        long observed = 0;
        for (JsonNode inc : hotTruth.get("incidents")) observed += inc.get("observed_errors").asLong();
        assertEquals(checked, observed, "incidents.json observed_errors adds up to the infrastructure errors in the logs");
    }

    @Test
    void deploymentErrorsAndDeploymentLinesMatchTheWindowsOfIncidentsJson() {
        var windows = new HashMap<String, JsonNode>();
        for (JsonNode w : hotTruth.get("deployment_windows"))
            windows.put(w.get("release_id").asText() + "|" + MonitoringTestData.micros(w.get("start").asText()), w);
        var byRelease = new HashMap<String, List<JsonNode>>();
        for (JsonNode w : hotTruth.get("deployment_windows")) byRelease.computeIfAbsent(w.get("release_id").asText(), k -> new java.util.ArrayList<>()).add(w);
        int starts = 0;
        for (JsonNode l : hotLogs) {
            String action = l.get("action").asText();
            if (action.equals("deployment_start") || action.equals("deployment_complete")) {
                assertEquals("system", l.get("user_id").asText());
                assertTrue(l.get("request_id").asText().matches("deploy_[0-9a-f]{16}"));
                assertEquals("deployment", l.get("object_type").asText());
                if (action.equals("deployment_start")) {
                    assertNotNull(windows.get(l.get("release_id").asText() + "|" + MonitoringTestData.micros(l.get("timestamp").asText())), l.toString());
                    starts++;
                }
            }
            String src = l.get("error_source").asText("");
            if (src.startsWith("deployment:")) {
                long t = MonitoringTestData.micros(l.get("timestamp").asText());
                boolean inside = byRelease.getOrDefault(src.substring(11), List.of()).stream().anyMatch(w ->
                        MonitoringTestData.micros(w.get("start").asText()) <= t && t < MonitoringTestData.micros(w.get("end").asText()));
                assertTrue(inside, l.toString());
            }
        }
        assertEquals(hotTruth.get("deployment_windows").size(), starts);
    }

    @Test
    void summaryCountsAddUpToTheFiles() throws Exception {
        JsonNode s = MonitoringTestData.JSON.readTree(plain.resolve("summary.json").toFile());
        assertEquals(plainLogs.size(), s.get("total_logs").asLong());
        assertEquals(plainMetrics.size(), s.get("total_metrics").asLong());
        assertEquals(s.get("root_events").asLong() + s.get("child_spans").asLong(), s.get("total_events").asLong());
        long levels = 0;
        for (JsonNode v : s.get("levels")) levels += v.asLong();
        assertEquals(plainLogs.size(), levels);
        long fileLines = 0;
        for (JsonNode f : s.get("files")) {
            fileLines += f.get("logLines").asLong();
            assertEquals(Files.size(plain.resolve(f.get("logs").asText())), f.get("logBytes").asLong());
        }
        assertEquals(plainLogs.size(), fileLines);
        assertEquals(100, s.get("personas").size());
        assertEquals(400, s.get("total_users").asLong());
    }

    @Test
    void personaActivitySharesFollowTheModel() throws Exception {
        var model = PlatformModel.load(MonitoringTestData.MODEL);
        JsonNode users = MonitoringTestData.JSON.readTree(plain.resolve("summary.json").toFile()).get("personas");
        var archetypeOf = new HashMap<String, String>();
        var expected = new HashMap<String, Double>();
        double total = 0;
        for (Persona p : model.personas()) {
            archetypeOf.put(p.name(), p.archetype());
            double activity = users.get(p.name()).asInt() * p.activityMultiplier();
            expected.merge(p.archetype(), activity, Double::sum);
            total += activity;
        }
        var seen = new HashMap<String, Integer>();
        int roots = 0;
        for (JsonNode m : plainMetrics)
            if (m.get("metric").asText().equals("request_duration_ms") && !m.get("tags").get("action").asText().startsWith("handle_")) {
                seen.merge(archetypeOf.get(m.get("tags").get("persona").asText()), 1, Integer::sum);
                roots++;
            }
        for (var e : expected.entrySet()) {
            double want = e.getValue() / total, got = seen.getOrDefault(e.getKey(), 0) / (double) roots;
            assertEquals(want, got, 0.03, "activity share of " + e.getKey());
        }
    }

    @Test
    void hourOfDayFollowsThePersonasHourlyWeights() {
        var model = PlatformModel.load(MonitoringTestData.MODEL);
        var hourly = new HashMap<String, double[]>();
        for (Persona p : model.personas()) hourly.put(p.name(), p.hourlyWeights());
        double[] want = new double[24];
        int[] got = new int[24];
        int n = 0;
        for (JsonNode m : plainMetrics) {
            if (!m.get("metric").asText().equals("request_duration_ms") || m.get("tags").get("action").asText().startsWith("handle_")) continue;
            double[] w = hourly.get(m.get("tags").get("persona").asText());
            double sum = 0;
            for (double v : w) sum += v;
            for (int h = 0; h < 24; h++) want[h] += w[h] / sum;
            got[(int) ((long) m.get("ts").asDouble() / 3600 % 24)]++;
            n++;
        }
        for (int h = 0; h < 24; h++) assertEquals(want[h] / n, got[h] / (double) n, 0.02, "share of hour " + h);
    }

    @Test
    void timestampsStayInsideTheWindow() {
        long start = MonitoringTestData.micros("2025-06-01T00:00:00Z"), end = MonitoringTestData.micros("2026-06-01T00:00:00Z");
        for (JsonNode l : plainLogs) {
            long t = MonitoringTestData.micros(l.get("timestamp").asText());
            if (!l.get("user_id").asText().equals("system")) assertTrue(t >= start && t < end + 60_000_000L, l.toString());
        }
    }
}
