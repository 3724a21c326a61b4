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
 * VictoriaLogs query types fit the panel kind (seed rules), metric queries only use the native metrics and labels the
 * kit writes, read counters through increase() only and quantiles from buckets summed by le; and regenerating them
 * changes nothing.
 */
class DashboardsTest {
    static final Path DASHBOARDS = KitLayout.ROOT.resolve("config/grafana/dashboards");
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
    void theSixDashboardsExistWithUniqueUidsAndPanelIds() throws Exception {
        var boards = dashboards();
        assertEquals(Set.of("platform-overview.json", "service-detail.json", "error-analysis.json", "deployment-impact.json", "traces.json",
                "incidents.json"), boards.keySet());
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

    /**
     * A VictoriaLogs count of failures per group (release, service, ...) filters inside the stats, with
     * {@code count() if (...)}: filtered before the pipe, a group that served requests and failed none has no row at
     * all and its panel says "no data" where the answer is 0. Grouping by the failure's own kind is exempt.
     */
    @Test
    void victoriaLogsFailureCountsPerGroupShowZeroForGroupsWithoutFailures() throws Exception {
        var failureKinds = Set.of("error_source", "error_type", "error_code", "level");
        var statsBy = Pattern.compile("\\| stats by \\(([^)]*)\\)");
        int checked = 0;
        for (Panel p : panels()) {
            for (JsonNode t : p.json().path("targets")) {
                if (!t.path("datasource").path("uid").asText().equals("qairon-vl")) continue;
                String expr = t.path("expr").asText();
                var m = statsBy.matcher(expr);
                if (!m.find()) continue;
                boolean byKind = false;
                for (String field : m.group(1).split(",")) byKind |= failureKinds.contains(field.strip());
                if (byKind) continue;
                String filter = expr.substring(0, m.start());
                assertFalse(filter.contains("success:false") || filter.contains("error_source:"),
                        p.where() + ": failures filtered before stats by (" + m.group(1) + "): a group without failures gets no row;"
                                + " count them with count() if (...): " + expr);
                checked++;
            }
        }
        assertTrue(checked >= 5, "only " + checked + " grouped VictoriaLogs counts");
    }

    /** A metric query of a panel (range or instant, recorded series inlined) or of a variable (label_values). */
    record MetricQuery(String where, String expr, Kind kind) {
        enum Kind { RANGE, INSTANT, VARIABLE }
    }

    static List<MetricQuery> metricQueries() throws Exception {
        var out = new ArrayList<MetricQuery>();
        for (Panel p : panels())
            for (JsonNode t : p.json().path("targets"))
                if (t.path("datasource").path("uid").asText().equals("qairon-vm"))
                    out.add(new MetricQuery(p.where(), DashboardSeries.inlineRecordings(t.path("expr").asText()),
                            t.path("instant").asBoolean() ? MetricQuery.Kind.INSTANT : MetricQuery.Kind.RANGE));
        for (var d : dashboards().entrySet())
            for (JsonNode v : d.getValue().path("templating").path("list"))
                if (v.path("datasource").path("uid").asText().equals("qairon-vm"))
                    out.add(new MetricQuery(d.getKey() + " $" + v.path("name").asText(), v.path("query").asText(), MetricQuery.Kind.VARIABLE));
        return out;
    }

    private static final Pattern SELECTOR = Pattern.compile("([a-z_][a-z0-9_]*)\\s*\\{([^}]*)\\}");
    private static final Pattern BY = Pattern.compile("by \\(([^)]*)\\)");
    private static final Pattern MATCHER = Pattern.compile("([a-z_]+)\\s*(=~|!~|!=|=)\\s*\"");
    private static final Pattern WINDOW = Pattern.compile("\\[([^\\]]*)\\]");
    private static final Pattern OFFSET = Pattern.compile("offset\\s+(\\S+?)\\)");
    private static final Pattern LONG_WINDOW = Pattern.compile("[1-9][0-9]*y");
    private static final Pattern RAW = Pattern.compile("(request_duration_ms|request_size_bytes|response_size_bytes|db_query_count|cache_hit)(?![_a-z])");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(([a-z_]+)(\\{[^}]*\\})?,\\s*([a-z_]+)\\)");

