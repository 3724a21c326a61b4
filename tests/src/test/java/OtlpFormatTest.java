import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * generate-monitoring --format otlp against a jsonl run with the same seed and flags. Every OTLP line is decoded
 * into the official opentelemetry-proto messages by a strict OTLP/JSON reader written here from the specification
 * (lowerCamelCase keys only, hex ids, integer enums, 64-bit integers as decimal strings; an unknown key fails), and
 * every record is compared with the jsonl line it comes from, field by field (protobuf equality of the whole message).
 */
class OtlpFormatTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}"), SPAN_ID = Pattern.compile("[0-9a-f]{16}"),
            UINT64 = Pattern.compile("0|[1-9][0-9]*"), INT64 = Pattern.compile("0|-?[1-9][0-9]*");
    private static final int FILES = 2;

    private static Path base, model, jsonl, otlp1, otlp3;

    @BeforeAll
    static void generate() {
        base = KitLayout.testDir("otlp-format");
        model = MonitoringTestData.hotModel(base.resolve("hot-model")); // incidents often: WARN and ERROR, failed spans
        jsonl = base.resolve("jsonl");
        otlp1 = base.resolve("otlp-w1");
        otlp3 = base.resolve("otlp-w3");
        run(jsonl, "jsonl", 2, "raw");
        run(otlp1, "otlp", 1, "raw");
        run(otlp3, "otlp", 3, "raw");
    }

    private static MonitoringGeneration.Report run(Path out, String format, int workers, String metrics) {
        var req = MonitoringGeneration.request(model, 2000L, 200, out, 11, workers, FILES, null, format, "extended", null,
                "2026-03-01", null, "2d", metrics, "15s");
        return MonitoringGeneration.run(req, true);
    }

    // ---------------------------------------------------------------- the properties

    @Test
    void everyLogLineIsExactlyOneLogRecordWithTheSameFields() {
        long deployment = 0, warn = 0, error = 0;
        for (int part = 0; part < FILES; part++) {
            var got = new HashMap<String, Decoded<LogRecord>>();
            for (var req : readLines(otlp1.resolve("logs_" + part + ".otlp.jsonl"), OtlpFormatTest::logs))
                for (ResourceLogs rl : req.getResourceLogsList()) {
                    assertEquals(1, rl.getScopeLogsCount(), "one scope per resource");
                    assertKitScope(rl.getScopeLogs(0).getScope());
                    assertTrue(rl.getScopeLogs(0).getLogRecordsCount() > 0, "no empty envelope");
                    for (LogRecord r : rl.getScopeLogs(0).getLogRecordsList())
                        assertNull(got.put(HEX.formatHex(r.getSpanId().toByteArray()), new Decoded<>(rl.getResource(), r)), "a log record twice");
                }
            List<JsonNode> lines = lines(jsonl.resolve("logs_" + part + ".jsonl"));
            assertEquals(lines.size(), got.size(), "logs_" + part + ": one record per line");
            for (JsonNode n : lines) {
                var d = got.get(n.get("span_id").asText());
                assertNotNull(d, () -> "no log record for " + n);
                LogRecord r = d.record();
                assertEquals(nanos(n.get("timestamp").asText()), r.getTimeUnixNano(), "timeUnixNano");
                assertEquals(n.get("level").asText(), r.getSeverityText(), "severityText");
                assertEquals(switch (n.get("level").asText()) { case "INFO" -> 9; case "WARN" -> 13; case "ERROR" -> 17; default -> -1; },
                        r.getSeverityNumberValue(), "severityNumber");
                assertEquals(n.get("message").asText(), r.getBody().getStringValue(), "body");
                assertEquals(n.get("trace_id").asText(), HEX.formatHex(r.getTraceId().toByteArray()), "traceId");
                assertEquals(n.get("span_id").asText(), HEX.formatHex(r.getSpanId().toByteArray()), "spanId");
                assertEquals(expectedAttributes(n, Set.of("timestamp", "level", "message", "trace_id", "span_id")), r.getAttributesList(),
                        "attributes: the other non-null fields, typed, in line order");
                assertEquals(0, r.getObservedTimeUnixNano());
                assertReleaseResource(n.get("release_id").asText(), d.resource());
                if (n.get("user_id").asText().equals("system")) deployment++;
                if (r.getSeverityNumberValue() == 13) warn++;
                if (r.getSeverityNumberValue() == 17) error++;
            }
        }
        assertTrue(deployment > 0, "deployment lines are log records too");
        assertTrue(warn > 0 && error > 0, "the hot model makes WARN and ERROR lines: " + warn + " / " + error);
    }

    @Test
    void everyRawMetricLineIsExactlyOneGaugePointWithTheSameValueTimeAndAttributes() {
        long exemplars = 0;
        for (int part = 0; part < FILES; part++) {
            var expected = new HashMap<Point, Integer>();
            for (JsonNode n : lines(jsonl.resolve("metrics_" + part + ".jsonl"))) {
                var p = NumberDataPoint.newBuilder().setTimeUnixNano(new BigDecimal(n.get("ts").asText()).movePointRight(9).longValueExact())
                        .setAsDouble(n.get("value").doubleValue());
                n.get("tags").properties().forEach(e -> {
                    if (!e.getKey().equals("trace_id")) p.addAttributes(string(e.getKey(), e.getValue().asText()));
                });
                if (n.get("tags").has("trace_id"))
                    p.addExemplars(Exemplar.newBuilder().setTimeUnixNano(p.getTimeUnixNano()).setAsDouble(p.getAsDouble())
                            .setTraceId(ByteString.copyFrom(HEX.parseHex(n.get("tags").get("trace_id").asText()))));
                expected.merge(new Point(n.get("tags").get("release_id").asText(), n.get("metric").asText(), p.build().toByteString()), 1, Integer::sum);
            }
            var got = new HashMap<Point, Integer>();
            for (var req : readLines(otlp1.resolve("metrics_" + part + ".otlp.jsonl"), OtlpFormatTest::metrics))
                for (ResourceMetrics rm : req.getResourceMetricsList()) {
                    assertEquals(1, rm.getScopeMetricsCount());
                    assertKitScope(rm.getScopeMetrics(0).getScope());
                    String release = attribute(rm.getResource(), "release_id");
                    assertReleaseResource(release, rm.getResource());
                    for (Metric m : rm.getScopeMetrics(0).getMetricsList()) {
                        assertTrue(m.hasGauge(), m.getName() + " is a gauge");
                        assertEquals(m.getName().contains("duration") ? "ms" : m.getName().endsWith("_bytes") ? "By" : "1", m.getUnit(), m.getName());
                        assertTrue(m.getGauge().getDataPointsCount() > 0, "no empty gauge");
                        for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
                            assertEquals(release, attribute(p.getAttributesList(), "release_id"), "a point sits under its release's resource");
                            exemplars += p.getExemplarsCount();
                            got.merge(new Point(release, m.getName(), p.toByteString()), 1, Integer::sum);
                        }
                    }
                }
            assertEquals(expected.values().stream().mapToInt(i -> i).sum(), got.values().stream().mapToInt(i -> i).sum(), "points in part " + part);
            assertEquals(expected, got, "every metric line of part " + part + " as exactly one point: time, value, tags, exemplar");
        }
        assertTrue(exemplars > 0, "trace ids of the raw lines became exemplars");
    }

    @Test
    void everyLogLineIsExactlyOneSpanAsExportTempoMapsIt() throws Exception {
        long children = 0, failed = 0, internal = 0;
        for (int part = 0; part < FILES; part++) {
            var got = new HashMap<String, Decoded<Span>>();
            for (var req : readLines(otlp1.resolve("traces_" + part + ".otlp.jsonl"), OtlpFormatTest::traces))
                for (ResourceSpans rs : req.getResourceSpansList()) {
                    assertEquals(1, rs.getScopeSpansCount());
                    assertKitScope(rs.getScopeSpans(0).getScope());
                    var spans = rs.getScopeSpans(0).getSpansList();
                    assertFalse(spans.isEmpty(), "no empty envelope");
                    for (int i = 1; i < spans.size(); i++)
                        assertTrue(OtlpTraceBody.BY_TRACE_THEN_START.compare(spans.get(i - 1), spans.get(i)) <= 0, "spans by trace, then start");
                    for (Span s : spans) assertNull(got.put(HEX.formatHex(s.getSpanId().toByteArray()), new Decoded<>(rs.getResource(), s)));
                }
            var parser = new LogSpan.Parser();
            List<JsonNode> lines = lines(jsonl.resolve("logs_" + part + ".jsonl"));
            assertEquals(lines.size(), got.size(), "traces_" + part + ": one span per log line");
            long number = 0;
            for (JsonNode n : lines) {
                var d = got.get(n.get("span_id").asText());
                assertNotNull(d, () -> "no span for " + n);
                Span s = d.record();
                LogSpan want = parser.parse(new JsonLinesReader.Line(jsonl.resolve("logs_" + part + ".jsonl"), ++number, n.toString()));
                assertEquals(want.span(), s, "the span export-tempo sends for this line");
                assertEquals(want.resource(), d.resource(), "its resource");
                assertEquals(n.get("parent_span_id").isNull() ? "" : n.get("parent_span_id").asText(), HEX.formatHex(s.getParentSpanId().toByteArray()),
                        "parent link");
                boolean ok = n.get("success").booleanValue();
                assertEquals(ok ? Status.StatusCode.STATUS_CODE_OK : Status.StatusCode.STATUS_CODE_ERROR, s.getStatus().getCode(), "status");
                if (!ok) assertEquals(n.get("error_message").asText(), s.getStatus().getMessage());
                assertEquals(nanos(n.get("timestamp").asText()), s.getStartTimeUnixNano());
                assertEquals(n.has("duration_ms") ? Math.round(n.get("duration_ms").doubleValue() * 1e6) : 1_000_000L,
                        s.getEndTimeUnixNano() - s.getStartTimeUnixNano(), "duration_ms, 1 ms for deployment lines");
                if (!n.get("parent_span_id").isNull()) children++;
                if (!ok) failed++;
                if (s.getKind() == Span.SpanKind.SPAN_KIND_INTERNAL) internal++;
            }
        }
        assertTrue(children > 0 && failed > 0 && internal > 0, "children " + children + ", failed " + failed + ", deployment " + internal);
    }

    @Test
    void idsAreLowercaseHexOf32And16Digits() {
        // the strict reader below asserts the form of every id; here every id field of every line is looked at once more, by name
        int ids = 0;
        for (Path f : otlpFiles(otlp1))
            for (String text : textLines(f)) {
                var m = Pattern.compile("\"(traceId|spanId|parentSpanId)\":\"([^\"]*)\"").matcher(text);
                while (m.find()) {
                    ids++;
                    assertTrue((m.group(1).equals("traceId") ? TRACE_ID : SPAN_ID).matcher(m.group(2)).matches(), m.group(1) + " " + m.group(2));
                }
            }
        assertTrue(ids > 10_000, ids + " ids seen");
    }

    @Test
    void sameBytesForOneAndThreeWorkers() throws IOException {
        var names = new ArrayList<String>();
        for (Path f : otlpFiles(otlp1)) names.add(f.getFileName().toString());
        assertEquals(3 * FILES, names.size(), names.toString());
        names.add("summary.json");
        names.add("incidents.json");
        for (String f : names) assertEquals(-1L, Files.mismatch(otlp1.resolve(f), otlp3.resolve(f)), f + " differs between 1 and 3 workers");
    }

    @Test
    void summarySaysOtlpAndListsTheOtlpFiles() throws IOException {
        JsonNode s = MonitoringTestData.JSON.readTree(otlp1.resolve("summary.json").toFile());
        JsonNode j = MonitoringTestData.JSON.readTree(jsonl.resolve("summary.json").toFile());
        assertEquals("otlp", s.at("/generator/format").asText());
        assertEquals("jsonl", j.at("/generator/format").asText());
        assertEquals(j.get("total_logs"), s.get("total_logs"));
        assertEquals(j.get("total_metrics"), s.get("total_metrics"));
        long records = 0, spans = 0, points = 0;
        for (int part = 0; part < FILES; part++) {
            JsonNode p = s.get("files").get(part);
            assertEquals("logs_" + part + ".otlp.jsonl", p.get("logs").asText());
            assertEquals("traces_" + part + ".otlp.jsonl", p.get("traces").asText());
            assertEquals("metrics_" + part + ".otlp.jsonl", p.get("metrics").asText());
            assertTrue(p.get("nativeMetrics").isNull());
            for (String kind : List.of("log", "trace", "metric")) {
                Path f = otlp1.resolve(p.get(kind.equals("log") ? "logs" : kind + "s").asText());
                assertEquals(Files.size(f), p.get(kind + "Bytes").asLong(), f + " bytes");
                assertEquals(textLines(f).size(), p.get(kind + "Lines").asLong(), f + " lines");
            }
            records += p.get("logRecords").asLong();
            spans += p.get("spans").asLong();
            points += p.get("dataPoints").asLong();
        }
        assertEquals(s.get("total_logs").asLong(), records);
        assertEquals(s.get("total_logs").asLong(), spans);
        assertEquals(s.get("total_metrics").asLong(), points);
        try (var list = Files.list(otlp1)) {
            assertEquals(List.of(), list.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".jsonl") && !n.endsWith(".otlp.jsonl")).toList(),
                    "no JSON-lines parts in an otlp run");
        }
    }

    @Test
    void linesStayUnderOneMebibyteAndAChunkIsOneLineWithoutTheLimit() throws IOException {
        for (Path f : otlpFiles(otlp1))
            for (String line : textLines(f)) assertTrue(line.length() + 1 <= OtlpJsonFiles.MAX_LINE_BYTES, f + ": a line of " + line.length());

        // the same run with no line limit: one line per chunk and file (part 0 opens with the deployment lines)
        Path unlimited = base.resolve("otlp-unlimited"), small = base.resolve("otlp-64k");
        GenerationPlan plan = plan(unlimited);
        try (var sink = new OtlpJsonFiles(unlimited, FILES, true, false, 2, Integer.MAX_VALUE)) {
            MonitoringRun.run(plan, sink, n -> {});
        }
        long chunks = plan.cfg.chunks();
        for (int part = 0; part < FILES; part++) {
            long mine = (chunks - part + FILES - 1) / FILES;
            assertEquals(mine + (part == 0 ? 1 : 0), textLines(unlimited.resolve("logs_" + part + ".otlp.jsonl")).size(), "logs_" + part);
            assertEquals(mine + (part == 0 ? 1 : 0), textLines(unlimited.resolve("traces_" + part + ".otlp.jsonl")).size(), "traces_" + part);
            assertEquals(mine, textLines(unlimited.resolve("metrics_" + part + ".otlp.jsonl")).size(), "metrics_" + part);
        }
        // and cut at 64 KiB: more lines, none longer, the same records in the same order
        try (var sink = new OtlpJsonFiles(small, FILES, true, false, 2, 64 * 1024)) {
            MonitoringRun.run(plan(small), sink, n -> {});
        }
        for (Path f : otlpFiles(unlimited)) {
            Path cut = small.resolve(f.getFileName());
            var lines = textLines(cut);
            assertTrue(lines.size() > textLines(f).size(), cut + " has more lines");
            for (String l : lines) assertTrue(l.length() + 1 <= 64 * 1024, cut + ": a line of " + l.length());
            assertEquals(flatRecords(f), flatRecords(cut), cut + " holds the same records");
            assertEquals(flatRecords(f), flatRecords(otlp1.resolve(f.getFileName())), "the 1 MiB cut too");
        }
    }

    @Test
    void nativeMetricsStayJsonLinesInOtlpFormat() throws IOException {
        Path nat = base.resolve("native-jsonl"), natOtlp = base.resolve("native-otlp");
        run(nat, "jsonl", 2, "both");
        var report = run(natOtlp, "otlp", 2, "both");
        for (int part = 0; part < FILES; part++) {
            String f = "native_metrics_" + part + ".jsonl";
            assertEquals(-1L, Files.mismatch(nat.resolve(f), natOtlp.resolve(f)), f + " is the same in both formats");
            assertTrue(Files.size(natOtlp.resolve("metrics_" + part + ".otlp.jsonl")) > 0, "raw metrics as OTLP beside them");
            assertEquals(f, report.otlpFiles().get(part).nativeMetrics());
            assertEquals(textLines(natOtlp.resolve(f)).size(), report.otlpFiles().get(part).nativeLines());
        }
        assertEquals(-1L, Files.mismatch(nat.resolve("native_exemplars.txt"), natOtlp.resolve("native_exemplars.txt")));
        var out = new java.io.ByteArrayOutputStream();
        report.print(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(out.toString(java.nio.charset.StandardCharsets.UTF_8).contains("native metrics stay VictoriaMetrics import lines"), out.toString());
    }

    @Test
    void aRunInOneFormatRemovesTheOtherFormatsParts() throws IOException {
        Path dir = base.resolve("switch");
        var small = (java.util.function.Consumer<String>) format -> MonitoringGeneration.run(MonitoringGeneration.request(model, 300L, 30, dir, 11, 1,
                FILES, null, format, "seed", null, "2026-03-01", null, "1d"), true);
        small.accept("jsonl");
        small.accept("otlp");
        assertFalse(Files.exists(dir.resolve("logs_0.jsonl")));
        assertFalse(Files.exists(dir.resolve("metrics_1.jsonl")));
        assertTrue(Files.exists(dir.resolve("logs_0.otlp.jsonl")));
        small.accept("jsonl");
        assertTrue(Files.exists(dir.resolve("logs_0.jsonl")));
        for (String f : List.of("logs_0.otlp.jsonl", "traces_1.otlp.jsonl", "metrics_0.otlp.jsonl")) assertFalse(Files.exists(dir.resolve(f)), f);
    }

    @Test
    void importersTakeJsonLinesOnlyFromDirectoriesAndGlobs() throws IOException {
        Path dir = base.resolve("mixed");
        Files.createDirectories(dir);
        for (String f : List.of("logs_0.jsonl", "logs_0.otlp.jsonl", "logs_1.otlp.jsonl.gz")) Files.write(dir.resolve(f), new byte[0]);
        assertEquals(List.of(dir.resolve("logs_0.jsonl")), InputFiles.expand(List.of(dir.toString()), "logs_*.jsonl*"));
        assertEquals(List.of(dir.resolve("logs_0.jsonl")), InputFiles.expand(List.of(dir + "/logs_*.jsonl*"), "logs_*.jsonl*"));
    }

    @Test
    void formatFlagTakesJsonlAndOtlpOnly() {
        var e = assertThrows(IllegalArgumentException.class, () -> MonitoringGeneration.request(model, 10L, 10, base.resolve("x"), 1, 1, 1, null,
                "xml", "seed", null, "2026-03-01", null, "1d"));
        assertEquals("--format must be jsonl or otlp, got \"xml\"", e.getMessage());
        assertTrue(MonitoringGeneration.request(model, 10L, 10, base.resolve("x"), 1, 1, 1, null, "OTLP", "seed", null, "2026-03-01", null, "1d").otlp());
        assertFalse(MonitoringGeneration.request(model, 10L, 10, base.resolve("x"), 1, 1, 1, null, "jsonl", "seed", null, "2026-03-01", null, "1d").otlp());
    }

    // ---------------------------------------------------------------- expectations built from the jsonl lines

    private record Decoded<T>(Resource resource, T record) {}

    /** A data point under its release and metric name; the point as its protobuf bytes (equal bytes, equal fields), which hash fast. */
    private record Point(String release, String metric, ByteString point) {}

    private static GenerationPlan plan(Path out) {
        var r = MonitoringGeneration.request(model, 2000L, 200, out, 11, 2, FILES, null, "otlp", "extended", null, "2026-03-01", null, "2d");
        var cfg = new GenerateConfig(r.modelDir(), r.seed(), r.roots(), r.users(), r.startMicros(), r.endMicros(), r.workers(), r.files(), out,
                r.extendedLogs(), r.schedule(), r.scenario(), GenerateConfig.DEFAULT_CHUNK_ROOTS, true, false, r.scrapeMillis());
        return new GenerationPlan(PlatformModel.load(model), cfg);
    }

    private static List<KeyValue> expectedAttributes(JsonNode n, Set<String> not) {
        var out = new ArrayList<KeyValue>();
        n.properties().forEach(e -> {
            JsonNode v = e.getValue();
            if (v.isNull() || not.contains(e.getKey())) return;
            var a = AnyValue.newBuilder();
            if (v.isBoolean()) a.setBoolValue(v.booleanValue());
            else if (v.isIntegralNumber()) a.setIntValue(v.longValue());
            else if (v.isNumber()) a.setDoubleValue(v.doubleValue());
            else a.setStringValue(v.asText());
            out.add(KeyValue.newBuilder().setKey(e.getKey()).setValue(a).build());
        });
        return out;
    }

    /** The resource of a release: service.name = service_id, service.version = the release number, and the 20 release tags. */
    private static void assertReleaseResource(String releaseId, Resource r) {
        ReleaseId id = ReleaseId.parse(releaseId);
        assertEquals(id.serviceId(), attribute(r, "service.name"));
        assertEquals(id.stackId(), attribute(r, "service.namespace"));
        assertEquals(id.release(), attribute(r, "service.version"));
        assertEquals(id.environment(), attribute(r, "deployment.environment.name"));
        id.tags().forEach((k, v) -> assertEquals(v, attribute(r, k), k));
        assertEquals(4 + 20, r.getAttributesCount());
    }

    private static void assertKitScope(InstrumentationScope s) {
        assertEquals("qairon-kit", s.getName());
        assertEquals(KitVersion.VERSION, s.getVersion());
    }

    private static String attribute(Resource r, String key) { return attribute(r.getAttributesList(), key); }

    private static String attribute(List<KeyValue> list, String key) {
        for (KeyValue kv : list) if (kv.getKey().equals(key)) return kv.getValue().getStringValue();
        return null;
    }

    private static long nanos(String iso) {
        Instant t = Instant.parse(iso);
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static KeyValue string(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    /** Every record of a file in file order, each with its resource (what a cut of the lines must keep), as protobuf bytes (also the form OtlpTargetTest compares what a receiver got in). */
    static List<ByteString> flatRecords(Path f) {
        var out = new ArrayList<ByteString>();
        String name = f.getFileName().toString();
        if (name.startsWith("logs"))
            for (var req : readLines(f, OtlpFormatTest::logs))
                for (var rl : req.getResourceLogsList()) for (var r : rl.getScopeLogs(0).getLogRecordsList()) out.add(rl.getResource().toByteString().concat(r.toByteString()));
        else if (name.startsWith("traces"))
            for (var req : readLines(f, OtlpFormatTest::traces))
                for (var rs : req.getResourceSpansList()) for (var s : rs.getScopeSpans(0).getSpansList()) out.add(rs.getResource().toByteString().concat(s.toByteString()));
        else
            for (var req : readLines(f, OtlpFormatTest::metrics))
                for (var rm : req.getResourceMetricsList())
                    for (var m : rm.getScopeMetrics(0).getMetricsList())
                        for (var p : m.getGauge().getDataPointsList())
                            out.add(rm.getResource().toByteString().concat(ByteString.copyFromUtf8(m.getName() + "/" + m.getUnit())).concat(p.toByteString()));
        return out;
    }

    private static List<JsonNode> lines(Path f) {
        var out = new ArrayList<JsonNode>();
        MonitoringTestData.eachLine(f, out::add);
        return out;
    }

    private static List<String> textLines(Path f) {
        try {
            return Files.readAllLines(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> otlpFiles(Path dir) {
        try (var list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().endsWith(".otlp.jsonl")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> List<T> readLines(Path f, java.util.function.Function<JsonNode, T> decode) {
        var out = new ArrayList<T>();
        for (String line : textLines(f)) {
            try {
                out.add(decode.apply(MonitoringTestData.JSON.readTree(line)));
            } catch (IOException e) {
                throw new UncheckedIOException(f + ": a line is not JSON", e);
            }
        }
        assertFalse(out.isEmpty(), f + " is empty");
        return out;
    }

    // ---------------------------------------------------------------- a strict OTLP/JSON reader into the official messages

    private static ExportLogsServiceRequest logs(JsonNode root) {
        keys(root, "resourceLogs");
        var req = ExportLogsServiceRequest.newBuilder();
        for (JsonNode rl : array(root, "resourceLogs")) {
            keys(rl, "resource", "scopeLogs", "schemaUrl");
            var b = ResourceLogs.newBuilder().setResource(resource(rl.get("resource")));
            for (JsonNode sl : array(rl, "scopeLogs")) {
                keys(sl, "scope", "logRecords", "schemaUrl");
                var s = ScopeLogs.newBuilder().setScope(scope(sl.get("scope")));
                for (JsonNode r : array(sl, "logRecords")) s.addLogRecords(logRecord(r));
                b.addScopeLogs(s);
            }
            req.addResourceLogs(b);
        }
        return req.build();
    }

    private static ExportTraceServiceRequest traces(JsonNode root) {
        keys(root, "resourceSpans");
        var req = ExportTraceServiceRequest.newBuilder();
        for (JsonNode rs : array(root, "resourceSpans")) {
            keys(rs, "resource", "scopeSpans", "schemaUrl");
            var b = ResourceSpans.newBuilder().setResource(resource(rs.get("resource")));
            for (JsonNode ss : array(rs, "scopeSpans")) {
                keys(ss, "scope", "spans", "schemaUrl");
                var s = ScopeSpans.newBuilder().setScope(scope(ss.get("scope")));
                for (JsonNode sp : array(ss, "spans")) s.addSpans(span(sp));
                b.addScopeSpans(s);
            }
            req.addResourceSpans(b);
        }
        return req.build();
    }

    private static ExportMetricsServiceRequest metrics(JsonNode root) {
        keys(root, "resourceMetrics");
        var req = ExportMetricsServiceRequest.newBuilder();
        for (JsonNode rm : array(root, "resourceMetrics")) {
            keys(rm, "resource", "scopeMetrics", "schemaUrl");
            var b = ResourceMetrics.newBuilder().setResource(resource(rm.get("resource")));
            for (JsonNode sm : array(rm, "scopeMetrics")) {
                keys(sm, "scope", "metrics", "schemaUrl");
                var s = ScopeMetrics.newBuilder().setScope(scope(sm.get("scope")));
                for (JsonNode m : array(sm, "metrics")) {
                    keys(m, "name", "description", "unit", "gauge");
                    assertTrue(m.has("gauge"), () -> "every metric is a gauge: " + m.get("name"));
                    keys(m.get("gauge"), "dataPoints");
                    var g = Gauge.newBuilder();
                    for (JsonNode p : array(m.get("gauge"), "dataPoints")) g.addDataPoints(dataPoint(p));
                    s.addMetrics(Metric.newBuilder().setName(text(m, "name")).setUnit(m.has("unit") ? text(m, "unit") : "")
                            .setDescription(m.has("description") ? text(m, "description") : "").setGauge(g));
                }
                b.addScopeMetrics(s);
            }
            req.addResourceMetrics(b);
        }
        return req.build();
    }

    private static Resource resource(JsonNode n) {
        assertNotNull(n, "no resource");
        keys(n, "attributes", "droppedAttributesCount");
        return Resource.newBuilder().addAllAttributes(keyValues(n.get("attributes"))).setDroppedAttributesCount(count(n, "droppedAttributesCount")).build();
    }

    private static InstrumentationScope scope(JsonNode n) {
        assertNotNull(n, "no scope");
        keys(n, "name", "version", "attributes", "droppedAttributesCount");
        return InstrumentationScope.newBuilder().setName(text(n, "name")).setVersion(text(n, "version"))
                .addAllAttributes(keyValues(n.get("attributes"))).setDroppedAttributesCount(count(n, "droppedAttributesCount")).build();
    }

    private static LogRecord logRecord(JsonNode n) {
        keys(n, "timeUnixNano", "observedTimeUnixNano", "severityNumber", "severityText", "body", "attributes", "droppedAttributesCount",
                "flags", "traceId", "spanId", "eventName");
        var b = LogRecord.newBuilder().setTimeUnixNano(uint64(n, "timeUnixNano"));
        if (n.has("observedTimeUnixNano")) b.setObservedTimeUnixNano(uint64(n, "observedTimeUnixNano"));
        if (n.has("severityNumber")) b.setSeverityNumberValue(integer(n, "severityNumber"));
        if (n.has("severityText")) b.setSeverityText(text(n, "severityText"));
        if (n.has("body")) b.setBody(anyValue(n.get("body")));
        b.addAllAttributes(keyValues(n.get("attributes")));
        if (n.has("traceId")) b.setTraceId(id(n, "traceId", TRACE_ID));
        if (n.has("spanId")) b.setSpanId(id(n, "spanId", SPAN_ID));
        if (n.has("eventName")) b.setEventName(text(n, "eventName"));
        return b.setDroppedAttributesCount(count(n, "droppedAttributesCount")).setFlags(count(n, "flags")).build();
    }

    private static Span span(JsonNode n) {
        keys(n, "traceId", "spanId", "parentSpanId", "traceState", "flags", "name", "kind", "startTimeUnixNano", "endTimeUnixNano",
                "attributes", "droppedAttributesCount", "events", "droppedEventsCount", "links", "droppedLinksCount", "status");
        var b = Span.newBuilder().setTraceId(id(n, "traceId", TRACE_ID)).setSpanId(id(n, "spanId", SPAN_ID)).setName(text(n, "name"))
                .setKindValue(integer(n, "kind")).setStartTimeUnixNano(uint64(n, "startTimeUnixNano"))
                .setEndTimeUnixNano(uint64(n, "endTimeUnixNano")).addAllAttributes(keyValues(n.get("attributes")));
        if (n.has("parentSpanId")) b.setParentSpanId(id(n, "parentSpanId", SPAN_ID));
        if (n.has("traceState")) b.setTraceState(text(n, "traceState"));
        assertFalse(n.has("events") || n.has("links"), "the kit's spans have no events or links");
        b.setFlags(count(n, "flags")).setDroppedAttributesCount(count(n, "droppedAttributesCount"))
                .setDroppedEventsCount(count(n, "droppedEventsCount")).setDroppedLinksCount(count(n, "droppedLinksCount"));
        if (n.has("status")) {
            JsonNode s = n.get("status");
            keys(s, "message", "code");
            var st = Status.newBuilder();
            if (s.has("message")) st.setMessage(text(s, "message"));
            if (s.has("code")) st.setCodeValue(integer(s, "code"));
            b.setStatus(st);
        }
        return b.build();
    }

    private static NumberDataPoint dataPoint(JsonNode n) {
        keys(n, "attributes", "startTimeUnixNano", "timeUnixNano", "asDouble", "asInt", "exemplars", "flags");
        var b = NumberDataPoint.newBuilder().addAllAttributes(keyValues(n.get("attributes"))).setTimeUnixNano(uint64(n, "timeUnixNano"))
                .setAsDouble(number(n, "asDouble")).setFlags(count(n, "flags"));
        assertFalse(n.has("asInt"), "raw values are doubles");
        if (n.has("startTimeUnixNano")) b.setStartTimeUnixNano(uint64(n, "startTimeUnixNano"));
        if (n.has("exemplars"))
            for (JsonNode x : array(n, "exemplars")) {
                keys(x, "filteredAttributes", "timeUnixNano", "asDouble", "asInt", "spanId", "traceId");
                var e = Exemplar.newBuilder().setTimeUnixNano(uint64(x, "timeUnixNano")).setAsDouble(number(x, "asDouble"))
                        .setTraceId(id(x, "traceId", TRACE_ID)).addAllFilteredAttributes(keyValues(x.get("filteredAttributes")));
                if (x.has("spanId")) e.setSpanId(id(x, "spanId", SPAN_ID));
                b.addExemplars(e);
            }
        return b.build();
    }

    private static List<KeyValue> keyValues(JsonNode array) {
        var out = new ArrayList<KeyValue>();
        if (array == null) return out;
        assertTrue(array.isArray(), "attributes are an array");
        for (JsonNode kv : array) {
            keys(kv, "key", "value");
            out.add(KeyValue.newBuilder().setKey(text(kv, "key")).setValue(anyValue(kv.get("value"))).build());
        }
        return out;
    }

    private static AnyValue anyValue(JsonNode n) {
        assertNotNull(n, "no value");
        keys(n, "stringValue", "boolValue", "intValue", "doubleValue", "arrayValue", "kvlistValue", "bytesValue");
        assertEquals(1, n.size(), () -> "one value kind: " + n);
        var b = AnyValue.newBuilder();
        if (n.has("stringValue")) b.setStringValue(text(n, "stringValue"));
        else if (n.has("boolValue")) {
            assertTrue(n.get("boolValue").isBoolean());
            b.setBoolValue(n.get("boolValue").booleanValue());
        } else if (n.has("intValue")) {
            assertTrue(n.get("intValue").isTextual() && INT64.matcher(n.get("intValue").asText()).matches(), () -> "intValue is a decimal string: " + n);
            b.setIntValue(Long.parseLong(n.get("intValue").asText()));
        } else if (n.has("doubleValue")) b.setDoubleValue(number(n, "doubleValue"));
        else if (n.has("arrayValue")) {
            var a = ArrayValue.newBuilder();
            for (JsonNode e : n.get("arrayValue").get("values")) a.addValues(anyValue(e));
            b.setArrayValue(a);
        } else if (n.has("kvlistValue")) b.setKvlistValue(KeyValueList.newBuilder().addAllValues(keyValues(n.get("kvlistValue").get("values"))));
        else fail("bytesValue is not written by the kit: " + n);
        return b.build();
    }

    /** Every key of {@code n} is one of {@code allowed}: the lowerCamelCase names of the message's fields. */
    private static void keys(JsonNode n, String... allowed) {
        assertTrue(n.isObject(), () -> "an object: " + n);
        var ok = Set.of(allowed);
        n.fieldNames().forEachRemaining(k -> assertTrue(ok.contains(k), () -> "unknown key \"" + k + "\" (allowed " + ok + ")"));
    }

    private static List<JsonNode> array(JsonNode n, String field) {
        JsonNode a = n.get(field);
        assertNotNull(a, () -> "no " + field);
        assertTrue(a.isArray() && !a.isEmpty(), () -> field + " is a non-empty array");
        var out = new ArrayList<JsonNode>();
        a.forEach(out::add);
        return out;
    }

    private static String text(JsonNode n, String field) {
        assertTrue(n.path(field).isTextual(), () -> field + " is a string: " + n);
        return n.get(field).asText();
    }

    private static long uint64(JsonNode n, String field) {
        JsonNode v = n.get(field);
        assertTrue(v != null && v.isTextual() && UINT64.matcher(v.asText()).matches(), () -> field + " is a decimal string: " + v);
        return Long.parseUnsignedLong(v.asText());
    }

    private static int integer(JsonNode n, String field) {
        assertTrue(n.path(field).isInt(), () -> field + " is an integer (OTLP enums are numbers): " + n.get(field));
        return n.get(field).intValue();
    }

    /** An optional 32-bit count or flags field: a number, 0 when absent. */
    private static int count(JsonNode n, String field) {
        if (!n.has(field)) return 0;
        return integer(n, field);
    }

    private static double number(JsonNode n, String field) {
        assertTrue(n.path(field).isNumber(), () -> field + " is a number: " + n.get(field));
        return n.get(field).doubleValue();
    }

    private static ByteString id(JsonNode n, String field, Pattern form) {
        String s = text(n, field);
        assertTrue(form.matcher(s).matches(), () -> field + " is lowercase hex of the right length: " + s);
        return ByteString.copyFrom(HEX.parseHex(s));
    }
}
