import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PromQL on the native metrics in a real VictoriaMetrics gives what the raw events of the same run imply:
 * increase() per label set, rate() on series scraped at both edges of the window, latency buckets and
 * histogram_quantile(), and the exemplar file is taken by /api/v1/import/prometheus.
 */
class NativeMetricsVmTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long I = 15; // scrape interval, seconds
    static Path dir;
    static VictoriaMetricsProcess vm;
    static final List<Raw> raw = new ArrayList<>();
    static long startS, endS;

    /** One raw request sample: when, which labels, how long. */
    record Raw(double ts, String service, String action, String success, String deployment, long cents) {
        long interval() { return (long) Math.floor(ts / I); }
    }

    @BeforeAll
    static void generateAndImport() throws Exception {
        dir = KitLayout.testDir("native-vm");
        Path data = dir.resolve("data");
        // an hour of busy traffic: the busiest label sets get requests in almost every scrape interval
        var req = MonitoringGeneration.request(MonitoringTestData.MODEL, 20_000L, 2_000, data, 11, 2, 2, null, "jsonl", "seed", null,
                "2026-06-01", null, "1h", "both", "15s");
        MonitoringGeneration.run(req, true);
        startS = MonitoringTestData.micros("2026-05-31T23:00:00Z") / 1_000_000;
        endS = MonitoringTestData.micros("2026-06-01T00:00:00Z") / 1_000_000;
        for (JsonNode m : MonitoringTestData.lines(data, "metrics")) {
            if (!m.get("metric").asText().equals("request_duration_ms")) continue;
            JsonNode t = m.get("tags");
            String rel = t.get("release_id").asText();
            raw.add(new Raw(m.get("ts").asDouble(), t.get("service").asText(), t.get("action").asText(), t.get("success").asText(),
                    rel.substring(0, rel.lastIndexOf(':')), Math.round(m.get("value").asDouble() * 100)));
        }

        vm = VictoriaMetricsProcess.start(dir.resolve("vm"));
        var out = new ByteArrayOutputStream();
        var run = new ImportRun<>("import-vm", vm.url(), "samples", "native_metrics_*.jsonl*", new VmImportLine(), VmImportLine.format(),
                VmImportLine.counters(vm.url()));
        var r = run.execute(List.of(data.toString()), ImportTestData.options("--quiet", "--checkpoint", dir.resolve("cp.tsv").toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(0, r.exitCode(), out.toString(StandardCharsets.UTF_8));
        JsonNode summary = JSON.readTree(data.resolve("summary.json").toFile());
        assertEquals(summary.get("metrics").get("native").get("samples").asLong(), r.stats().acknowledged.sum(), "every native sample acknowledged");
        vm.flush();
    }

    @AfterAll
    static void stop() {
        if (vm != null) vm.close();
    }

    static JsonNode query(String promql, long timeS) throws Exception {
        String q = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + timeS;
        var answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(vm.url() + "/api/v1/query?" + q)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body()).get("data").get("result");
    }

    static Map<String, Double> byLabels(JsonNode result, String... labels) {
        var out = new TreeMap<String, Double>();
        for (JsonNode s : result) {
            var sb = new StringBuilder();
            for (String l : labels) sb.append(s.get("metric").path(l).asText()).append('|');
            out.put(sb.toString(), s.get("value").get(1).asDouble());
        }
        return out;
    }

    @Test
    void increaseOverTheWholeRunIsTheRawRequestCountOfEveryLabelSet() throws Exception {
        var expected = new TreeMap<String, Double>();
        for (Raw r : raw) expected.merge(r.service() + "|" + r.action() + "|" + r.success() + "|", 1.0, Double::sum);
        var got = byLabels(query("sum by (service, action, success) (increase(requests_total[2h]))", endS + 1800),
                "service", "action", "success");
        assertEquals(expected, got);
    }

    /** Label sets (service, action, success, deployment) with raw requests in every scrape interval of [from, to). */
    static List<Raw> busySeries(long fromS, long toS) {
        var intervals = new HashMap<String, Set<Long>>();
        var first = new HashMap<String, Raw>();
        for (Raw r : raw) {
            String k = r.service() + r.action() + r.success() + r.deployment();
            intervals.computeIfAbsent(k, x -> new HashSet<>()).add(r.interval());
            first.putIfAbsent(k, r);
        }
        var out = new ArrayList<Raw>();
        for (var e : intervals.entrySet()) {
            boolean all = true;
            for (long k = fromS / I; k < toS / I; k++) all &= e.getValue().contains(k);
            if (all) out.add(first.get(e.getKey()));
        }
        out.sort(java.util.Comparator.comparing(r -> r.service() + r.action() + r.deployment()));
        return out;
    }

    @Test
    void rateAndIncreaseOverAWindowMatchTheRawRequestsInIt() throws Exception {
        int checked = 0;
        for (long at = startS + 900; at <= endS - 300; at += 600) {
            long t = at, from = t - 300;
            // the window (t-5m, t] and the scrape intervals on both of its edges
            for (Raw s : busySeries(from - I, t)) {
                long n = raw.stream().filter(r -> same(r, s) && r.ts() >= from && r.ts() < t).count();
                String sel = "requests_total{service=\"" + s.service() + "\",action=\"" + s.action() + "\",success=\"" + s.success()
                        + "\",deployment_id=\"" + s.deployment() + "\"}";
                JsonNode inc = query("increase(" + sel + "[5m])", t), rate = query("rate(" + sel + "[5m])", t);
                assertEquals(1, inc.size(), sel + " at " + t);
                assertEquals(n, inc.get(0).get("value").get(1).asDouble(), 1e-9, "increase of " + sel + " at " + t);
                assertEquals(n / 300.0, rate.get(0).get("value").get(1).asDouble(), 1e-9, "rate of " + sel + " at " + t);
                checked++;
            }
        }
        assertTrue(checked >= 5, "only " + checked + " busy windows to check");
    }

    static boolean same(Raw a, Raw b) {
        return a.service().equals(b.service()) && a.action().equals(b.action()) && a.success().equals(b.success())
                && a.deployment().equals(b.deployment());
    }

    @Test
    void latencyBucketsAndQuantilesAreTheRawDurations() throws Exception {
        var byService = new TreeMap<String, List<Long>>();
        for (Raw r : raw) byService.computeIfAbsent(r.service(), k -> new ArrayList<>()).add(r.cents());
        var busiest = byService.entrySet().stream().sorted((a, b) -> b.getValue().size() - a.getValue().size()).limit(4).toList();
        for (var e : busiest) {
            String svc = e.getKey();
            long[] cum = new long[NativeMetrics.DURATION_LE_TEXT.length];
            for (long c : e.getValue())
                for (int b = 0; b < cum.length; b++) if (b == NativeMetrics.DURATION_LE.length || c <= NativeMetrics.DURATION_LE[b]) cum[b]++;
            var buckets = byLabels(query("sum by (le) (increase(request_duration_seconds_bucket{service=\"" + svc + "\"}[2h]))", endS + 1800), "le");
            for (int b = 0; b < cum.length; b++)
                assertEquals((double) cum[b], buckets.getOrDefault(NativeMetrics.DURATION_LE_TEXT[b] + "|", 0.0), svc + " le=" + NativeMetrics.DURATION_LE_TEXT[b]);
            for (double q : new double[] {0.5, 0.9, 0.99}) {
                JsonNode got = query("histogram_quantile(" + q + ", sum by (le) (increase(request_duration_seconds_bucket{service=\"" + svc
                        + "\"}[2h])))", endS + 1800);
                assertEquals(expectedQuantile(q, cum), got.get(0).get("value").get(1).asDouble(), 1e-9, svc + " p" + q);
            }
        }
    }

    /** Prometheus' histogram_quantile on cumulative bucket counts: linear inside the bucket that holds the rank. */
    static double expectedQuantile(double q, long[] cum) {
        double rank = q * cum[cum.length - 1];
        for (int b = 0; b < cum.length; b++) {
            if (cum[b] < rank) continue;
            if (b == cum.length - 1) return NativeMetrics.DURATION_LE[b - 1] / 1e5;
            double lower = b == 0 ? 0 : NativeMetrics.DURATION_LE[b - 1] / 1e5, upper = NativeMetrics.DURATION_LE[b] / 1e5;
            long below = b == 0 ? 0 : cum[b - 1];
            return lower + (upper - lower) * (rank - below) / (cum[b] - below);
        }
        throw new AssertionError("no bucket holds rank " + rank);
    }

    @Test
    void nativeSeriesInTheStoreAreTheOnesTheSummaryCounts() throws Exception {
        JsonNode summary = JSON.readTree(dir.resolve("data/summary.json").toFile()).get("metrics").get("native").get("series_by_metric");
        for (var it = summary.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode all = query("count(last_over_time({__name__=\"" + e.getKey() + "\"}[2h]))", endS + 1800);
            assertEquals(e.getValue().asDouble(), all.get(0).get("value").get(1).asDouble(), e.getKey());
        }
    }

    @Test
    void theExemplarFileIsTakenByTheOpenMetricsImport() throws Exception {
        byte[] body = Files.readAllBytes(dir.resolve("data/native_exemplars.txt"));
        long lines = new String(body, StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#")).count();
        // the importers' own check: counters before and after, read until they cover what was sent (they trail the 204)
        var check = CounterCheck.start(vm.url(), new ServerCounters(URI.create(vm.url() + "/metrics"),
                List.of("vm_rows_inserted_total{type=\"prometheus\"}"), List.of("vm_rows_invalid_total{type=\"prometheus\"}"), List.of()), false);
        var answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(vm.url() + "/api/v1/import/prometheus"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, answer.statusCode(), answer.body());
        CounterCheck.Verdict v = check.finish(lines);
        assertTrue(v.line().startsWith("+" + lines + " accepted,"), "every exemplar line stored: " + v.line());
        assertTrue(v.line().contains(", +0 dropped,"), "no exemplar line refused: " + v.line());
        assertEquals(0, v.undelivered(), v.line());
    }
}