    @Test
    void metricQueriesUseOnlyTheNativeMetricsAndLabelsTheKitWrites() throws Exception {
        var queries = metricQueries();
        for (MetricQuery q : queries) {
            assertFalse(RAW.matcher(q.expr()).find(), q.where() + ": reads the raw per-request samples, every panel has a native equivalent: " + q.expr());
            var m = SELECTOR.matcher(q.expr().replaceAll("label_values\\(([a-z_]+),", "label_values($1{},"));
            var names = new HashSet<String>();
            while (m.find()) {
                String name = m.group(1);
                assertTrue(DashboardSeries.LABELS.containsKey(name), q.where() + ": metric " + name + " is not written by the kit: " + q.expr());
                names.add(name);
                for (var lm = MATCHER.matcher(m.group(2)); lm.find(); )
                    assertTrue(DashboardSeries.LABELS.get(name).contains(lm.group(1)),
                            q.where() + ": " + name + " has no label " + lm.group(1) + ": " + q.expr());
            }
            assertFalse(names.isEmpty(), q.where() + ": no metric in " + q.expr());
            // every label grouped by is a label of every metric in the query, so no group silently collapses
            for (var b = BY.matcher(q.expr()); b.find(); )
                for (String label : b.group(1).split(","))
                    for (String name : names)
                        assertTrue(DashboardSeries.LABELS.get(name).contains(label.strip()),
                                q.where() + ": groups by " + label.strip() + ", which " + name + " does not have: " + q.expr());
            if (q.kind() == MetricQuery.Kind.VARIABLE) {
                var lv = LABEL_VALUES.matcher(q.expr());
                assertTrue(lv.matches(), q.where() + ": a variable is label_values(metric{...}, label): " + q.expr());
                assertTrue(DashboardSeries.LABELS.get(lv.group(1)).contains(lv.group(3)), q.where() + ": " + lv.group(1) + " has no label " + lv.group(3));
            }
        }
        assertTrue(queries.size() >= 40, "only " + queries.size() + " metric queries");
    }

    @Test
    void countersAreOnlyReadThroughIncreaseOverThePanelWindow() throws Exception {
        int checked = 0;
        for (MetricQuery q : metricQueries()) {
            if (q.kind() == MetricQuery.Kind.VARIABLE) continue;
            String expr = q.expr();
            for (String fn : List.of("rate(", "irate(", "deriv(", "delta("))
                assertFalse(Pattern.compile("(^|[^_a-z])" + Pattern.quote(fn)).matcher(expr).find(),
                        q.where() + ": " + fn + " divides by the time between the samples it finds, wrong for counters that"
                                + " change every few hours; use increase(...) / interval: " + expr);
            for (var m = SELECTOR.matcher(expr); m.find(); ) {
                String before = expr.substring(0, m.start()).stripTrailing();
                assertTrue(before.endsWith("increase("), q.where() + ": counter " + m.group(1) + " used outside increase(): " + expr);
                String after = expr.substring(m.end());
                var w = WINDOW.matcher(after);
                assertTrue(w.lookingAt(), q.where() + ": increase(" + m.group(1) + ") without a window: " + expr);
                String rest = after.substring(w.end()).stripLeading();
                assertTrue(rest.startsWith(")") || rest.startsWith("offset "), q.where() + ": increase(" + m.group(1) + "[...]) not closed: " + expr);
            }
            // windows: the panel's own (consecutive steps of a graph, the whole range of a stat) or the whole history
            String own = q.kind() == MetricQuery.Kind.RANGE ? "$__interval" : "$__range";
            for (var w = WINDOW.matcher(expr); w.find(); )
                assertTrue(w.group(1).equals(own) || LONG_WINDOW.matcher(w.group(1)).matches()
                                || q.kind() == MetricQuery.Kind.RANGE && w.group(1).equals(own + ":" + own),
                        q.where() + ": window [" + w.group(1) + "], expected [" + own + "], [" + own + ":" + own
                                + "] in a graph or the whole history: " + expr);
            // idelta() only takes the difference between consecutive steps of a subquery evaluated at the panel step
            for (int i = expr.indexOf("idelta("); i >= 0; i = expr.indexOf("idelta(", i + 1)) {
                String arg = expr.substring(i + "idelta(".length(), closing(expr, i + "idelta".length()));
                assertEquals(MetricQuery.Kind.RANGE, q.kind(), q.where() + ": idelta in an instant query: " + expr);
                assertTrue(arg.startsWith("(") && arg.endsWith(")[$__interval:$__interval]")
                                && closing(arg, 0) == arg.length() - "[$__interval:$__interval]".length() - 1,
                        q.where() + ": idelta of something else than (...)[$__interval:$__interval]: " + expr);
            }
            for (var o = OFFSET.matcher(expr); o.find(); )
                assertEquals(own, o.group(1), q.where() + ": offset " + o.group(1) + ": " + expr);
            if (expr.contains("$__interval_ms")) assertEquals(MetricQuery.Kind.RANGE, q.kind(), q.where());
            assertFalse(expr.contains("$__rate_interval"), q.where() + ": $__rate_interval windows overlap, requests would count twice: " + expr);
            checked++;
        }
        assertTrue(checked >= 30, "only " + checked + " panel queries");
    }

