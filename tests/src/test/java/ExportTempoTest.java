import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** export-tempo against an in-process OTLP/HTTP receiver decoding ExportTraceServiceRequest protobuf. */
class ExportTempoTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HexFormat HEX = HexFormat.of();

    /** A received span with its resource attributes. */
    record Got(Span span, Map<String, String> resource) {}

    static final class Received {
        final List<Got> spans = Collections.synchronizedList(new ArrayList<>());

        int decode(FakeStore.Request r) {
            assertEquals("application/x-protobuf", r.contentType());
            ExportTraceServiceRequest req;
            try {
                req = ExportTraceServiceRequest.parseFrom(r.body());
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError("not an ExportTraceServiceRequest: " + e.getMessage());
            }
            int n = 0;
            var releases = new HashSet<String>();
            for (ResourceSpans rs : req.getResourceSpansList()) {
                var res = attributes(rs.getResource().getAttributesList());
                assertTrue(releases.add(res.get("release_id")), "one ResourceSpans per release in a request");
                assertEquals(1, rs.getScopeSpansCount());
                assertEquals("qairon-kit", rs.getScopeSpans(0).getScope().getName());
                var seenTraces = new HashSet<String>();
                String current = null;
                for (Span s : rs.getScopeSpans(0).getSpansList()) {
                    String t = HEX.formatHex(s.getTraceId().toByteArray());
                    if (!t.equals(current)) {
                        assertTrue(seenTraces.add(t), "spans of a trace are together inside a resource");
                        current = t;
                    }
                    spans.add(new Got(s, res));
                    n++;
                }
            }
            return n;
        }
    }

    static Map<String, String> attributes(List<KeyValue> kvs) {
        var m = new TreeMap<String, String>();
        for (KeyValue kv : kvs) {
            AnyValue v = kv.getValue();
            String s = switch (v.getValueCase()) {
                case STRING_VALUE -> v.getStringValue();
                case BOOL_VALUE -> "bool:" + v.getBoolValue();
                case INT_VALUE -> "int:" + v.getIntValue();
                case DOUBLE_VALUE -> "double:" + v.getDoubleValue();
                default -> throw new AssertionError("unexpected attribute type " + v.getValueCase());
            };
            assertNull(m.put(kv.getKey(), s), "attribute keys are unique: " + kv.getKey());
        }
        return m;
    }

    static ImportRun.Result export(URI url, List<String> inputs, String... flags) {
        var out = new ByteArrayOutputStream();
        var r = new ImportRun<>("export-tempo", url, "spans", "logs_*.jsonl*", new LogSpan.Parser(), new OtlpTraceBody(), null)
                .execute(inputs, ImportTestData.options(flags), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        System.out.print(out.toString(StandardCharsets.UTF_8));
        return r;
    }

    static FakeStore tempo(Received got) {
        var store = new FakeStore("/v1/traces", "unused", got::decode, FakeStore.Faults.none());
        store.answer(ExportTraceServiceResponse.getDefaultInstance().toByteArray(), "application/x-protobuf");
        return store;
    }

    @Test
    void everyLineBecomesTheRightSpan() throws Exception {
        Path dir = KitLayout.testDir("export-tempo");
        var written = ImportTestData.write(dir, 21, 2, 40, 4, true, Instant.parse("2025-06-01T00:00:00Z"));
        // one line without duration_ms: the documented 1 ms fallback
        Path first = written.logFiles().get(0);
        var lines = new ArrayList<>(Files.readAllLines(first));
        String plain = lines.get(10).replaceFirst(", \"duration_ms\": [0-9.]+}$", "}");
        lines.set(10, plain);
        Files.write(first, lines);
        var logs = new ArrayList<>(written.logs());
        logs.set(logs.indexOf(written.logs().stream().filter(l -> l.startsWith(plain.substring(0, plain.length() - 1))).findFirst().orElseThrow()), plain);

        var got = new Received();
        try (var t = tempo(got)) {
            var r = export(t.url(), List.of(dir.toString()), "--checkpoint", dir.resolve("cp.tsv").toString(), "--quiet",
                    "--batch-size", "50", "--gzip", "always");
            assertEquals(0, r.exitCode());
            assertEquals("gzip", t.requests.get(0).contentEncoding());
        }
        var bySpan = new HashMap<String, Got>();
        for (Got g : got.spans) assertNull(bySpan.put(HEX.formatHex(g.span().getSpanId().toByteArray()), g), "span sent twice");
        assertEquals(logs.size(), bySpan.size());
        for (String line : logs) {
            Got g = bySpan.get(JSON.readTree(line).get("span_id").asText());
            assertNotNull(g, line);
            assertSpanOf(line, g);
        }
    }

    /** The span and resource export-tempo makes of one log line, field by field. */
    static void assertSpanOf(String line, Got g) throws Exception {
        JsonNode n = JSON.readTree(line);
        Span s = g.span();
        assertEquals(n.get("trace_id").asText(), HEX.formatHex(s.getTraceId().toByteArray()));
        assertEquals(n.get("parent_span_id").isNull() ? "" : n.get("parent_span_id").asText(), HEX.formatHex(s.getParentSpanId().toByteArray()));
        assertEquals(n.get("action").asText(), s.getName());
        Instant ts = Instant.parse(n.get("timestamp").asText());
        long start = ts.getEpochSecond() * 1_000_000_000L + ts.getNano();
        assertEquals(start, s.getStartTimeUnixNano(), "historical start kept to the microsecond");
        long dur = n.has("duration_ms") ? Math.round(n.get("duration_ms").asDouble() * 1e6) : 1_000_000L;
        assertEquals(start + dur, s.getEndTimeUnixNano());
        boolean deploy = "system".equals(n.get("user_id").asText());
        assertEquals(deploy ? Span.SpanKind.SPAN_KIND_INTERNAL : Span.SpanKind.SPAN_KIND_SERVER, s.getKind());
        boolean ok = n.get("success").asBoolean();
        assertEquals(ok ? Status.StatusCode.STATUS_CODE_OK : Status.StatusCode.STATUS_CODE_ERROR, s.getStatus().getCode());
        assertEquals(ok ? "" : n.get("error_message").asText(), s.getStatus().getMessage());
        var want = new TreeMap<String, String>();
        for (var e : n.properties()) {
            if (e.getValue().isNull() || List.of("timestamp", "trace_id", "span_id", "parent_span_id", "release_id", "service", "stack", "duration_ms").contains(e.getKey())) continue;
            want.put(e.getKey(), e.getValue().isBoolean() ? "bool:" + e.getValue().asBoolean() : e.getValue().asText());
        }
        if (!ok) want.put("error.type", n.get("error_type").asText());
        assertEquals(want, attributes(s.getAttributesList()), "span attributes of " + line);
        var res = new TreeMap<String, String>(ReleaseId.parse(n.get("release_id").asText()).tags());
        res.put("service.name", res.get("service_id"));
        res.put("service.namespace", res.get("stack_id"));
        res.put("service.version", res.get("release"));
        res.put("deployment.environment.name", res.get("environment"));
        assertEquals(res, g.resource());
    }

    @Test
    void spansTheReceiverRefusesCountAsNotDelivered() throws Exception {
        Path dir = KitLayout.testDir("export-tempo-partial");
        ImportTestData.write(dir, 22, 1, 5, 0, false, Instant.parse("2025-06-01T00:00:00Z"));
        var got = new Received();
        try (var t = tempo(got)) {
            t.answer(ExportTraceServiceResponse.newBuilder().setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(2).setErrorMessage("too old")).build().toByteArray(), "application/x-protobuf");
            var r = export(t.url(), List.of(dir.toString()), "--checkpoint", dir.resolve("cp.tsv").toString(), "--quiet");
            assertEquals(2, r.stats().rejected.sum());
            assertEquals(1, r.exitCode());
        }
    }

    @Test
    void badIdsAreBadLines() throws Exception {
        Path dir = KitLayout.testDir("export-tempo-bad");
        String ok = "{\"timestamp\": \"2026-09-25T16:42:17.330903Z\", \"level\": \"INFO\", \"service\": \"posts\", \"stack\": \"content\", \"action\": \"handle_add_reaction\", \"user_id\": \"user_b7b455674e31\", \"request_id\": \"0b782ff3c2704676bf6bb5f8b2146523\", \"success\": true, \"message\": \"handle_add_reaction completed successfully\", \"release_id\": \"prod:aws:111111111111:us-west-2:platform:eks:main:social:content:posts:default:263\", \"trace_id\": \"f9fc6aa809edc7ad7ea65a0ae21ecf18\", \"span_id\": \"76ace5732a74c565\", \"parent_span_id\": \"7f794d56e9cbacfb\", \"target_user_id\": null, \"object_type\": \"post\", \"object_id\": \"post_1cec20c7a7d7443a\", \"error_code\": null, \"error_message\": null, \"error_source\": null, \"error_type\": null, \"upstream_request_id\": null}";
        Files.writeString(dir.resolve("logs_0.jsonl"), ok + "\n" + ok.replace("76ace5732a74c565", "76ace57") + "\n"
                + ok.replace("default:263", "default") + "\n");
        var got = new Received();
        try (var t = tempo(got)) {
            var r = export(t.url(), List.of(dir.resolve("logs_0.jsonl").toString()), "--checkpoint", dir.resolve("cp.tsv").toString(), "--quiet");
            assertEquals(1, r.stats().acknowledged.sum());
            assertEquals(2, r.stats().bad.sum());
            assertEquals(1, r.exitCode());
            var r2 = export(t.url(), List.of(dir.resolve("logs_0.jsonl").toString()), "--checkpoint", dir.resolve("cp2.tsv").toString(), "--quiet", "--skip-bad");
            assertEquals(0, r2.exitCode());
        }
        assertEquals(2, got.spans.size());
    }
}
