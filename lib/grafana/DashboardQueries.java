import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A generated dashboard read back as what Grafana would run: its variables and every panel query, in panel order. */
record DashboardQueries(String title, String file, List<DashboardVariable> variables, List<PanelQuery> queries, String from, String to) {
    /** Grafana's default when a panel sets no maxDataPoints: about one point per pixel of a half-width panel. */
    static final int DEFAULT_MAX_DATA_POINTS = 1000;

    static DashboardQueries read(Path file) {
        JsonNode d;
        try {
            d = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        String title = d.path("title").asText(file.getFileName().toString());
        var variables = new ArrayList<DashboardVariable>();
        for (JsonNode v : d.path("templating").path("list")) {
            String query = v.path("query").isTextual() ? v.path("query").asText() : v.path("query").path("query").asText("");
            variables.add(new DashboardVariable(v.path("name").asText(), v.path("type").asText(), query,
                    v.path("includeAll").asBoolean(false), v.hasNonNull("allValue") ? v.path("allValue").asText() : null,
                    v.path("multi").asBoolean(false), List.of(), false));
        }
        var queries = new ArrayList<PanelQuery>();
        collect(title, d.path("panels"), queries);
        return new DashboardQueries(title, file.getFileName().toString(), List.copyOf(variables), List.copyOf(queries),
                d.path("time").path("from").asText("now-6h"), d.path("time").path("to").asText("now"));
    }

    private static void collect(String dashboard, JsonNode panels, List<PanelQuery> out) {
        for (JsonNode p : panels) {
            if (p.has("panels")) collect(dashboard, p.path("panels"), out);  // rows hold their panels
            for (JsonNode t : p.path("targets")) {
                String uid = t.path("datasource").path("uid").asText(p.path("datasource").path("uid").asText());
                var store = PanelQuery.Store.of(uid);
                String text = store == PanelQuery.Store.TEMPO ? t.path("query").asText() : t.path("expr").asText();
                boolean instant = switch (store) {
                    case VM -> t.path("instant").asBoolean(false) && !t.path("range").asBoolean(false);
                    case VL -> !"statsRange".equals(t.path("queryType").asText());
                    case TEMPO -> true;
                };
                int limit = t.path("maxLines").asInt(t.path("limit").asInt(1000));
                long minInterval = p.hasNonNull("interval") ? durationMs(p.path("interval").asText()) : 0;
                out.add(new PanelQuery(dashboard, p.path("id").asInt(), p.path("title").asText(), t.path("refId").asText("A"), store,
                        t.path("queryType").asText(store == PanelQuery.Store.VM ? (instant ? "instant" : "range") : ""), instant, text, limit,
                        minInterval, p.path("maxDataPoints").asInt(DEFAULT_MAX_DATA_POINTS)));
            }
        }
    }

    /** 15s, 1m, 2h, 1d as milliseconds. */
    static long durationMs(String text) {
        var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d|w)").matcher(text.strip());
        if (!m.matches()) throw new IllegalArgumentException("not a duration: " + text);
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1_000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            case "d" -> n * 86_400_000;
            default -> n * 604_800_000;
        };
    }
}
