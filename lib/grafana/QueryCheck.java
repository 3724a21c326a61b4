//SOURCES GrafanaRange.java PanelQuery.java DashboardVariable.java DashboardQueries.java

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs every panel query of a dashboard the way Grafana would: variables resolved from VictoriaMetrics' label API
 * (All where offered), {@code $__interval} from the range and the panel's data points, the store's own query API;
 * and reports per query its time, how many series, rows or traces came back, or the store's error.
 */
final class QueryCheck {
    enum Status { OK, EMPTY, ERROR, SKIPPED }

    /** A series recorded by vmalert: level:metric:operations, the only metric names with colons. */
    private static final Pattern RECORDED = Pattern.compile("\\b[a-z_]+:[a-z_]+:[a-z_0-9]+\\{");

    record Result(PanelQuery query, String sent, Status status, long millis, int items, String detail) {}

    record Stores(URI vm, URI vl, URI tempo) {}

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::(\\w+))?}|\\$(\\w+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Stores stores;
    private final Duration timeout;
    private final Map<String, String> forced;
    private final long vmMinIntervalMs;
    private final HttpClient http;

    QueryCheck(Stores stores, Duration timeout, Map<String, String> forced, long vmMinIntervalMs) {
        this.stores = stores;
        this.timeout = timeout;
        this.forced = Map.copyOf(forced);
        this.vmMinIntervalMs = vmMinIntervalMs;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Gives every variable its value, in the dashboard's order (later variables' queries use earlier ones). */
    List<DashboardVariable> resolve(DashboardQueries dashboard, GrafanaRange range) throws IOException, InterruptedException {
        var resolved = new ArrayList<DashboardVariable>();
        for (var v : dashboard.variables()) {
            if (!v.type().equals("query")) {
                resolved.add(v.choose(List.of(), forced.getOrDefault(v.name(), v.query())));
                continue;
            }
            String[] lv = DashboardVariable.labelValues(interpolate(v.query(), resolved, PanelQuery.Store.VM, 0, range));
            var params = new LinkedHashMap<String, String>();
            if (lv[1] != null) params.put("match[]", lv[1]);
            params.put("start", Long.toString(range.from().getEpochSecond()));
            params.put("end", Long.toString(range.to().getEpochSecond()));
            var answer = get(stores.vm(), "api/v1/label/" + lv[0] + "/values", params, Map.of());
            if (answer.statusCode() / 100 != 2) {
                throw new IOException("variable " + v.name() + ": " + stores.vm() + " answered " + answer.statusCode() + ": " + brief(answer.body()));
            }
            var values = new ArrayList<String>();
            JSON.readTree(answer.body()).path("data").forEach(n -> values.add(n.asText()));
            values.sort(null);
            resolved.add(v.choose(values, forced.get(v.name())));
        }
        return resolved;
    }

    Result run(PanelQuery q, List<DashboardVariable> variables, GrafanaRange range) {
        long minInterval = Math.max(q.minIntervalMs(), q.store() == PanelQuery.Store.VM ? vmMinIntervalMs : 0);
        long interval = range.intervalMs(q.maxDataPoints(), minInterval);
        String text = interpolate(q.text(), variables, q.store(), interval, range);
        long t0 = System.nanoTime();
        try {
            var outcome = switch (q.store()) {
                case VM -> vm(q, text, interval, range);
                case VL -> vl(q, text, interval, range);
                case TEMPO -> tempo(q, text, range);
            };
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String detail = outcome.status() == Status.EMPTY && q.store() == PanelQuery.Store.VM && RECORDED.matcher(text).find()
                    ? outcome.detail() + " (reads a recording rule's series: ./jbang replay-rules records imported history)" : outcome.detail();
            return new Result(q, text, outcome.status(), ms, outcome.items(), detail);
        } catch (IOException | RuntimeException e) {
            return new Result(q, text, Status.ERROR, (System.nanoTime() - t0) / 1_000_000, 0, e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(q, text, Status.ERROR, (System.nanoTime() - t0) / 1_000_000, 0, "interrupted");
        }
    }

    private record Outcome(Status status, int items, String detail) {}

    private Outcome vm(PanelQuery q, String text, long interval, GrafanaRange range) throws IOException, InterruptedException {
        var params = new LinkedHashMap<String, String>();
        params.put("query", text);
        if (q.instant()) {
            params.put("time", Long.toString(range.to().getEpochSecond()));
        } else {
            params.put("start", Long.toString(range.from().getEpochSecond()));
            params.put("end", Long.toString(range.to().getEpochSecond()));
            params.put("step", (interval / 1000) + "s");
        }
        return prometheusShaped(get(stores.vm(), q.instant() ? "api/v1/query" : "api/v1/query_range", params, Map.of()));
    }

    private Outcome vl(PanelQuery q, String text, long interval, GrafanaRange range) throws IOException, InterruptedException {
        var params = new LinkedHashMap<String, String>();
        params.put("query", text);
        switch (q.queryType()) {
            case "statsRange" -> {
                params.put("start", Long.toString(range.from().getEpochSecond()));
                params.put("end", Long.toString(range.to().getEpochSecond()));
                params.put("step", GrafanaRange.text(interval));
                return prometheusShaped(get(stores.vl(), "select/logsql/stats_query_range", params, Map.of()));
            }
            case "stats" -> {
                // an instant stats panel counts over the whole range: the filter carries it, as the plugin's does
                params.put("query", "_time:[" + range.from() + ", " + range.to() + ") " + text);
                params.put("time", Long.toString(range.to().getEpochSecond()));
                return prometheusShaped(get(stores.vl(), "select/logsql/stats_query", params, Map.of()));
            }
            default -> {
                params.put("start", Long.toString(range.from().getEpochSecond()));
                params.put("end", Long.toString(range.to().getEpochSecond()));
                params.put("limit", Integer.toString(q.limit()));
                var answer = get(stores.vl(), "select/logsql/query", params, Map.of());
                if (answer.statusCode() / 100 != 2) return new Outcome(Status.ERROR, 0, answer.statusCode() + ": " + brief(answer.body()));
                int rows = (int) answer.body().lines().filter(l -> !l.isBlank()).count();
                return new Outcome(rows == 0 ? Status.EMPTY : Status.OK, rows, rows + " rows");
            }
        }
    }

    private Outcome tempo(PanelQuery q, String text, GrafanaRange range) throws IOException, InterruptedException {
        if (text.isBlank()) return new Outcome(Status.SKIPPED, 0, "no value for its variable (--var NAME=VALUE)");
        if (text.matches("[0-9a-fA-F]{16,32}")) {
            var answer = get(stores.tempo(), "api/traces/" + text, Map.of(), Map.of("Accept", "application/json"));
            if (answer.statusCode() == 404) return new Outcome(Status.EMPTY, 0, "trace not found");
            if (answer.statusCode() / 100 != 2) return new Outcome(Status.ERROR, 0, answer.statusCode() + ": " + brief(answer.body()));
            return new Outcome(Status.OK, 1, "1 trace");
        }
        var params = new LinkedHashMap<String, String>();
        params.put("q", text);
        params.put("start", Long.toString(range.from().getEpochSecond()));
        params.put("end", Long.toString(range.to().getEpochSecond()));
        params.put("limit", Integer.toString(q.limit()));
        var answer = get(stores.tempo(), "api/search", params, Map.of());
        if (answer.statusCode() / 100 != 2) return new Outcome(Status.ERROR, 0, answer.statusCode() + ": " + brief(answer.body()));
        int traces = JSON.readTree(answer.body()).path("traces").size();
        return new Outcome(traces == 0 ? Status.EMPTY : Status.OK, traces, traces + " traces");
    }

    /** VictoriaMetrics' and VictoriaLogs' stats answers: {"status":"success","data":{"result":[...]}}. */
    private static Outcome prometheusShaped(HttpResponse<String> answer) throws IOException {
        if (answer.statusCode() / 100 != 2) return new Outcome(Status.ERROR, 0, answer.statusCode() + ": " + brief(answer.body()));
        JsonNode body = JSON.readTree(answer.body());
        if (!"success".equals(body.path("status").asText())) return new Outcome(Status.ERROR, 0, brief(answer.body()));
        int series = body.path("data").path("result").size();
        return new Outcome(series == 0 ? Status.EMPTY : Status.OK, series, series + " series");
    }

    /** The query text with variables and Grafana's built-ins replaced, as the panel would send it. */
    static String interpolate(String text, List<DashboardVariable> variables, PanelQuery.Store store, long intervalMs, GrafanaRange range) {
        var byName = new LinkedHashMap<String, DashboardVariable>();
        variables.forEach(v -> byName.put(v.name(), v));
        long rangeS = range.rangeMs() / 1000;
        Matcher m = VARIABLE.matcher(text);
        var out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(3);
            String format = m.group(2);
            String value = switch (name) {
                case "__interval" -> GrafanaRange.text(intervalMs);
                case "__interval_ms" -> Long.toString(intervalMs);
                case "__range" -> rangeS + "s";
                case "__range_s" -> Long.toString(rangeS);
                case "__range_ms" -> Long.toString(range.rangeMs());
                default -> byName.containsKey(name) ? byName.get(name).format(format, store) : m.group();
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private HttpResponse<String> get(URI base, String path, Map<String, String> params, Map<String, String> headers) throws IOException, InterruptedException {
        var query = new StringBuilder();
        params.forEach((k, v) -> query.append(query.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        var request = HttpRequest.newBuilder(URI.create(root + path + (query.isEmpty() ? "" : "?" + query))).timeout(timeout).GET();
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String brief(String body) {
        String one = body.strip().replaceAll("\\s+", " ");
        return one.length() > 300 ? one.substring(0, 300) + "..." : one;
    }
}