    @Test
    void quantilesComeFromBucketsSummedByLe() throws Exception {
        int quantiles = 0;
        for (MetricQuery q : metricQueries()) {
            String expr = q.expr();
            var bucketsInQuantiles = new ArrayList<int[]>();
            for (int i = expr.indexOf("histogram_quantile("); i >= 0; i = expr.indexOf("histogram_quantile(", i + 1)) {
                int open = i + "histogram_quantile".length(), close = closing(expr, open);
                String args = expr.substring(open + 1, close);
                int comma = args.indexOf(',');
                assertTrue(comma > 0, q.where() + ": histogram_quantile without a quantile: " + expr);
                assertTrue(args.substring(0, comma).strip().matches("0\\.[0-9]+"), q.where() + ": quantile " + args.substring(0, comma));
                String inner = args.substring(comma + 1).strip();
                var sums = Pattern.compile("\\bsum\\b\\s*(by \\(([^)]*)\\))?").matcher(inner);
                int n = 0;
                while (sums.find()) {
                    assertNotNull(sums.group(2), q.where() + ": buckets summed across le: " + expr);
                    assertTrue(List.of(sums.group(2).split(",\\s*")).contains("le"), q.where() + ": buckets summed without le: " + expr);
                    n++;
                }
                assertTrue(n > 0, q.where() + ": histogram_quantile of buckets not summed by (le, ...): " + expr);
                assertFalse(Pattern.compile("\\b(avg|max|min|count|topk|bottomk|quantile)\\b|[*/]").matcher(inner).find(),
                        q.where() + ": histogram_quantile's argument does more than sum bucket growth by le: " + expr);
                for (var m = SELECTOR.matcher(inner); m.find(); )
                    assertTrue(m.group(1).endsWith("_bucket"), q.where() + ": histogram_quantile over " + m.group(1) + ": " + expr);
                bucketsInQuantiles.add(new int[] {open, close});
                quantiles++;
            }
            if (q.kind() == MetricQuery.Kind.VARIABLE) continue;
            for (var m = SELECTOR.matcher(expr); m.find(); ) {
                int at = m.start();
                if (m.group(1).endsWith("_bucket"))
                    assertTrue(bucketsInQuantiles.stream().anyMatch(r -> r[0] < at && at < r[1]),
                            q.where() + ": bucket counts summed outside histogram_quantile count every request once per le: " + expr);
            }
            assertFalse(expr.contains("le=") || expr.contains("le!") , q.where() + ": filters on le: " + expr);
        }
        assertTrue(quantiles >= 8, "only " + quantiles + " quantile queries");
    }

    @Test
    void everyVariableAQueryUsesIsDefinedOnItsDashboard() throws Exception {
        var builtIn = Set.of("__interval", "__interval_ms", "__range", "__range_s", "__range_ms", "__rate_interval", "__trace");
        var ref = Pattern.compile("\\$\\{?([_a-zA-Z][_a-zA-Z0-9]*)");
        for (var d : dashboards().entrySet()) {
            var defined = new HashSet<String>();
            for (JsonNode v : d.getValue().path("templating").path("list")) defined.add(v.path("name").asText());
            var texts = new ArrayList<String>();
            for (JsonNode p : d.getValue().path("panels")) {
                texts.add(p.path("title").asText());
                for (JsonNode t : p.path("targets")) texts.add(t.path("expr").asText() + " " + t.path("query").asText());
            }
            for (JsonNode v : d.getValue().path("templating").path("list")) texts.add(v.path("query").asText());
            for (String text : texts)
                for (var m = ref.matcher(text); m.find(); )
                    assertTrue(defined.contains(m.group(1)) || builtIn.contains(m.group(1)),
                            d.getKey() + ": $" + m.group(1) + " is not a variable of the dashboard: " + text);
        }
    }

