import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code dashboards --check-queries}: every panel query runs as Grafana would send it. Metric panels against a real
 * VictoriaMetrics holding a generated hour of native metrics; VictoriaLogs and Tempo played by servers that record
 * each request and answer as the real APIs do (series, nothing, or an error), so the report is checked exactly.
 */
class DashboardQueryCheckTest {
    static Path dir;
    static VictoriaMetricsProcess vm;
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @BeforeAll
    static void generateAndImport() throws Exception {
        dir = KitLayout.testDir("dashboard-queries");
        Path data = dir.resolve("data");
        var req = MonitoringGeneration.request(MonitoringTestData.MODEL, 3_000L, 300, data, 5, 2, 1, null, "jsonl", "extended", null,
                "2026-06-01", null, "1h", "native", "15s");
        MonitoringGeneration.run(req, true);
        vm = VictoriaMetricsProcess.start(dir.resolve("vm"));
        AlertRulesTest.importNative(vm, data);
        // the overview's recorded panels read what vmalert records; replayed as the pipeline's recording step does
        var replay = CommandRun.of(new ReplayRules(), "--vm-url", vm.url().toString(), "--log", dir.resolve("vmalert.log").toString(), "-q");
        assertEquals(0, replay.code(), replay.out() + "\n" + replay.err());
        vm.flush();
    }

    @AfterAll
    static void stop() {
        if (vm != null) vm.close();
    }

    /** A store that records every request (path and decoded query) and answers by path. */
    static final class RecordingStore implements AutoCloseable {
        final List<String> paths = Collections.synchronizedList(new ArrayList<>());
        final List<Map<String, String>> params = Collections.synchronizedList(new ArrayList<>());
        final HttpServer server;

        RecordingStore(Map<String, String[]> answers) throws Exception {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", ex -> {
                String path = ex.getRequestURI().getPath();
                var p = new LinkedHashMap<String, String>();
                String raw = ex.getRequestURI().getRawQuery();
                if (raw != null) {
                    for (String kv : raw.split("&")) {
                        int eq = kv.indexOf('=');
                        p.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                }
                paths.add(path);
                params.add(p);
                String[] answer = answers.entrySet().stream().filter(e -> path.endsWith(e.getKey())).map(Map.Entry::getValue).findFirst()
                        .orElse(new String[] {"404", "not found"});
                byte[] b = answer[1].getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(Integer.parseInt(answer[0]), b.length);
                ex.getResponseBody().write(b);
                ex.close();
            });
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    record Run(int exitCode, String output) {}

    static Run check(URI vl, URI tempo, String... extra) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var stdout = System.out;
        var args = new ArrayList<>(List.of("--check-queries", "--vm-url", vm.url().toString(), "--vl-url", vl.toString(), "--tempo-url", tempo.toString(),
                "--now", NOW.toString()));
        args.addAll(List.of(extra));
        int rc;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            var cl = new CommandLine(new Dashboards());
            cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
            rc = cl.execute(args.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
        }
        return new Run(rc, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }

    static final String SERIES = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[[1,\"1\"]]}]}}";
    static final String NONE = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}";

    @Test
    void everyPanelRunsWithVariablesResolvedAndGrafanasStepAndProblemsAreCounted() throws Exception {
        try (var vl = new RecordingStore(Map.of(
                "/select/logsql/stats_query_range", new String[] {"200", SERIES},
                "/select/logsql/stats_query", new String[] {"200", NONE},
                "/select/logsql/query", new String[] {"400", "cannot parse query"}));
             var tempo = new RecordingStore(Map.of("/api/search", new String[] {"200", "{\"traces\":[{\"traceID\":\"ab\"}]}"}))) {
            var run = check(vl.url(), tempo.url(), "--from", "now-1h", "--to", "now");
            String out = run.output();
            assertEquals(1, run.exitCode(), "the VictoriaLogs errors must fail the check:\n" + out);

            // the hour of native metrics answers every metric panel: none may fail or come back empty
            for (String line : out.lines().toList()) {
                if (line.contains(" VM ")) assertTrue(line.strip().startsWith("OK") || line.strip().startsWith("SLOW"), "metric panel not answered: " + line + "\n" + out);
            }
            // variables: All (allValue .*) where offered, else the first value VictoriaMetrics knows, sorted
            assertTrue(out.contains("environment=All"), out);
            assertTrue(out.contains("service=") && !out.contains("service=(none)"), out);

            // VictoriaLogs got the resolved text and Grafana's step: an hour at 1000 points (3.6 s rounds to 5s steps), or the
            // panel's minimum interval (1m) where it sets one
            var steps = new java.util.TreeSet<String>();
            int stats = -1;
            for (int i = 0; i < vl.paths.size(); i++) {
                if (!vl.paths.get(i).equals("/select/logsql/stats_query_range")) continue;
                String step = vl.params.get(i).get("step");
                steps.add(step);
                if (stats < 0 && step.equals("5s")) stats = i;
            }
            assertEquals(new java.util.TreeSet<>(java.util.Set.of("5s", "1m")), steps, "steps asked of VictoriaLogs");
            var p = vl.params.get(stats);
            assertEquals(Long.toString(NOW.getEpochSecond() - 3600), p.get("start"));
            assertEquals(Long.toString(NOW.getEpochSecond()), p.get("end"));
            assertFalse(p.get("query").contains("$"), "a variable was left in " + p.get("query"));
            assertTrue(p.get("query").contains("environment:~\".*\""), p.get("query"));
            // instant stats carry the range in a _time filter; log panels ask with their line limit
            int instant = vl.paths.indexOf("/select/logsql/stats_query");
            assertTrue(vl.params.get(instant).get("query").startsWith("_time:[2026-05-31T23:00:00Z, 2026-06-01T00:00:00Z) "), vl.params.get(instant).toString());
            // (500 where the panel sets maxLines, the data source's 1000 where it does not)
            var limits = new java.util.TreeSet<String>();
            for (int i = 0; i < vl.paths.size(); i++)
                if (vl.paths.get(i).equals("/select/logsql/query")) limits.add(vl.params.get(i).get("limit"));
            assertEquals(new java.util.TreeSet<>(java.util.Set.of("500", "1000")), limits, "line limits asked of VictoriaLogs");

            // Tempo: TraceQL search with the stack resolved; the trace-by-id panel has no id and is skipped
            int search = tempo.paths.indexOf("/api/search");
            assertTrue(search >= 0, tempo.paths.toString());
            assertFalse(tempo.params.get(search).get("q").contains("$"), tempo.params.get(search).toString());
            assertTrue(out.contains("SKIPPED"), out);

            // the summary counts what each line says
            long errors = out.lines().filter(l -> l.strip().startsWith("ERROR")).count();
            long empty = out.lines().filter(l -> l.strip().startsWith("EMPTY")).count();
            assertTrue(errors > 0 && empty > 0, out);
            assertTrue(out.contains(", " + empty + " empty, " + errors + " errors, 1 skipped"), out);
        }
    }

    @Test
    void aTraceIdGivenWithVarIsFetchedAndAnEmptyPanelCanFailTheCheck() throws Exception {
        try (var vl = new RecordingStore(Map.of(
                "/select/logsql/stats_query_range", new String[] {"200", SERIES},
                "/select/logsql/stats_query", new String[] {"200", SERIES},
                "/select/logsql/query", new String[] {"200", "{\"_msg\":\"x\"}\n"}));
             var tempo = new RecordingStore(Map.of("/api/search", new String[] {"200", "{\"traces\":[]}"},
                     "/api/traces/4bf92f3577b34da6a3ce929d0e0e4736", new String[] {"200", "{\"batches\":[]}"}))) {
            var ok = check(vl.url(), tempo.url(), "--dashboard", "traces", "--from", "now-1h", "--var", "trace_id=4bf92f3577b34da6a3ce929d0e0e4736");
            assertEquals(0, ok.exitCode(), ok.output());
            assertTrue(tempo.paths.contains("/api/traces/4bf92f3577b34da6a3ce929d0e0e4736"), tempo.paths.toString());
            assertTrue(ok.output().contains("queries of 1 dashboards"), ok.output());

            var strict = check(vl.url(), tempo.url(), "--dashboard", "traces", "--from", "now-1h", "--fail-on-empty");
            assertEquals(1, strict.exitCode(), "Tempo searches found nothing; --fail-on-empty must fail:\n" + strict.output());
        }
    }

    @Test
    void grafanasStepForTheDefaultYearAndVariableFormats() {
        var year = GrafanaRange.parse("now-1y", "now", NOW);
        assertEquals(43_200_000L, year.intervalMs(1000, 60_000), "a year over 1000 points is Grafana's 12h step");
        assertEquals(600_000L, GrafanaRange.parse("now-7d", "now", NOW).intervalMs(1000, 60_000));
        assertEquals(60_000L, GrafanaRange.parse("now-1h", "now", NOW).intervalMs(1000, 60_000), "never below the minimum interval");
        assertEquals("12h", GrafanaRange.text(43_200_000L));

        var all = new DashboardVariable("stack", "query", "", true, ".*", true, List.of("content", "user"), true);
        var one = new DashboardVariable("service", "query", "", false, null, false, List.of("a.b"), false);
        var vars = List.of(all, one);
        assertEquals("stack=~\".*\" x=a.b y=a\\.b 43200000 12h",
                QueryCheck.interpolate("stack=~\"$stack\" x=$service y=${service:regex} $__interval_ms $__interval", vars, PanelQuery.Store.VM, 43_200_000L, year));
    }
}
