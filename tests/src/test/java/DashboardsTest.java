import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The generated dashboards against the provisioning and the data the kit produces: data source uids exist,
 * VictoriaLogs query types fit the panel kind (seed rules), metric queries only use what the kit writes and
 * treat its per-request samples as samples, not counters; and regenerating them changes nothing.
 */
class DashboardsTest {
    static final Path DASHBOARDS = KitLayout.ROOT.resolve("config/grafana/dashboards");
    static final Set<String> METRICS = Set.of("request_duration_ms", "request_size_bytes", "response_size_bytes", "db_query_count", "cache_hit");
    static final Set<String> LABELS = Set.of(
            "service", "stack", "action", "success", "is_write", "persona", "release_id", "object_type", "trace_id",
            "environment", "provider", "account", "region", "partition", "target_type", "target", "application", "tag", "release",
            "provider_id", "region_id", "partition_id", "target_id", "stack_id", "service_id", "deployment_id", "vmrange");
    static final Map<String, Set<String>> LOGS_QUERY_TYPES = Map.of(
            "stat", Set.of("stats"), "gauge", Set.of("stats"),
            "timeseries", Set.of("statsRange"), "piechart", Set.of("statsRange"), "bargauge", Set.of("statsRange"),
            "table", Set.of("statsRange", "instant"), "logs", Set.of("instant"));
    static final ObjectMapper JSON = new ObjectMapper();

    record Panel(String dashboard, JsonNode json) {
        String where() { return dashboard + " / " + json.path("title").asText(); }
        String type() { return json.path("type").asText(); }
    }