    // ---- what the metric queries return, on counters in the native form in a real VictoriaMetrics ----------------

    static final String[] STACKS = {"feed", "messaging"};
    static final String[] SERVICES = {"api", "worker"};
    static final String[] ACTIONS = {"get_item", "post_item", "handle_get_item"};

    static String releaseId(String stack, String service, int release) {
        return "prod:aws:111111111111:us-west-2:platform:eks:main:social:" + stack + ":" + service + ":default:" + release;
    }

    /** Sparse requests over 40 days (a series changes every few hours to days), release 2 of each service from day 20. */
    static List<DashboardSeries.Request> sparseRequests(long start, long end) {
        var rnd = new java.util.Random(20260101);
        var out = new ArrayList<DashboardSeries.Request>();
        for (int i = 0; i < 2500; i++) {
            long scrape = (start + (long) (rnd.nextDouble() * (end - start))) / 15 * 15;
            String stack = STACKS[rnd.nextInt(2)], service = SERVICES[rnd.nextInt(2)], action = ACTIONS[rnd.nextInt(3)];
            int release = scrape < start + 20 * 86400 ? 1 : 2;
            boolean ok = rnd.nextDouble() > (release == 2 && stack.equals("feed") ? 0.3 : 0.08);
            double seconds = Math.exp(rnd.nextGaussian() * 1.2 - 3);
            boolean read = action.contains("get");
            out.add(new DashboardSeries.Request(scrape, releaseId(stack, service, release), action, ok,
                    ok ? null : (rnd.nextBoolean() ? "server" : "database"), seconds, 100 + rnd.nextInt(3000), 200 + rnd.nextInt(300000),
                    rnd.nextInt(6), ok && read ? rnd.nextDouble() < 0.7 : null));
        }
        return out;
    }

    static JsonNode panelTarget(String board, String title, String refId) throws Exception {
        for (Panel p : panels())
            if (p.dashboard().equals(board) && p.json().path("title").asText().equals(title))
                for (JsonNode t : p.json().path("targets"))
                    if (t.path("refId").asText().equals(refId)) return t;
        throw new AssertionError("no panel " + board + " / " + title + " " + refId);
    }

    /** The panel's query as Grafana sends it: variables, $__interval (= the step), $__interval_ms and $__range replaced. */
    static String interpolate(String expr, long step, long range, Map<String, String> vars) {
        String e = expr.replace("$__interval_ms", Long.toString(step * 1000)).replace("$__interval", step + "s").replace("$__range", range + "s");
        for (var v : vars.entrySet()) e = e.replace("$" + v.getKey(), v.getValue());
        return e;
    }

