import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A store's own count of what it took and what it dropped, read from its Prometheus {@code /metrics} page before
 * and after a run: VictoriaMetrics and VictoriaLogs answer 2xx while skipping lines they cannot parse or store, and
 * Tempo answers 200 before its ingesters discard spans; only these counters tell. A selector is a metric name with
 * optional {@code k="v"} labels that must all be present; matching series are summed.
 *
 * @param metricsUrl     the page, e.g. http://localhost:8428/metrics
 * @param accepted       rows the store took from this kind of request
 * @param refusedRows    rows it dropped (unparsable, outside retention, trace too large, ...)
 * @param failedRequests requests it answered with an error, counted apart (a unit of requests, not rows)
 * @param reasonLabel    the label of {@code refusedRows} that says why (Tempo: {@code reason}), or null
 */
record ServerCounters(URI metricsUrl, List<String> accepted, List<String> refusedRows, List<String> failedRequests,
                      String reasonLabel) {

    ServerCounters(URI metricsUrl, List<String> accepted, List<String> refusedRows, List<String> failedRequests) {
        this(metricsUrl, accepted, refusedRows, failedRequests, null);
    }

    /**
     * One reading; {@code note} says why there is none (page missing, counters absent). {@code refusedBy} splits
     * {@code refusedRows} by {@link #reasonLabel} (sorted, so summaries print the same every run; empty without one).
     */
    record Reading(double accepted, double refusedRows, double failedRequests, SortedMap<String, Double> refusedBy, String note) {
        Reading {
            refusedBy = Collections.unmodifiableSortedMap(new TreeMap<>(refusedBy));
        }

        Reading(double accepted, double refusedRows, double failedRequests, String note) {
            this(accepted, refusedRows, failedRequests, new TreeMap<>(), note);
        }

        boolean available() { return note == null; }
    }

    /** Reads the page; a connection failure is an exception (the store is not there), a 404 or absent counter a note. */
    Reading read(HttpClient http) throws IOException {
        HttpResponse<String> page;
        try {
            page = http.send(HttpRequest.newBuilder(metricsUrl).timeout(Duration.ofSeconds(20)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (page.statusCode() != 200) return new Reading(0, 0, 0, metricsUrl + " answered HTTP " + page.statusCode());
        String text = page.body();
        double[] a = sum(text, accepted), r = sum(text, refusedRows), f = sum(text, failedRequests);
        if (a[1] == 0) return new Reading(0, 0, 0, metricsUrl + " has no " + String.join(" or ", accepted));
        return new Reading(a[0], r[0], f[0], reasonLabel == null ? new TreeMap<>() : sumBy(text, refusedRows, reasonLabel), null);
    }

    /** {sum, number of matching series}. */
    static double[] sum(String page, List<String> selectors) {
        double total = 0;
        int found = 0;
        for (String line : page.split("\n")) {
            String sel = selector(line, selectors);
            if (sel == null) continue;
            double v = value(line);
            if (Double.isNaN(v)) continue; // not a sample line
            total += v;
            found++;
        }
        return new double[]{total, found};
    }

    /** The matching series summed per value of {@code label} (series without it under "unknown"). */
    static SortedMap<String, Double> sumBy(String page, List<String> selectors, String label) {
        var out = new TreeMap<String, Double>();
        for (String line : page.split("\n")) {
            if (selector(line, selectors) == null) continue;
            double v = value(line);
            if (Double.isNaN(v)) continue;
            String key = labelValue(line, label);
            out.merge(key == null ? "unknown" : key, v, Double::sum);
        }
        return out;
    }

    /** The first selector the sample line matches, or null (comments and blank lines match none). */
    private static String selector(String line, List<String> selectors) {
        if (line.isEmpty() || line.charAt(0) == '#') return null;
        for (String sel : selectors) if (matches(line, sel)) return sel;
        return null;
    }

    /** The sample value at the end of the line, NaN when it is not a number. */
    private static double value(String line) {
        try {
            return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The value of {@code name="..."} in the line's label set, or null. */
    static String labelValue(String line, String name) {
        int open = line.indexOf('{'), close = line.indexOf('}');
        if (open < 0 || close < open) return null;
        String labels = line.substring(open + 1, close);
        for (int i = labels.indexOf(name + "=\""); i >= 0; i = labels.indexOf(name + "=\"", i + 1)) {
            if (i > 0 && labels.charAt(i - 1) != ',' && labels.charAt(i - 1) != ' ') continue; // a longer name ending in it
            int from = i + name.length() + 2, to = labels.indexOf('"', from);
            return to < 0 ? null : labels.substring(from, to);
        }
        return null;
    }

    static boolean matches(String line, String selector) {
        int brace = selector.indexOf('{');
        String name = brace < 0 ? selector : selector.substring(0, brace);
        if (!line.startsWith(name)) return false;
        char next = line.length() > name.length() ? line.charAt(name.length()) : ' ';
        if (next != '{' && next != ' ') return false;
        if (brace < 0) return true;
        int end = line.lastIndexOf('}'); // label values may hold braces: path="/insert/{}/prometheus/api/v1/import"
        if (next != '{' || end < 0) return false;
        String labels = line.substring(name.length(), end + 1);
        for (String want : selector.substring(brace + 1, selector.length() - 1).split(",")) {
            if (!want.isBlank() && !labels.contains(want.trim())) return false;
        }
        return true;
    }
}
