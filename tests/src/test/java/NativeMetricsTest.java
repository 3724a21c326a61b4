import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * generate-monitoring --metrics native|both: the counters and histograms say what the raw events of the same run
 * say, never go down, restate their value one interval before every change, and come out the same for any worker
 * count.
 */
class NativeMetricsTest {
    static Path both;
    static MonitoringGeneration.Report report;
    static final List<JsonNode> raw = new ArrayList<>();
    static final Map<String, Series> nativeSeries = new TreeMap<>();

    /** One native series: its labels and all its samples in file order. */
    record Series(Map<String, String> labels, List<Long> times, List<Double> values) {}

    static MonitoringGeneration.Report generate(Path out, int workers, String metrics) {
        var req = MonitoringGeneration.request(MonitoringTestData.MODEL, 4000L, 400, out, 7, workers, 2, null, "jsonl", "seed", null,
                "2026-03-01", null, "2d", metrics, "15s");
        return MonitoringGeneration.run(req, true);
    }

    @BeforeAll
    static void generate() {
        both = KitLayout.testDir("native-metrics").resolve("both");
        report = generate(both, 2, "both");
        for (JsonNode m : MonitoringTestData.lines(both, "metrics")) raw.add(m);
        for (JsonNode n : MonitoringTestData.lines(both, "native_metrics")) {
            var labels = new TreeMap<String, String>();
            n.get("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            var s = nativeSeries.computeIfAbsent(labels.toString(), k -> new Series(labels, new ArrayList<>(), new ArrayList<>()));
            assertEquals(n.get("values").size(), n.get("timestamps").size(), "values and timestamps of " + labels);
            for (int i = 0; i < n.get("values").size(); i++) {
                s.times().add(n.get("timestamps").get(i).asLong());
                s.values().add(n.get("values").get(i).asDouble());
            }
        }
    }

    static String rawKey(JsonNode tags, String... names) {
        var sb = new StringBuilder();
        for (String n : names) sb.append(tags.path(n).asText()).append('|');
        return sb.toString();
    }

    static double last(Series s) { return s.values().get(s.values().size() - 1); }

    @Test
    void everySeriesIsInTimeOrderAndNoCounterEverGoesDown() {
        assertFalse(nativeSeries.isEmpty());
        for (Series s : nativeSeries.values())
            for (int i = 1; i < s.times().size(); i++) {
                assertTrue(s.times().get(i) > s.times().get(i - 1), "timestamps of " + s.labels() + " at " + i);
                assertTrue(s.values().get(i) >= s.values().get(i - 1), "value of " + s.labels() + " went down at " + s.times().get(i));
            }
    }

    @Test
    void everyChangeHasTheOldValueOneScrapeIntervalBefore() {
        for (Series s : nativeSeries.values()) {
            assertEquals(0.0, s.values().get(0), "a series starts at 0: " + s.labels());
            for (int i = 1; i < s.times().size(); i++)
                if (s.values().get(i) > s.values().get(i - 1))
                    assertEquals(15_000L, s.times().get(i) - s.times().get(i - 1), "change of " + s.labels() + " at " + s.times().get(i));
            for (long t : s.times()) assertEquals(0, t % 15_000, "samples sit on the scrape grid: " + s.labels());
        }
    }

    @Test
    void requestCountersAddUpToTheRawRequestsOfTheSameLabels() {
        var expected = new HashMap<String, Long>();
        for (JsonNode m : raw)
            if (m.get("metric").asText().equals("request_duration_ms"))
                expected.merge(rawKey(m.get("tags"), "service", "stack", "action", "success"), 1L, Long::sum);
        var got = new HashMap<String, Long>();
        for (Series s : nativeSeries.values())
            if (s.labels().get("__name__").equals("requests_total")) {
                var l = s.labels();
                got.merge(l.get("service") + "|" + l.get("stack") + "|" + l.get("action") + "|" + l.get("success") + "|", (long) last(s), Long::sum);
            }
        assertEquals(expected, got);
    }

    @Test
    void latencyBucketsHoldTheRawDurationsAtOrBelowTheirBound() {
        var expected = new TreeMap<String, Long>();
        var got = new TreeMap<String, Long>();
        for (JsonNode m : raw) {
            if (!m.get("metric").asText().equals("request_duration_ms")) continue;
            long cents = Math.round(m.get("value").asDouble() * 100);
            String svc = m.get("tags").get("service").asText();
            for (int b = 0; b < NativeMetrics.DURATION_LE_TEXT.length; b++)
                if (b == NativeMetrics.DURATION_LE.length || cents <= NativeMetrics.DURATION_LE[b])
                    expected.merge(svc + " le=" + NativeMetrics.DURATION_LE_TEXT[b], 1L, Long::sum);
        }
        for (Series s : nativeSeries.values())
            if (s.labels().get("__name__").equals("request_duration_seconds_bucket"))
                got.merge(s.labels().get("service") + " le=" + s.labels().get("le"), (long) last(s), Long::sum);
        for (var e : got.entrySet()) expected.putIfAbsent(e.getKey(), 0L); // buckets below every request of a series
        assertEquals(expected, got);
    }

    @Test
    void payloadSizesDatabaseQueriesAndCacheLookupsMatchTheRawSamples() {
        var expected = new TreeMap<String, Double>();
        var got = new TreeMap<String, Double>();
        for (JsonNode m : raw) {
            String svc = m.get("tags").get("service").asText();
            double v = m.get("value").asDouble();
            switch (m.get("metric").asText()) {
                case "request_size_bytes" -> expected.merge(svc + " request_size_bytes_sum", v, Double::sum);
                case "response_size_bytes" -> expected.merge(svc + " response_size_bytes_sum", v, Double::sum);
                case "db_query_count" -> expected.merge(svc + " db_queries_total", v, Double::sum);
                case "cache_hit" -> expected.merge(svc + " cache_requests_total " + (v == 1 ? "hit" : "miss"), 1.0, Double::sum);
                default -> { }
            }
        }
        for (Series s : nativeSeries.values()) {
            String name = s.labels().get("__name__"), svc = s.labels().get("service");
            if (name.equals("request_size_bytes_sum") || name.equals("response_size_bytes_sum") || name.equals("db_queries_total"))
                got.merge(svc + " " + name, last(s), Double::sum);
            if (name.equals("cache_requests_total")) got.merge(svc + " " + name + " " + s.labels().get("result"), last(s), Double::sum);
        }
        got.values().removeIf(v -> v == 0); // a miss counter that never moved
        assertEquals(expected, got);
    }

    @Test
    void errorCountersCountTheFailedRequestsByErrorType() {
        var expected = new TreeMap<String, Long>();
        for (JsonNode l : MonitoringTestData.lines(both, "logs"))
            if (!l.get("success").asBoolean()) expected.merge(l.get("service").asText() + " " + l.get("error_type").asText(), 1L, Long::sum);
        var got = new TreeMap<String, Long>();
        for (Series s : nativeSeries.values())
            if (s.labels().get("__name__").equals("errors_total"))
                got.merge(s.labels().get("service") + " " + s.labels().get("error_type"), (long) last(s), Long::sum);
        assertFalse(expected.isEmpty(), "the run has failed requests");
        assertEquals(expected, got);
    }

    @Test
    void seriesCarryTheDeploymentTagsAndIdButNoPersonaUserTraceReleaseOrOtherIds() {
        for (Series s : nativeSeries.values()) {
            var l = s.labels();
            for (String banned : List.of("persona", "user_id", "trace_id", "release", "release_id", "is_write", "provider_id",
                    "region_id", "partition_id", "target_id", "stack_id", "service_id"))
                assertFalse(l.containsKey(banned), banned + " on " + l);
            for (String needed : List.of("service", "stack", "environment", "provider", "account", "region", "partition",
                    "target_type", "target", "application", "tag", "deployment_id"))
                assertTrue(l.containsKey(needed), needed + " missing on " + l);
            assertTrue(l.get("deployment_id").endsWith(":" + l.get("service") + ":" + l.get("tag")), l.toString());
        }
    }

    @Test
    void summaryCountsTheSeriesOfBothForms() throws Exception {
        JsonNode s = MonitoringTestData.JSON.readTree(both.resolve("summary.json").toFile()).get("metrics");
        assertEquals(nativeSeries.size(), s.get("native").get("series").asLong());
        var byName = new TreeMap<String, Long>();
        long samples = 0;
        for (Series x : nativeSeries.values()) {
            byName.merge(x.labels().get("__name__"), 1L, Long::sum);
            samples += x.times().size();
        }
        var reported = new TreeMap<String, Long>();
        s.get("native").get("series_by_metric").fields().forEachRemaining(e -> reported.put(e.getKey(), e.getValue().asLong()));
        assertEquals(byName, reported);
        assertEquals(samples, s.get("native").get("samples").asLong());
        assertEquals(raw.size(), s.get("raw").get("samples").asLong());
        var rawSeries = new HashSet<String>();
        var rawByName = new TreeMap<String, Long>();
        for (JsonNode m : raw)
            if (rawSeries.add(m.get("metric").asText() + m.get("tags").toString())) rawByName.merge(m.get("metric").asText(), 1L, Long::sum);
        assertEquals(rawSeries.size(), s.get("raw").get("series").asLong());
        var rawReported = new TreeMap<String, Long>();
        s.get("raw").get("series_by_metric").fields().forEachRemaining(e -> rawReported.put(e.getKey(), e.getValue().asLong()));
        assertEquals(rawByName, rawReported);
        assertTrue(rawSeries.size() > nativeSeries.size(), rawSeries.size() + " raw vs " + nativeSeries.size() + " native series");
    }

    @Test
    void exemplarsAreOpenMetricsAndPointAtSlowOrFailedRequests() throws Exception {
        List<String> lines = Files.readAllLines(both.resolve("native_exemplars.txt"));
        assertEquals("# EOF", lines.get(lines.size() - 1));
        assertEquals("# TYPE request_duration_seconds histogram", lines.get(0));
        var interesting = new HashSet<String>();
        for (JsonNode l : MonitoringTestData.lines(both, "logs"))
            if (!l.get("success").asBoolean()) interesting.add(l.get("trace_id").asText());
        for (JsonNode m : raw)
            if (m.get("metric").asText().equals("request_duration_ms") && m.get("value").asDouble() > 500) // platform.json exemplars.slow_threshold_ms
                interesting.add(m.get("tags").get("trace_id").asText());
        var pattern = java.util.regex.Pattern.compile(
                "request_duration_seconds_bucket\\{[^}]*le=\"([^\"]+)\"} \\d+ \\d+(\\.\\d+)? # \\{trace_id=\"([0-9a-f]{32})\"} ([0-9.]+) [0-9.]+");
        int exemplars = 0;
        for (String line : lines) {
            if (!line.contains(" # {")) {
                assertTrue(line.startsWith("#") || line.matches("request_duration_seconds_(bucket|sum|count)\\{[^}]+} [0-9.]+ [0-9.]+"), line);
                continue;
            }
            var m = pattern.matcher(line);
            assertTrue(m.matches(), line);
            assertTrue(interesting.contains(m.group(3)), "exemplar " + m.group(3) + " is neither slow nor failed");
            double le = m.group(1).equals("+Inf") ? Double.MAX_VALUE : Double.parseDouble(m.group(1));
            assertTrue(Double.parseDouble(m.group(4)) <= le, line);
            exemplars++;
        }
        assertTrue(exemplars > 0);
        assertEquals(report.result().nativeTotals().exemplarPoints(), exemplars);
    }

    @Test
    void sameBytesForAnyWorkerCountAndLogsAsWithRawMetricsOnly() throws Exception {
        Path dir = KitLayout.testDir("native-metrics");
        Path one = dir.resolve("native-w1"), three = dir.resolve("native-w3"), rawOnly = dir.resolve("raw-w2");
        generate(one, 1, "native");
        generate(three, 3, "native");
        generate(rawOnly, 2, "raw");
        for (String f : List.of("native_metrics_0.jsonl", "native_metrics_1.jsonl", "native_exemplars.txt", "logs_0.jsonl", "logs_1.jsonl"))
            assertEquals(-1L, Files.mismatch(one.resolve(f), three.resolve(f)), f + " differs between 1 and 3 workers");
        for (String f : List.of("native_metrics_0.jsonl", "native_exemplars.txt"))
            assertEquals(-1L, Files.mismatch(one.resolve(f), both.resolve(f)), f + " differs between native and both");
        for (String f : List.of("logs_0.jsonl", "logs_1.jsonl")) {
            assertEquals(-1L, Files.mismatch(one.resolve(f), rawOnly.resolve(f)), f + " differs between native and raw runs");
            assertEquals(-1L, Files.mismatch(one.resolve(f), both.resolve(f)), f + " differs between native and both runs");
        }
        assertFalse(Files.exists(one.resolve("metrics_0.jsonl")), "native alone writes no raw metrics");
        assertFalse(Files.exists(rawOnly.resolve("native_metrics_0.jsonl")));
    }
}