    static Map<String, JsonNode> dashboards() throws Exception {
        var out = new HashMap<String, JsonNode>();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList())
                out.put(f.getFileName().toString(), JSON.readTree(f.toFile()));
        }
        return out;
    }

    static List<Panel> panels() throws Exception {
        var out = new ArrayList<Panel>();
        for (var d : dashboards().entrySet()) {
            for (JsonNode p : d.getValue().path("panels")) {
                out.add(new Panel(d.getKey(), p));
                for (JsonNode inner : p.path("panels")) out.add(new Panel(d.getKey(), inner));
            }
        }
        return out;
    }

    /** uid -> type from the provisioned data sources. */
    static Map<String, String> provisioned() throws Exception {
        var out = new HashMap<String, String>();
        for (JsonNode ds : ComposeFileTest.yaml("config/grafana/provisioning/datasources/datasources.yaml").path("datasources"))
            out.put(ds.path("uid").asText(), ds.path("type").asText());
        return out;
    }

    @Test
    void theFiveDashboardsExistWithUniqueUidsAndPanelIds() throws Exception {
        var boards = dashboards();
        assertEquals(Set.of("platform-overview.json", "service-detail.json", "error-analysis.json", "deployment-impact.json", "traces.json"), boards.keySet());
        var uids = new HashSet<String>();
        for (var d : boards.entrySet()) {
            assertTrue(uids.add(d.getValue().path("uid").asText()), d.getKey() + ": duplicate uid");
            var ids = new HashSet<Integer>();
            for (JsonNode p : d.getValue().path("panels")) assertTrue(ids.add(p.path("id").asInt()), d.getKey() + ": duplicate panel id " + p.path("id"));
        }
    }

    @Test
    void everyPanelQueryAndVariableUsesAProvisionedDataSourceOfTheRightType() throws Exception {
        var ds = provisioned();
        assertEquals(Map.of("qairon-vm", "prometheus", "qairon-vl", "victoriametrics-logs-datasource", "qairon-tempo", "tempo"), ds);
        int refs = 0;
        for (Panel p : panels()) {
            if (p.type().equals("row")) continue;
            var sources = new ArrayList<JsonNode>();
            if (p.json().has("datasource")) sources.add(p.json().path("datasource"));
            p.json().path("targets").forEach(t -> sources.add(t.path("datasource")));
            assertTrue(p.json().path("targets").size() > 0, p.where() + " has no query");
            for (JsonNode ref : sources) {
                String uid = ref.path("uid").asText();
                assertTrue(ds.containsKey(uid), p.where() + ": data source uid " + uid + " is not provisioned");
                assertEquals(ds.get(uid), ref.path("type").asText(), p.where() + ": type of " + uid);
                refs++;
            }
        }
        for (var d : dashboards().entrySet())
            for (JsonNode v : d.getValue().path("templating").path("list"))
                if (v.has("datasource")) assertTrue(ds.containsKey(v.path("datasource").path("uid").asText()), d.getKey() + " variable " + v.path("name"));
        assertTrue(refs > 50, "only " + refs + " data source references");
    }

    @Test
    void victoriaLogsQueryTypesMatchThePanelKind() throws Exception {
        int checked = 0;
        for (Panel p : panels()) {
            for (JsonNode t : p.json().path("targets")) {
                if (!t.path("datasource").path("uid").asText().equals("qairon-vl")) continue;
                var allowed = LOGS_QUERY_TYPES.get(p.type());
                assertNotNull(allowed, p.where() + ": no rule for VictoriaLogs in a " + p.type() + " panel");
                String type = t.path("queryType").asText();
                assertTrue(allowed.contains(type), p.where() + ": " + p.type() + " panel with queryType " + type + ", expected " + allowed);
                String expr = t.path("expr").asText();
                boolean stats = expr.contains("| stats");
                if (type.startsWith("stats")) assertTrue(stats, p.where() + ": a " + type + " query needs a stats pipe: " + expr);
                if (p.type().equals("logs")) assertFalse(stats, p.where() + ": a logs panel shows raw lines: " + expr);
                if (List.of("piechart", "bargauge").contains(p.type()))
                    assertEquals("sum", p.json().at("/options/reduceOptions/calcs/0").asText(), p.where() + ": buckets of a statsRange query must be summed");
                checked++;
            }
        }
        assertTrue(checked >= 20, "only " + checked + " VictoriaLogs queries");
    }

    private static final Pattern METRIC_REF = Pattern.compile("([a-z_]+)\\s*(\\{|\\[)");
    private static final Pattern BY = Pattern.compile("by \\(([^)]*)\\)");
    private static final Pattern MATCHER = Pattern.compile("([a-z_]+)\\s*(=~|!~|!=|=)\\s*\"");

    @Test
    void metricQueriesUseOnlyWhatTheKitWritesAndCountSamplesInsteadOfRatingThem() throws Exception {
        int checked = 0;
        var exprs = new ArrayList<String[]>();
        for (Panel p : panels())
            for (JsonNode t : p.json().path("targets"))
                if (t.path("datasource").path("uid").asText().equals("qairon-vm")) exprs.add(new String[] {p.where(), t.path("expr").asText()});
        for (var d : dashboards().entrySet())
            for (JsonNode v : d.getValue().path("templating").path("list"))
                if (v.path("datasource").path("uid").asText().equals("qairon-vm")) exprs.add(new String[] {d.getKey() + " $" + v.path("name").asText(), v.path("query").asText()});
        for (String[] e : exprs) {
            String where = e[0], expr = e[1];
            var m = METRIC_REF.matcher(expr.replaceAll("label_values\\(([a-z_]+),", "label_values($1{},"));
            boolean any = false;
            while (m.find()) {
                String name = m.group(1);
                if (name.endsWith("_over_time") || name.equals("by") || name.equals("label_values")) continue;
                assertTrue(METRICS.contains(name), where + ": metric " + name + " is not written by the kit: " + expr);
                any = true;
            }
            assertTrue(any, where + ": no metric in " + expr);
            for (var b = BY.matcher(expr); b.find(); )
                for (String label : b.group(1).split(","))
                    if (!label.isBlank()) assertTrue(LABELS.contains(label.strip()), where + ": groups by unknown label " + label + ": " + expr);
            for (var lm = MATCHER.matcher(expr); lm.find(); )
                assertTrue(LABELS.contains(lm.group(1)), where + ": filters on unknown label " + lm.group(1) + ": " + expr);
            for (String counterFn : List.of("rate(", "irate(", "increase(", "resets("))
                assertFalse(Pattern.compile("(^|[^_a-z])" + Pattern.quote(counterFn)).matcher(expr).find(),
                        where + ": " + counterFn + " treats a per-request sample as a counter: " + expr);
            if (expr.contains("histogram_quantile("))
                assertTrue(expr.contains("histogram_over_time(") && expr.contains("vmrange"), where + ": quantile of raw samples needs histogram_over_time by vmrange: " + expr);
            if (expr.contains("success=\"false\"")) assertTrue(expr.contains("count_over_time("), where + ": errors are counted samples: " + expr);
            checked++;
        }
        assertTrue(checked >= 30, "only " + checked + " metric queries");
    }

    @Test
    void tempoLinksTracesToVictoriaLogsByTraceId() throws Exception {
        JsonNode tempo = null;
        for (JsonNode ds : ComposeFileTest.yaml("config/grafana/provisioning/datasources/datasources.yaml").path("datasources"))
            if (ds.path("type").asText().equals("tempo")) tempo = ds;
        assertNotNull(tempo);
        JsonNode t2l = tempo.at("/jsonData/tracesToLogsV2");
        assertEquals("qairon-vl", t2l.path("datasourceUid").asText());
        assertTrue(t2l.path("customQuery").asBoolean());
        assertEquals("trace_id:\"${__trace.traceId}\"", t2l.path("query").asText());
        assertEquals("http://tempo:3200", tempo.path("url").asText());
    }

    @Test
    void victoriaLogsLinksATraceIdToTempo() throws Exception {
        JsonNode vl = null;
        for (JsonNode ds : ComposeFileTest.yaml("config/grafana/provisioning/datasources/datasources.yaml").path("datasources"))
            if (ds.path("uid").asText().equals("qairon-vl")) vl = ds;
        assertNotNull(vl);
        JsonNode field = vl.at("/jsonData/derivedFields/0");
        assertEquals("trace_id", field.path("matcherRegex").asText());
        assertEquals("label", field.path("matcherType").asText());
        assertEquals("qairon-tempo", field.path("datasourceUid").asText());
        assertEquals("http://victorialogs:9428", vl.path("url").asText());
    }

    @Test
    void dashboardsRegenerateWithoutDrift() {
        var generator = new DashboardGenerator(KitLayout.ROOT, KitLayout.testDir("dashboards"));
        var drift = generator.check();
        assertEquals(5, drift.generated());
        assertTrue(drift.none(), "config/grafana/dashboards differs from the generator (run ./jbang dashboards): " + drift.describe());
    }

    @Test
    void aHandEditedDashboardIsReportedAsDrift() throws Exception {
        Path root = KitLayout.testDir("dashboards-edited");
        Path copy = root.resolve("kit");
        Files.createDirectories(copy.resolve("config/grafana/dashboards"));
        copyTree(KitLayout.ROOT.resolve("config/grafana/generator"), copy.resolve("config/grafana/generator"));
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path f : files.toList()) Files.copy(f, copy.resolve("config/grafana/dashboards").resolve(f.getFileName()));
        }
        Path edited = copy.resolve("config/grafana/dashboards/traces.json");
        Files.writeString(edited, Files.readString(edited).replace("Qairon / Traces", "Qairon / My traces"));
        Files.writeString(copy.resolve("config/grafana/dashboards/extra.json"), "{}\n");
        var drift = new DashboardGenerator(copy, root.resolve("cache")).check();
        assertEquals(List.of("traces.json"), drift.changed());
        assertEquals(List.of("extra.json"), drift.extra());
        assertFalse(drift.none());
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (p.toString().contains("node_modules")) continue;
                if (Files.isDirectory(p)) Files.createDirectories(target); else Files.copy(p, target);
            }
        }
    }
}
