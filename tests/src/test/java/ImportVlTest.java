import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** import-vl against an in-process /insert/jsonline that decodes the real wire format and checks every field. */
class ImportVlTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Decodes JSON-lines bodies into field maps; checks the query arguments VictoriaLogs reads. */
    static final class Received {
        final List<Map<String, String>> records = Collections.synchronizedList(new ArrayList<>());
        final List<String> dropMarkers = new ArrayList<>();

        int decode(FakeStore.Request r) {
            Map<String, String> q = new HashMap<>();
            for (String kv : r.query().split("&")) {
                String[] p = kv.split("=", 2);
                q.put(p[0], URLDecoder.decode(p[1], StandardCharsets.UTF_8));
            }
            assertEquals("message", q.get("_msg_field"));
            assertEquals("timestamp", q.get("_time_field"));
            assertEquals("environment,region,stack,service,deployment_id", q.get("_stream_fields"));
            int stored = 0;
            for (String line : new String(r.body(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isEmpty()) continue;
                try {
                    JsonNode n = JSON.readTree(line);
                    var m = new TreeMap<String, String>();
                    n.fields().forEachRemaining(e -> {
                        assertTrue(e.getValue().isTextual(), "field " + e.getKey() + " is sent as a string");
                        m.put(e.getKey(), e.getValue().asText());
                    });
                    if (dropMarkers.stream().anyMatch(line::contains)) continue; // silently skipped, like an unparsable line
                    records.add(m);
                    stored++;
                } catch (java.io.IOException e) {
                    throw new AssertionError("not JSON: " + line);
                }
            }
            return stored;
        }
    }

    /** What VictoriaLogs should hold for one generated line: every non-null field as a string plus the 20 tags. */
    static Map<String, String> expected(String logLine) throws Exception {
        JsonNode n = JSON.readTree(logLine);
        var m = new TreeMap<String, String>();
        n.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) m.put(e.getKey(), e.getValue().asText());
        });
        m.putAll(ReleaseId.parse(n.get("release_id").asText()).tags());
        return m;
    }

    static ImportRun.Result importVl(URI url, List<String> inputs, String... flags) {
        var out = new ByteArrayOutputStream();
        var run = new ImportRun<>("import-vl", url, "logs", "logs_*.jsonl*", new VlJsonLine(), VlJsonLine.format(), VlJsonLine.counters(url));
        var r = run.execute(inputs, ImportTestData.options(flags), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        System.out.print(out.toString(StandardCharsets.UTF_8));
        return r;
    }

    @Test
    void everyLogArrivesFieldByFieldGzippedAndBatched() throws Exception {
        Path dir = KitLayout.testDir("import-vl");
        var written = ImportTestData.write(dir, 11, 3, 40, 5, true, Instant.parse("2026-06-01T00:00:00Z"));
        var got = new Received();
        try (var vl = new FakeStore("/insert/jsonline", "vl_rows_ingested_total{type=\"jsonline\"}", got::decode, FakeStore.Faults.none())) {
            var r = importVl(vl.url(), List.of(dir + "/logs_*.jsonl*"), "--checkpoint", dir.resolve("cp.tsv").toString(),
                    "--gzip", "always", "--batch-size", "37", "--quiet");
            assertEquals(0, r.exitCode());
            assertEquals(written.logs().size(), r.stats().acknowledged.sum());
            assertTrue(vl.requests.stream().allMatch(q -> "gzip".equals(q.contentEncoding())), "gzip bodies");
            assertTrue(vl.requests.stream().allMatch(q -> q.body().length > 0 && new String(q.body(), StandardCharsets.UTF_8).split("\n").length <= 37));
        }
        var want = new ArrayList<Map<String, String>>();
        for (String l : written.logs()) want.add(expected(l));
        var have = new ArrayList<>(got.records);
        var byId = new HashMap<String, Map<String, String>>();
        for (var m : have) assertNull(byId.put(m.get("request_id") + "/" + m.get("span_id"), m), "sent twice: " + m);
        assertEquals(want.size(), have.size());
        for (var w : want) assertEquals(w, byId.get(w.get("request_id") + "/" + w.get("span_id")));
    }

    @Test
    void factsExampleCarriesTheSeedNames() throws Exception {
        Path dir = KitLayout.testDir("import-vl-facts");
        String line = "{\"timestamp\": \"2026-09-25T16:42:17.330903Z\", \"level\": \"ERROR\", \"service\": \"reactions\", \"stack\": \"content\", \"action\": \"add_reaction\", \"user_id\": \"user_b7b455674e31\", \"request_id\": \"89576a6ae61947fba3cf72a2c915752c\", \"success\": false, \"message\": \"add_reaction failed: Internal server error\", \"release_id\": \"prod:aws:111111111111:us-east-1:platform:eks:main:social:content:reactions:default:225\", \"trace_id\": \"f9fc6aa809edc7ad7ea65a0ae21ecf18\", \"span_id\": \"7f794d56e9cbacfb\", \"parent_span_id\": null, \"target_user_id\": null, \"object_type\": \"post\", \"object_id\": \"post_1cec20c7a7d7443a\", \"error_code\": \"500\", \"error_message\": \"Internal server error\", \"error_source\": \"self\", \"error_type\": \"server\", \"upstream_request_id\": null}";
        Files.writeString(dir.resolve("logs_0.jsonl"), line + "\n");
        var got = new Received();
        try (var vl = new FakeStore("/insert/jsonline", "vl_rows_ingested_total{type=\"jsonline\"}", got::decode, FakeStore.Faults.none())) {
            assertEquals(0, importVl(vl.url(), List.of(dir.toString()), "--checkpoint", dir.resolve("cp.tsv").toString(), "--quiet").exitCode());
            assertNull(vl.requests.get(0).contentEncoding(), "no gzip on loopback by default");
        }
        var m = got.records.get(0);
        assertEquals("add_reaction failed: Internal server error", m.get("message"));
        assertEquals("2026-09-25T16:42:17.330903Z", m.get("timestamp"));
        assertEquals("false", m.get("success"));
        assertEquals("500", m.get("error_code"));
        assertEquals("social:content:reactions", m.get("service_id"));
        assertEquals("prod:aws:111111111111:us-east-1:platform:eks:main:social:content:reactions:default", m.get("deployment_id"));
        assertEquals("us-east-1", m.get("region"));
        assertEquals("225", m.get("release"));
        assertFalse(m.containsKey("parent_span_id"), "nulls are not sent");
        assertEquals(21 - 3 + 20 - 3, m.size(), m.toString()); // 18 non-null fields, 20 tags, 3 shared (service, stack, release_id)
    }

    @Test
    void linesTheServerSkipsSilentlyAreReportedUndelivered() throws Exception {
        Path dir = KitLayout.testDir("import-vl-silent");
        var written = ImportTestData.write(dir, 12, 1, 30, 0, false, Instant.parse("2026-06-01T00:00:00Z"));
        var got = new Received();
        String victim = JSON.readTree(written.logs().get(7)).get("request_id").asText();
        got.dropMarkers.add(victim);
        try (var vl = new FakeStore("/insert/jsonline", "vl_rows_ingested_total{type=\"jsonline\"}", got::decode, FakeStore.Faults.none())) {
            var r = importVl(vl.url(), List.of(dir.toString()), "--checkpoint", dir.resolve("cp.tsv").toString(), "--quiet");
            assertEquals(written.logs().size(), r.stats().acknowledged.sum(), "the server answered 2xx for all");
            assertEquals(1, r.undeliveredByServer());
            assertEquals(1, r.exitCode());
        }
    }
}
