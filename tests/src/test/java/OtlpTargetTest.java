import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * generate-monitoring --to otlp against an in-process OTLP/HTTP receiver ({@link FakeOtlp}) that decodes the real
 * protobuf requests: logs, spans and raw metric points are the records {@code --format otlp} writes for the same seed,
 * record by record with their resources; native counters and histograms are the native lines' samples as cumulative
 * sums and histograms, with the exemplars of native_exemplars.txt; partial success and a 400 count as not delivered
 * and end non-zero; 503 is retried without losing or doubling anything; headers arrive.
 */
class OtlpTargetTest {
    private static final HexFormat HEX = HexFormat.of();

    static MonitoringGeneration.Request request(Path out, String format, String duration) {
        return MonitoringGeneration.request(MonitoringTestData.MODEL, 2000L, 200, out, 11, 2, 2, null, format, "extended",
                null, null, null, duration, "both", "15s");
    }

    static StreamOptions options(String... args) { return picocli.CommandLine.populateCommand(new StreamOptions(), args); }

    /** Counts of equal elements: a multiset, so that a record twice or missing shows. */
    static Map<ByteString, Integer> multiset(List<ByteString> list) {
        var out = new HashMap<ByteString, Integer>();
        for (ByteString b : list) out.merge(b, 1, Integer::sum);
        return out;
    }

    static List<ByteString> fileRecords(Path dir, String prefix) throws IOException {
        var out = new ArrayList<ByteString>();
        try (var list = Files.list(dir)) {
            for (Path p : list.filter(f -> f.getFileName().toString().startsWith(prefix) && f.getFileName().toString().endsWith(".otlp.jsonl"))
                    .sorted().toList())
                out.addAll(OtlpFormatTest.flatRecords(p));
        }
        return out;
    }

    @Test
    void everyRecordArrivesAsFormatOtlpWritesItAndNativeMetricsAsSumsAndHistograms() throws Exception {
        Path dir = KitLayout.testDir("otlp-target");
        Path files = dir.resolve("files");
        var filesRequest = request(files, "otlp", "15m");
        MonitoringGeneration.run(filesRequest, true);
        long startNanos = filesRequest.startMicros() * 1000L;

        try (var otlp = new FakeOtlp()) {
            var sink = MonitoringStores.open(options("--to", "otlp", "--otlp-url", otlp.url().toString(), "--batch-size", "700"),
                    filesRequest.startMicros(), null);
            var report = MonitoringGeneration.run(request(dir.resolve("streamed"), "jsonl", "15m"), true, sink);
            report.print(System.out, sink.headline(), false);
            sink.print(System.out, System.err);
            assertTrue(sink.delivered(), sink.headline());
            assertEquals(0, sink.notDelivered());

            var logs = fileRecords(files, "logs_");
            var spans = fileRecords(files, "traces_");
            var gauges = fileRecords(files, "metrics_");
            assertFalse(logs.isEmpty() || spans.isEmpty() || gauges.isEmpty());
            assertEquals(multiset(logs), multiset(otlp.flatRecords("/v1/logs")), "every log record once, with its resource, as --format otlp has it");
            assertEquals(multiset(spans), multiset(otlp.flatRecords("/v1/traces")), "every span once, with its resource");
            assertEquals(multiset(gauges), multiset(otlp.flatRecords("/v1/metrics")), "every raw metric point once, as a gauge point");

            for (var g : otlp.all) {
                assertEquals("application/x-protobuf", g.headers().getFirst("Content-Type"));
                assertNull(g.contentEncoding(), "--gzip auto: no gzip to a receiver on this machine");
            }
            var lanes = sink.laneReports();
            assertEquals(logs.size(), lanes.get("OTLP logs").stats().acknowledged.sum());
            assertEquals(spans.size(), lanes.get("OTLP traces").stats().acknowledged.sum());
            long points = 0;
            for (var g : otlp.taken()) if (g.path().equals("/v1/metrics")) points += FakeOtlp.points(g.metrics());
            assertEquals(points, lanes.get("OTLP metrics").stats().acknowledged.sum(), "the metrics lane counts data points");

            assertNativeMetrics(files, otlp, startNanos);
        }
    }

    /** What a native point is known by: its deployment, metric, point attributes and time. */
    private record Key(String deployment, String metric, String attributes, long ms) {}

    private static final Set<String> DEPLOYMENT_LABELS = Set.of("environment", "provider", "account", "region", "partition", "target_type",
            "target", "application", "stack", "service", "tag", "deployment_id");

    private static String pointAttributes(Map<String, String> labels) {
        var t = new TreeMap<String, String>();
        labels.forEach((k, v) -> {
            if (!DEPLOYMENT_LABELS.contains(k) && !k.equals("__name__") && !k.equals("le") && !k.equals("instance")) t.put(k, v);
        });
        return t.toString();
    }

