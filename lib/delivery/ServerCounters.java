import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A store's own count of what it took and what it dropped, read from its Prometheus {@code /metrics} page before
 * and after a run: both VictoriaMetrics and VictoriaLogs answer 2xx while skipping lines they cannot parse or
 * store, and only these counters tell. A selector is a metric name with optional {@code k="v"} labels that must
 * all be present; matching series are summed.
 *
 * @param metricsUrl     the page, e.g. http://localhost:8428/metrics
 * @param accepted       rows the store took from this kind of request
 * @param refusedRows    rows it dropped (unparsable, outside retention, ...)
 * @param failedRequests requests it answered with an error, counted apart (a unit of requests, not rows)
 */
record ServerCounters(URI metricsUrl, List<String> accepted, List<String> refusedRows, List<String> failedRequests) {

    /** One reading; {@code note} says why there is none (page missing, counters absent). */
    record Reading(double accepted, double refusedRows, double failedRequests, String note) {
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
        return new Reading(a[0], r[0], f[0], null);
    }

    /** {sum, number of matching series}. */
    static double[] sum(String page, List<String> selectors) {
        double total = 0;
        int found = 0;
        for (String line : page.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') continue;
            for (String sel : selectors) {
                if (matches(line, sel)) {
                    int sp = line.lastIndexOf(' ');
                    try {
                        total += Double.parseDouble(line.substring(sp + 1).trim());
                        found++;
                    } catch (NumberFormatException e) {
                        // not a sample line
                    }
                    break;
                }
            }
        }
        return new double[]{total, found};
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