    /** label values joined by ':' -> (point -> value) of a range or instant query. */
    static Map<String, Map<Long, Double>> query(VictoriaMetricsProcess vm, String expr, long start, long end, long step, boolean instant, List<String> key) {
        String q = java.net.URLEncoder.encode(expr, java.nio.charset.StandardCharsets.UTF_8);
        String body = instant ? vm.get("/api/v1/query?query=" + q + "&time=" + end)
                : vm.get("/api/v1/query_range?query=" + q + "&start=" + start + "&end=" + end + "&step=" + step);
        var out = new java.util.TreeMap<String, Map<Long, Double>>();
        try {
            for (JsonNode r : JSON.readTree(body).path("data").path("result")) {
                var k = new ArrayList<String>();
                for (String l : key) k.add(r.path("metric").path(l).asText());
                var points = out.computeIfAbsent(String.join(":", k), x -> new java.util.TreeMap<>());
                if (instant) points.put(r.path("value").path(0).asLong(), r.path("value").path(1).asDouble());
                else for (JsonNode v : r.path("values")) points.put(v.path(0).asLong(), v.path(1).asDouble());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    /** What a query should return: the requests of each window grouped by `key`, reduced by `value`. */
    static Map<String, Map<Long, Double>> expected(List<DashboardSeries.Request> requests, List<Long> points, long window,
                                                   java.util.function.Function<DashboardSeries.Request, String> key,
                                                   java.util.function.Function<List<DashboardSeries.Request>, Double> value) {
        var out = new java.util.TreeMap<String, Map<Long, Double>>();
        for (long t : points) {
            var groups = new HashMap<String, List<DashboardSeries.Request>>();
            for (var r : requests) if (r.scrape() > t - window && r.scrape() <= t) groups.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r);
            for (var g : groups.entrySet()) {
                double v = value.apply(g.getValue());
                if (!Double.isNaN(v)) out.computeIfAbsent(g.getKey(), k -> new java.util.TreeMap<>()).put(t, v);
            }
        }
        return out;
    }

    static String stackOf(DashboardSeries.Request r) { return r.releaseId().split(":")[8]; }
    static String serviceOf(DashboardSeries.Request r) { return r.releaseId().split(":")[9]; }

    /**
     * Each returned point equals the truth; every group and window with a non-zero truth has a point (windows without
     * requests may be missing or 0 for counts, missing for ratios and quantiles; a zero may be missing when the group
     * has no such series yet).
     */
    static void assertPoints(String what, Map<String, Map<Long, Double>> expected, Map<String, Map<Long, Double>> actual, boolean zeroWhenEmpty) {
        int compared = 0;
        for (var g : actual.entrySet())
            for (var p : g.getValue().entrySet()) {
                Double want = expected.getOrDefault(g.getKey(), Map.of()).get(p.getKey());
                if (want == null) {
                    if (zeroWhenEmpty) assertEquals(0.0, p.getValue(), 1e-9, what + " " + g.getKey() + " @" + p.getKey() + ": a window without requests");
                    else fail(what + " " + g.getKey() + " @" + p.getKey() + ": " + p.getValue() + " for a window without requests");
                    continue;
                }
                assertEquals(want, p.getValue(), 1e-9 * Math.max(1, Math.abs(want)), what + " " + g.getKey() + " @" + p.getKey());
                compared++;
            }
        for (var g : expected.entrySet())
            for (var p : g.getValue().entrySet())
                if (p.getValue() != 0) assertTrue(actual.getOrDefault(g.getKey(), Map.of()).containsKey(p.getKey()),
                        what + " " + g.getKey() + " @" + p.getKey() + ": no point, expected " + p.getValue());
        assertTrue(compared > 0, what + ": nothing compared");
    }

    static double count(List<DashboardSeries.Request> rs) { return rs.size(); }
    static double failedRatio(List<DashboardSeries.Request> rs) { return rs.stream().filter(r -> !r.success()).count() / (double) rs.size(); }
    static double p99(List<DashboardSeries.Request> rs) {
        var cumulative = DashboardSeries.noBuckets();
        for (var r : rs)
            for (String le : DashboardSeries.DURATION_BUCKETS)
                if (le.equals("+Inf") || r.seconds() <= Double.parseDouble(le)) cumulative.merge(le, 1.0, Double::sum);
        return DashboardSeries.quantile(0.99, cumulative);
    }

    @Test
    void metricPanelsCountEveryRequestOnceAtAnyZoom() throws Exception {
        long end = (System.currentTimeMillis() / 1000 / 86400 - 1) * 86400; // yesterday 00:00 UTC
        long start = end - 40 * 86400;
        var requests = sparseRequests(start, end);
        Path dir = KitLayout.testDir("dashboard-queries");
        try (var vm = VictoriaMetricsProcess.start(dir.resolve("vm"))) {
            var http = java.net.http.HttpClient.newHttpClient();
            var r = http.send(java.net.http.HttpRequest.newBuilder(vm.url().resolve("/api/v1/import"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(String.join("\n", DashboardSeries.importLines(requests)) + "\n")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(204, r.statusCode(), r.body());
            vm.flush();
            // the recorded panels read what vmalert records: replayed over the 40 days as the pipeline does
            var replay = CommandRun.of(new ReplayRules(), "--vm-url", vm.url().toString(), "--log", dir.resolve("vmalert.log").toString(), "-q");
            assertEquals(0, replay.code(), replay.out() + "\n" + replay.err());
            vm.flush();
            var all = Map.of("environment", ".*", "stack", ".*", "deployment_id", ".*");
            var one = Map.of("environment", "prod", "stack", "feed", "service", "api",
                    "deployment_id", "prod:aws:111111111111:us-west-2:platform:eks:main:social:feed:api:default");
            // every metric query and variable runs and finds data for one deployment over the whole data
            for (MetricQuery q : metricQueries()) {
                if (q.kind() == MetricQuery.Kind.VARIABLE) {
                    var lv = LABEL_VALUES.matcher(interpolate(q.expr(), 7200, 40 * 86400, one));
                    assertTrue(lv.matches(), q.where());
                    String match = java.net.URLEncoder.encode(lv.group(1) + (lv.group(2) == null ? "" : lv.group(2)), java.nio.charset.StandardCharsets.UTF_8);
                    JsonNode values = JSON.readTree(vm.get("/api/v1/label/" + lv.group(3) + "/values?match[]=" + match
                            + "&start=" + start + "&end=" + end)).path("data");
                    assertTrue(values.size() > 0, q.where() + ": no values: " + q.expr());
                    continue;
                }
                var got = query(vm, interpolate(q.expr(), 7200, 40 * 86400, one), start, end, 7200, q.kind() == MetricQuery.Kind.INSTANT, List.of());
                assertFalse(got.isEmpty(), q.where() + ": no data: " + q.expr());
            }
            // zooms as Grafana asks for them: the whole data at 2h steps, 3 days around the deployment at 10 min, 6 hours at 1 min
            long[][] zooms = {{40 * 86400, 7200, end}, {3 * 86400, 600, start + 21 * 86400}, {6 * 3600, 60, start + 20 * 86400 + 4 * 3600}};
            for (long[] z : zooms) {
                long range = z[0], step = z[1], to = z[2], from = to - range;
                var points = new ArrayList<Long>();
                for (long t = (from + step - 1) / step * step; t <= to; t += step) points.add(t);
                String zoom = " (" + range / 3600 + " h at " + step + " s)";
                var t = panelTarget("platform-overview.json", "Requests", "A");
                assertPoints("Requests" + zoom, expected(requests, List.of(to), range, x -> "", DashboardsTest::count),
                        query(vm, interpolate(t.path("expr").asText(), step, range, all), from, to, step, true, List.of()), true);
                t = panelTarget("platform-overview.json", "Error ratio", "A");
                assertPoints("Error ratio" + zoom, expected(requests, List.of(to), range, x -> "", DashboardsTest::failedRatio),
                        query(vm, interpolate(t.path("expr").asText(), step, range, all), from, to, step, true, List.of()), false);
                t = panelTarget("platform-overview.json", "Request rate by stack", "A");
                assertPoints("Request rate by stack" + zoom, expected(requests, points, step, DashboardsTest::stackOf, rs -> rs.size() / (double) step),
                        query(vm, interpolate(t.path("expr").asText(), step, range, all), points.get(0), to, step, false, List.of("stack")), true);
                t = panelTarget("platform-overview.json", "Error ratio by stack", "A");
                assertPoints("Error ratio by stack" + zoom, expected(requests, points, step, DashboardsTest::stackOf, DashboardsTest::failedRatio),
                        query(vm, interpolate(t.path("expr").asText(), step, range, all), points.get(0), to, step, false, List.of("stack")), false);
                // recorded every hour, so the panel's minimum interval is 1h: Grafana asks for no finer steps
                t = panelTarget("platform-overview.json", "p99 latency by stack", "A");
                long hourly = Math.max(step, 3600);
                var hours = new ArrayList<Long>();
                for (long h = (from + hourly - 1) / hourly * hourly; h <= to; h += hourly) hours.add(h);
                assertPoints("p99 latency by stack" + zoom, expected(requests, hours, hourly, DashboardsTest::stackOf, DashboardsTest::p99),
                        query(vm, interpolate(t.path("expr").asText(), hourly, range, all), hours.get(0), to, hourly, false, List.of("stack")), false);
                t = panelTarget("platform-overview.json", "Errors by service", "A");
                assertPoints("Errors by service" + zoom, expected(requests, List.of(to), range, x -> stackOf(x) + ":" + serviceOf(x),
                                rs -> (double) rs.stream().filter(x -> !x.success()).count()),
                        query(vm, interpolate(t.path("expr").asText(), step, range, all), from, to, step, true, List.of("stack", "service")), true);
                java.util.function.Function<DashboardSeries.Request, String> feedApi = x -> stackOf(x) + ":" + serviceOf(x);
                var oneService = requests.stream().filter(x -> feedApi.apply(x).equals("feed:api")).toList();
                t = panelTarget("service-detail.json", "Database queries per request", "A");
                assertPoints("Database queries per request" + zoom, expected(oneService, points, step, DashboardSeries.Request::action,
                                rs -> rs.stream().mapToInt(DashboardSeries.Request::dbQueries).sum() / (double) rs.size()),
                        query(vm, interpolate(t.path("expr").asText(), step, range, one), points.get(0), to, step, false, List.of("action")), false);
                t = panelTarget("service-detail.json", "Cache hit ratio (successful reads)", "A");
                assertPoints("Cache hit ratio" + zoom, expected(oneService.stream().filter(x -> x.cacheHit() != null).toList(), points, step,
                                DashboardSeries.Request::action, rs -> rs.stream().filter(DashboardSeries.Request::cacheHit).count() / (double) rs.size()),
                        query(vm, interpolate(t.path("expr").asText(), step, range, one), points.get(0), to, step, false, List.of("action")), false);
                t = panelTarget("service-detail.json", "Average payload size", "B");
                assertPoints("Average response size" + zoom, expected(oneService, points, step, x -> "api",
                                rs -> rs.stream().mapToLong(DashboardSeries.Request::responseBytes).sum() / (double) rs.size()),
                        query(vm, interpolate(t.path("expr").asText(), step, range, one), points.get(0), to, step, false, List.of("service")), false);
                t = panelTarget("deployment-impact.json", "Request rate of the deployment", "A");
                assertPoints("Request rate of the deployment" + zoom, expected(oneService, points, step, x -> "", rs -> rs.size() / (double) step),
                        query(vm, interpolate(t.path("expr").asText(), step, range, one), points.get(0), to, step, false, List.of()), true);
            }
        }
    }

    @Test
    void failureCountsAndRatiosAreZeroForADeploymentWithoutFailures() throws Exception {
        long end = (System.currentTimeMillis() / 1000 / 86400 - 1) * 86400; // yesterday 00:00 UTC
        long start = end - 2 * 86400, step = 3600;
        var rnd = new java.util.Random(14);
        var requests = new ArrayList<DashboardSeries.Request>();
        // feed:api fails now and then; messaging:worker serves every request of its own without a single failure
        for (long t = start + 15; t < end; t += 900) {
            boolean ok = rnd.nextDouble() > 0.2;
            requests.add(new DashboardSeries.Request(t, releaseId("feed", "api", 1), ACTIONS[rnd.nextInt(3)], ok, ok ? null : "server",
                    0.05, 500, 900, 1, null));
            requests.add(new DashboardSeries.Request(t + 450, releaseId("messaging", "worker", 1), ACTIONS[rnd.nextInt(3)], true, null,
                    0.05, 500, 900, 1, null));
        }
        assertTrue(requests.stream().anyMatch(r -> !r.success()), "feed:api needs failures for the comparison");
        var clean = requests.stream().filter(r -> stackOf(r).equals("messaging")).toList();
        try (var vm = VictoriaMetricsProcess.start(KitLayout.testDir("dashboard-zero-failures").resolve("vm"))) {
            var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(vm.url().resolve("/api/v1/import"))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(String.join("\n", DashboardSeries.importLines(requests)) + "\n")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(204, r.statusCode(), r.body());
            vm.flush();
            var all = Map.of("environment", ".*", "stack", ".*");
            var worker = Map.of("environment", "prod", "stack", "messaging", "service", "worker",
                    "deployment_id", "prod:aws:111111111111:us-west-2:platform:eks:main:social:messaging:worker:default");
            long range = end - start;
            var points = new ArrayList<Long>();
            for (long t = start + step; t <= end; t += step) points.add(t);
            var windowsWithRequests = new java.util.TreeSet<Long>();
            for (long t : points) if (clean.stream().anyMatch(x -> x.scrape() > t - step && x.scrape() <= t)) windowsWithRequests.add(t);
            assertFalse(windowsWithRequests.isEmpty());

            // the deployment's own graph and the service's stat: 0 %, not "no data"
            var t = panelTarget("deployment-impact.json", "Error ratio of the deployment", "A");
            assertZeros("Error ratio of the deployment", query(vm, interpolate(t.path("expr").asText(), step, range, worker), points.get(0), end, step, false, List.of()),
                    "", windowsWithRequests);
            t = panelTarget("service-detail.json", "Error ratio", "A");
            assertZeros("Error ratio of the service", query(vm, interpolate(t.path("expr").asText(), step, range, worker), start, end, step, true, List.of()),
                    "", java.util.Set.of(end));
            t = panelTarget("service-detail.json", "Error ratio by action", "A");
            var byAction = query(vm, interpolate(t.path("expr").asText(), step, range, worker), points.get(0), end, step, false, List.of("action"));
            for (String action : clean.stream().map(DashboardSeries.Request::action).distinct().toList()) {
                var withAction = new java.util.TreeSet<Long>();
                for (long p : points) if (clean.stream().anyMatch(x -> x.action().equals(action) && x.scrape() > p - step && x.scrape() <= p)) withAction.add(p);
                assertZeros("Error ratio by action", byAction, action, withAction);
            }
            // panels over every stack and service: the clean ones show 0 beside the failing ones' counts
            t = panelTarget("platform-overview.json", "Error rate by stack", "A");
            var byStack = query(vm, interpolate(t.path("expr").asText(), step, range, all), points.get(0), end, step, false, List.of("stack"));
            assertZeros("Error rate by stack", byStack, "messaging", windowsWithRequests);
            assertTrue(byStack.get("feed").values().stream().anyMatch(v -> v > 0), "Error rate by stack: feed failed: " + byStack);
            t = panelTarget("platform-overview.json", "Errors by service", "A");
            var errorsByService = query(vm, interpolate(t.path("expr").asText(), step, range, all), start, end, step, true, List.of("stack", "service"));
            assertZeros("Errors by service", errorsByService, "messaging:worker", java.util.Set.of(end));
            assertEquals((double) requests.stream().filter(x -> !x.success()).count(), errorsByService.get("feed:api").get(end), 1e-9, "Errors by service");
            t = panelTarget("platform-overview.json", "Error ratio by service", "A");
            assertZeros("Error ratio by service", query(vm, interpolate(t.path("expr").asText(), step, range, all), start, end, step, true,
                    List.of("stack", "service")), "messaging:worker", java.util.Set.of(end));
        }
    }

    /** The group has a point at each of {@code at} (windows with requests), and every point of it is 0. */
    static void assertZeros(String what, Map<String, Map<Long, Double>> got, String group, java.util.Set<Long> at) {
        var points = got.get(group);
        assertNotNull(points, what + ": no data for " + group + ", which has requests and no failures: " + got);
        for (long p : at) assertTrue(points.containsKey(p), what + " " + group + " @" + p + ": no point in a window with requests: " + points);
        points.forEach((p, v) -> assertEquals(0.0, v, 0.0, what + " " + group + " @" + p));
    }

    /** Index of the parenthesis closing the one at {@code open}. */
    static int closing(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                i = s.indexOf('"', i + 1);
                continue;
            }
            if (c == '(') depth++;
            else if (c == ')' && --depth == 0) return i;
        }
        throw new IllegalArgumentException("unbalanced: " + s);
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
        assertEquals(6, drift.generated());
        assertEquals(10, drift.files(), "6 dashboards, the Grafana alert rules, 2 vmalert rules files and the recording rules");
        assertTrue(drift.none(), "config/grafana/dashboards differs from the generator (run ./jbang dashboards): " + drift.describe());
    }

    @Test
    void aHandEditedDashboardOrRulesFileIsReportedAsDrift() throws Exception {
        Path root = KitLayout.testDir("dashboards-edited");
        Path copy = root.resolve("kit");
        copyTree(KitLayout.ROOT.resolve("config/grafana/generator"), copy.resolve("config/grafana/generator"));
        for (var o : DashboardGenerator.OUTPUTS) copyTree(KitLayout.ROOT.resolve(o.target()), copy.resolve(o.target()));
        Path edited = copy.resolve("config/grafana/dashboards/traces.json");
        Files.writeString(edited, Files.readString(edited).replace("Qairon / Traces", "Qairon / My traces"));
        Path rules = copy.resolve("config/vmalert/rules.yml");
        Files.writeString(rules, Files.readString(rules).replace("for: 2m", "for: 20m"));
        Files.writeString(copy.resolve("config/grafana/dashboards/extra.json"), "{}\n");
        Files.delete(copy.resolve("config/grafana/provisioning/alerting/qairon-alerts.yaml"));
        var drift = new DashboardGenerator(copy, root.resolve("cache")).check();
        assertEquals(List.of("config/grafana/dashboards/traces.json", "config/vmalert/rules.yml"), drift.changed());
        assertEquals(List.of("config/grafana/dashboards/extra.json"), drift.extra());
        assertEquals(List.of("config/grafana/provisioning/alerting/qairon-alerts.yaml"), drift.missing());
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