    private static String pointAttributes(List<KeyValue> list) {
        var t = new TreeMap<String, String>();
        for (KeyValue kv : list) assertNull(t.put(kv.getKey(), kv.getValue().getStringValue()), "attribute twice: " + kv.getKey());
        return t.toString();
    }

    private static String attribute(Resource r, String key) {
        for (KeyValue kv : r.getAttributesList()) if (kv.getKey().equals(key)) return kv.getValue().getStringValue();
        return null;
    }

    /** Native lines decoded here on their own: counters' samples, histograms' cumulative buckets, sums and counts, exemplars. */
    private static void assertNativeMetrics(Path files, FakeOtlp otlp, long startNanos) throws IOException {
        var counters = new HashMap<Key, Long>();
        var buckets = new HashMap<Key, TreeMap<Double, Long>>(); // family key -> le -> cumulative count
        var sums = new HashMap<Key, Double>();
        var counts = new HashMap<Key, Long>();
        for (String line : MonitoringStreamTest.lines(files, "native_metrics_")) {
            JsonNode n = MonitoringStreamTest.read(line);
            var labels = new TreeMap<String, String>();
            n.get("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            String name = labels.get("__name__");
            for (int i = 0; i < n.get("values").size(); i++) {
                long ms = n.get("timestamps").get(i).asLong();
                JsonNode v = n.get("values").get(i);
                String family = name.replaceFirst("_(bucket|sum|count)$", "");
                var key = new Key(labels.get("deployment_id"), name.endsWith("_total") ? name : family, pointAttributes(labels), ms);
                if (name.endsWith("_total")) assertNull(counters.put(key, v.longValue()));
                else if (name.endsWith("_bucket"))
                    buckets.computeIfAbsent(key, k -> new TreeMap<>()).put(labels.get("le").equals("+Inf") ? Double.POSITIVE_INFINITY
                            : Double.parseDouble(labels.get("le")), v.longValue());
                else if (name.endsWith("_sum")) sums.put(key, v.doubleValue());
                else if (name.endsWith("_count")) counts.put(key, v.longValue());
                else fail("a native line that is neither counter nor histogram: " + name);
            }
        }
        // exemplars: series labels (le aside) and sample time -> trace id, value, time
        var exemplars = new HashMap<Key, String>();
        Pattern ex = Pattern.compile("^(\\w+)_bucket\\{(.*)\\} (\\d+) ([\\d.]+) # \\{trace_id=\"([0-9a-f]{32})\"\\} ([\\d.]+) ([\\d.]+)$");
        Pattern label = Pattern.compile("(\\w+)=\"([^\"]*)\"");
        for (String l : Files.readAllLines(files.resolve("native_exemplars.txt"))) {
            Matcher m = ex.matcher(l);
            if (!m.matches()) {
                assertFalse(l.contains(" # {"), "an exemplar line this test reads: " + l);
                continue;
            }
            var labels = new TreeMap<String, String>();
            Matcher lm = label.matcher(m.group(2));
            while (lm.find()) labels.put(lm.group(1), lm.group(2));
            long ms = new BigDecimal(m.group(4)).movePointRight(3).longValueExact();
            exemplars.put(new Key(labels.get("deployment_id"), m.group(1), pointAttributes(labels), ms),
                    m.group(5) + " " + Double.parseDouble(m.group(6)) + " " + new BigDecimal(m.group(7)).movePointRight(9).longValueExact());
        }
        assertFalse(counters.isEmpty() || counts.isEmpty() || exemplars.isEmpty(), "the run has counters, histograms and exemplars");

        var gotCounters = new HashMap<Key, Long>();
        var gotHistograms = new HashMap<Key, HistogramDataPoint>();
        var gotExemplars = new HashMap<Key, String>();
        for (var g : otlp.taken()) {
            if (!g.path().equals("/v1/metrics")) continue;
            for (var rm : g.metrics().getResourceMetricsList()) {
                assertEquals(1, rm.getScopeMetricsCount());
                assertEquals("qairon-kit", rm.getScopeMetrics(0).getScope().getName());
                Resource r = rm.getResource();
                String deployment = attribute(r, "deployment_id");
                for (Metric m : rm.getScopeMetrics(0).getMetricsList()) {
                    if (m.hasGauge()) continue; // raw points, compared with the OTLP files
                    assertNull(attribute(r, "release_id"), "a native series counts a deployment, not a release");
                    assertEquals(attribute(r, "application") + ":" + attribute(r, "stack") + ":" + attribute(r, "service"), attribute(r, "service.name"));
                    assertEquals(attribute(r, "application") + ":" + attribute(r, "stack"), attribute(r, "service.namespace"));
                    assertEquals(attribute(r, "environment"), attribute(r, "deployment.environment.name"));
                    if (m.hasSum()) {
                        assertTrue(m.getSum().getIsMonotonic());
                        assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, m.getSum().getAggregationTemporality());
                        assertEquals("1", m.getUnit());
                        for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                            assertEquals(startNanos, p.getStartTimeUnixNano(), "cumulative from the run start");
                            assertEquals(0, p.getTimeUnixNano() % 1_000_000);
                            assertNull(gotCounters.put(new Key(deployment, m.getName(), pointAttributes(p.getAttributesList()),
                                    p.getTimeUnixNano() / 1_000_000), p.getAsInt()), "a counter point twice");
                        }
                    } else {
                        assertTrue(m.hasHistogram(), m.getName());
                        assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, m.getHistogram().getAggregationTemporality());
                        assertEquals(m.getName().endsWith("_seconds") ? "s" : "By", m.getUnit());
                        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
                            assertEquals(startNanos, p.getStartTimeUnixNano());
                            var key = new Key(deployment, m.getName(), pointAttributes(p.getAttributesList()), p.getTimeUnixNano() / 1_000_000);
                            assertNull(gotHistograms.put(key, p), "a histogram point twice");
                            for (Exemplar x : p.getExemplarsList())
                                assertNull(gotExemplars.put(key, HEX.formatHex(x.getTraceId().toByteArray()) + " " + x.getAsDouble() + " "
                                        + x.getTimeUnixNano()), "one exemplar per point");
                        }
                    }
                }
            }
        }
        assertEquals(counters, gotCounters, "every counter sample is one point of a cumulative sum, same value");
        assertEquals(counts.keySet(), gotHistograms.keySet(), "every histogram sample is one histogram point");
        for (var e : gotHistograms.entrySet()) {
            HistogramDataPoint p = e.getValue();
            TreeMap<Double, Long> cumulative = buckets.get(e.getKey());
            var bounds = new ArrayList<>(cumulative.keySet());
            bounds.removeLast();
            assertEquals(bounds, p.getExplicitBoundsList(), "bounds are the le values but +Inf");
            long below = 0;
            var rebuilt = new ArrayList<Long>();
            for (long c : p.getBucketCountsList()) rebuilt.add(below += c);
            assertEquals(new ArrayList<>(cumulative.values()), rebuilt, "bucket counts add up to the cumulative buckets " + e.getKey());
            assertEquals(counts.get(e.getKey()), p.getCount());
            assertEquals(sums.get(e.getKey()), p.getSum());
        }
        assertEquals(exemplars, gotExemplars, "every exemplar on its histogram point: trace id, value, time");
    }

    @Test
    void aServiceUnavailableIsRetriedAndNothingIsLostOrCountedTwice() throws Exception {
        Path dir = KitLayout.testDir("otlp-503");
        Set<String> seen = ConcurrentHashMap.newKeySet();
        int[] unavailable = new int[1];
        try (var otlp = new FakeOtlp((path, n, records, body) -> {
            if (seen.add(path + HEX.formatHex(body))) {
                synchronized (unavailable) {
                    unavailable[0]++;
                }
                return new FakeOtlp.Answer(503, 0, "busy", "1");
            }
            return FakeOtlp.Answer.OK;
        })) {
            var sink = MonitoringStores.open(options("--to", "otlp", "--otlp-url", otlp.url().toString(), "--batch-size", "400",
                    "--retry-delay-ms", "2", "--gzip", "always"), 1, null);
            MonitoringGeneration.run(request(dir, "jsonl", "5m"), true, sink);
            sink.print(System.out, System.err);
            assertTrue(sink.delivered(), sink.headline());
            long retried = 0;
            for (var r : sink.laneReports().values()) {
                retried += r.stats().retried.sum();
                assertEquals(r.stats().sent.sum(), r.stats().acknowledged.sum(), "all acknowledged, each once");
                assertEquals(0, r.stats().failed.sum());
            }
            assertEquals(unavailable[0], retried, "each 503 was retried once");
            assertEquals(2 * otlp.taken().size(), otlp.all.size(), "every request came twice: refused, then taken");
            var taken = new HashSet<String>();
            for (var g : otlp.taken()) {
                assertTrue(taken.add(g.path() + HEX.formatHex(g.body())), "a request taken twice");
                assertEquals("gzip", g.contentEncoding());
            }
            for (String path : List.of("/v1/logs", "/v1/traces"))
                assertTrue(multiset(otlp.flatRecords(path)).values().stream().allMatch(c -> c == 1), path + ": no record twice");
            assertEquals(sink.laneReports().get("OTLP logs").stats().read.sum(), otlp.flatRecords("/v1/logs").size(), "nothing lost");
            assertEquals(sink.laneReports().get("OTLP traces").stats().read.sum(), otlp.flatRecords("/v1/traces").size(), "nothing lost");
        }
    }

    @Test
    void aBadRequestIsNotRetriedAndItsRecordsCountAsFailedWithTheReceiversMessage() throws Exception {
        Path dir = KitLayout.testDir("otlp-400");
        try (var otlp = new FakeOtlp((path, n, records, body) -> path.equals("/v1/traces") && n == 2
                ? FakeOtlp.Answer.fail(400, "span 7: invalid trace id") : FakeOtlp.Answer.OK)) {
            var sink = MonitoringStores.open(options("--to", "otlp", "--otlp-url", otlp.url().toString(), "--batch-size", "400",
                    "--retry-delay-ms", "2", "--send-workers", "1"), 1, null);
            MonitoringGeneration.run(request(dir, "jsonl", "5m"), true, sink);
            var err = new java.io.ByteArrayOutputStream();
            sink.print(System.out, new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
            String problems = err.toString(StandardCharsets.UTF_8);
            System.out.print(problems);
            assertFalse(sink.delivered());
            var traces = sink.laneReports().get("OTLP traces").stats();
            long refused = 0;
            for (var g : otlp.all) if (!g.taken()) refused += g.traces().getResourceSpansList().stream().mapToLong(r -> r.getScopeSpans(0).getSpansCount()).sum();
            assertTrue(refused > 0);
            assertEquals(1, otlp.all.stream().filter(g -> !g.taken()).count(), "a 400 is not sent again");
            assertEquals(0, traces.retried.sum());
            assertEquals(refused, traces.failed.sum(), "its spans count as failed");
            assertEquals(refused, sink.notDelivered());
            assertEquals(traces.sent.sum() - refused, traces.acknowledged.sum());
            assertTrue(problems.contains("HTTP 400 span 7: invalid trace id (status code 3)"), problems);
            assertTrue(problems.contains(refused + " spans not delivered to OTLP (" + otlp.url() + "/v1/traces)"), problems);
        }
    }

    @Test
    void partialSuccessCountsAsNotDeliveredEndsNonZeroAndHeadersArrive() throws Exception {
        Path dir = KitLayout.testDir("otlp-partial");
        try (var otlp = new FakeOtlp((path, n, records, body) -> path.equals("/v1/logs") && n == 2 ? FakeOtlp.Answer.refuse(3, "quota exceeded for tenant")
                : path.equals("/v1/metrics") && n == 1 ? FakeOtlp.Answer.refuse(5, "out of order samples") : FakeOtlp.Answer.OK)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            var p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "GenerateMonitoring", "2000", "200",
                    "--duration", "10m", "--metrics", "both", "-o", dir.toString(), "--to", "otlp", "--otlp-url", otlp.url().toString(),
                    "--otlp-header", "Authorization=Bearer s3cret-token", "--otlp-header", "X-Tenant=team-a", "-q")
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(5, TimeUnit.MINUTES));
            System.out.print(text);
            assertEquals(1, p.exitValue(), text);
            assertTrue(text.contains("3 log records not delivered to OTLP (" + otlp.url() + "/v1/logs)"), text);
            assertTrue(text.contains("5 data points not delivered to OTLP (" + otlp.url() + "/v1/metrics)"), text);
            assertTrue(text.contains("server accepted the request but refused 3 record(s): quota exceeded for tenant"), text);
            assertTrue(text.contains("server accepted the request but refused 5 record(s): out of order samples"), text);
            assertTrue(text.contains("3 refused inside 2xx answers"), text);
            assertTrue(text.contains(", 8 not delivered"), "the headline counts both: " + text);
            assertTrue(text.contains("OTLP logs") && text.contains("OTLP traces") && text.contains("OTLP metrics"), "an otlp section per signal: " + text);
            assertFalse(text.contains("s3cret-token"), "header values are never printed");
            assertEquals(3, Set.copyOf(otlp.all.stream().map(FakeOtlp.Got::path).toList()).size(), "all three signals");
            for (var g : otlp.all) {
                assertEquals("Bearer s3cret-token", g.headers().getFirst("Authorization"), g.path());
                assertEquals("team-a", g.headers().getFirst("X-Tenant"), g.path());
            }
        }
    }

    @Test
    void headerFlagTakesNameEqualsValueOnly() {
        assertEquals(new StoreEndpoint.Header("Authorization", "Bearer a=b"), OtlpHttp.header("Authorization=Bearer a=b"));
        for (String bad : List.of("Authorization", "=x", "Bad Name=x", "X=a\nb")) {
            var e = assertThrows(IllegalArgumentException.class, () -> OtlpHttp.header(bad), bad);
            assertTrue(e.getMessage().startsWith("--otlp-header"), e.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> OtlpHttp.header("Authorization: Bearer tok3n"));
        assertFalse(e.getMessage().contains("tok3n"), "a wrong form does not echo a secret: " + e.getMessage());
    }
}
