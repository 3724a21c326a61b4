import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The native metrics as the dashboards may read them: names, the labels of each (as lib/monitoring/NativeMetrics
 * writes them), and a writer of hand-made requests in their form (15 s scrapes, counters monotonic per series, a
 * sample at the scrapes where a series' group changed, its old value one scrape before when the last sample is
 * older), for checking what the dashboard queries return on sparse data.
 */
final class DashboardSeries {
    private DashboardSeries() {}

    /** The deployment's labels every native series carries: the single-word release tags without release, and deployment_id. */
    static final List<String> DEPLOYMENT_TAGS = List.of("environment", "provider", "account", "region", "partition", "target_type",
            "target", "application", "stack", "service", "tag", "deployment_id");
    static final List<String> DURATION_BUCKETS = List.of("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf");
    static final List<String> SIZE_BUCKETS = List.of("64", "256", "1024", "4096", "16384", "65536", "262144", "1048576", "+Inf");

    /** A recording rule of config/vmalert/recording.yml: {@code record} = sum by (by) (increase(series[history])). */
    record Recording(String record, List<String> by, String series, String history) {}

    private static final java.util.regex.Pattern RECORDING_EXPR =
            java.util.regex.Pattern.compile("sum by \\(([^)]*)\\) \\(increase\\(([a-z_]+)\\[([0-9]+y)\\]\\)\\)");

    /** The kit's recording rules; each must have the one shape the dashboards know how to read back. */
    static List<Recording> recordings() {
        var out = new ArrayList<Recording>();
        try {
            var doc = ComposeFileTest.YAML.readTree(KitLayout.ROOT.resolve("config/vmalert/recording.yml").toFile());
            for (var g : doc.path("groups"))
                for (var r : g.path("rules")) {
                    var m = RECORDING_EXPR.matcher(r.path("expr").asText());
                    if (!m.matches()) throw new AssertionError("recording " + r.path("record").asText() + ": not sum by (...) (increase(x[Ny])): " + r);
                    out.add(new Recording(r.path("record").asText(), List.of(m.group(1).split(",\\s*")), m.group(2), m.group(3)));
                }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    /**
     * A panel query with every recorded series read back ({@code last_over_time(rec{f}[w] offset o)}) replaced by the
     * whole-history increase it records ({@code increase(series{f}[2y] offset o)}), so the checks of what a panel
     * computes see it; each filter label is checked to be one the recording keeps.
     */
    static String inlineRecordings(String expr) {
        String out = expr;
        for (Recording r : recordings()) {
            var m = java.util.regex.Pattern.compile("last_over_time\\(" + java.util.regex.Pattern.quote(r.record()) + "\\{([^}]*)\\}\\[[^\\]]+\\]( offset [^)]+)?\\)")
                    .matcher(out);
            var b = new StringBuilder();
            while (m.find()) {
                for (var lm = java.util.regex.Pattern.compile("([a-z_]+)\\s*(=~|!~|!=|=)").matcher(m.group(1)); lm.find(); )
                    if (!r.by().contains(lm.group(1))) throw new AssertionError(r.record() + " has no label " + lm.group(1) + ": " + expr);
                m.appendReplacement(b, java.util.regex.Matcher.quoteReplacement(
                        "increase(" + r.series() + "{" + m.group(1) + "}[" + r.history() + "]" + (m.group(2) == null ? "" : m.group(2)) + ")"));
            }
            m.appendTail(b);
            out = b.toString();
            if (out.contains(r.record())) throw new AssertionError(r.record() + " read other than by last_over_time(...{...}[w]): " + expr);
        }
        return out;
    }

    /** metric name -> its labels, as lib/monitoring/NativeMetrics writes them. */
    static final Map<String, Set<String>> LABELS = labels();

    private static Map<String, Set<String>> labels() {
        var out = new LinkedHashMap<String, Set<String>>();
        java.util.function.BiConsumer<String, List<String>> put = (name, extra) -> {
            var s = new LinkedHashSet<>(DEPLOYMENT_TAGS);
            s.addAll(extra);
            out.put(name, Set.copyOf(s));
        };
        put.accept("requests_total", List.of("action", "success"));
        put.accept("errors_total", List.of("action", "error_type"));
        put.accept("request_duration_seconds_bucket", List.of("action", "success", "le"));
        put.accept("request_duration_seconds_sum", List.of("action", "success"));
        put.accept("request_duration_seconds_count", List.of("action", "success"));
        for (String h : List.of("request_size_bytes", "response_size_bytes")) {
            put.accept(h + "_bucket", List.of("le"));
            put.accept(h + "_sum", List.of());
            put.accept(h + "_count", List.of());
        }
        put.accept("db_queries_total", List.of("action"));
        put.accept("cache_requests_total", List.of("action", "result"));
        return Map.copyOf(out);
    }

    /** One request or child span, at a scrape time (epoch seconds, a multiple of 15). */
    record Request(long scrape, String releaseId, String action, boolean success, String errorType, double seconds,
                   long requestBytes, long responseBytes, int dbQueries, Boolean cacheHit) {}

    /** The VictoriaMetrics /api/v1/import lines of the counters these requests make, labels as the importer writes them. */
    static List<String> importLines(List<Request> requests) {
        // series (name + labels) -> scrape -> growth
        var growth = new LinkedHashMap<Map<String, String>, TreeMap<Long, Double>>();
        for (Request r : requests) {
            var dep = new LinkedHashMap<String, String>();
            ReleaseId.parse(r.releaseId()).tags().forEach((k, v) -> { if (DEPLOYMENT_TAGS.contains(k)) dep.put(k, v); });
            var base = with(dep, "action", r.action());
            var ok = with(base, "success", Boolean.toString(r.success()));
            add(growth, with(ok, "__name__", "requests_total"), r.scrape(), 1);
            if (!r.success()) add(growth, with(with(base, "error_type", r.errorType()), "__name__", "errors_total"), r.scrape(), 1);
            histogram(growth, "request_duration_seconds", ok, DURATION_BUCKETS, r.seconds(), r.scrape());
            histogram(growth, "request_size_bytes", dep, SIZE_BUCKETS, r.requestBytes(), r.scrape());
            histogram(growth, "response_size_bytes", dep, SIZE_BUCKETS, r.responseBytes(), r.scrape());
            add(growth, with(base, "__name__", "db_queries_total"), r.scrape(), r.dbQueries());
            if (r.cacheHit() != null) {
                add(growth, with(with(base, "result", "hit"), "__name__", "cache_requests_total"), r.scrape(), r.cacheHit() ? 1 : 0);
                add(growth, with(with(base, "result", "miss"), "__name__", "cache_requests_total"), r.scrape(), r.cacheHit() ? 0 : 1);
            }
        }
        var out = new ArrayList<String>();
        for (var e : growth.entrySet()) {
            var ts = new ArrayList<Long>();
            var values = new ArrayList<Double>();
            double total = 0;
            // as the generator writes them: a sample at each scrape where the group changed, and the unchanged value
            // again one scrape before when the last sample is older (0 for a new series)
            for (var g : e.getValue().entrySet()) {
                long at = g.getKey() * 1000;
                if (ts.isEmpty() || ts.get(ts.size() - 1) < at - 15_000) {
                    ts.add(at - 15_000);
                    values.add(total);
                }
                total += g.getValue();
                ts.add(at);
                values.add(total);
            }
            if (ts.isEmpty()) continue;
            var metric = new StringBuilder("{");
            e.getKey().forEach((k, v) -> metric.append(metric.length() > 1 ? "," : "").append(q(k)).append(':').append(q(v)));
            metric.append('}');
            out.add("{\"metric\":" + metric + ",\"values\":" + values + ",\"timestamps\":" + ts + "}");
        }
        return out;
    }

    private static void histogram(Map<Map<String, String>, TreeMap<Long, Double>> growth, String name, Map<String, String> labels,
                                  List<String> buckets, double value, long scrape) {
        for (String le : buckets) {
            boolean in = le.equals("+Inf") || value <= Double.parseDouble(le);
            add(growth, with(with(labels, "le", le), "__name__", name + "_bucket"), scrape, in ? 1 : 0);
        }
        add(growth, with(labels, "__name__", name + "_sum"), scrape, value);
        add(growth, with(labels, "__name__", name + "_count"), scrape, 1);
    }

    private static void add(Map<Map<String, String>, TreeMap<Long, Double>> growth, Map<String, String> series, long scrape, double by) {
        growth.computeIfAbsent(series, k -> new TreeMap<>()).merge(scrape, by, Double::sum);
    }

    private static Map<String, String> with(Map<String, String> labels, String k, String v) {
        var m = new LinkedHashMap<String, String>();
        if (k.equals("__name__")) m.put(k, v);
        m.putAll(labels);
        if (!k.equals("__name__")) m.put(k, v);
        return m;
    }

    private static String q(String s) { return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"'; }

    /** Prometheus' histogram_quantile over cumulative bucket counts (le -> count). */
    static double quantile(double q, Map<String, Double> cumulative) {
        var les = new ArrayList<>(cumulative.keySet());
        les.sort((a, b) -> Double.compare(le(a), le(b)));
        double total = cumulative.get("+Inf");
        if (total == 0) return Double.NaN;
        double rank = q * total, lower = 0, below = 0;
        for (String le : les) {
            double count = cumulative.get(le);
            if (count >= rank) {
                if (le.equals("+Inf")) return lower; // the highest finite bound
                return lower + (le(le) - lower) * (rank - below) / (count - below);
            }
            lower = le(le);
            below = count;
        }
        return Double.NaN;
    }

    private static double le(String le) { return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le); }

    /** Empty accumulator for {@link #quantile}. */
    static Map<String, Double> noBuckets() {
        var m = new HashMap<String, Double>();
        DURATION_BUCKETS.forEach(le -> m.put(le, 0.0));
        return m;
    }
}
