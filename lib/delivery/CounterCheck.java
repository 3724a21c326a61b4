import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Locale;
import java.util.SortedMap;

/**
 * The store's side of one delivery run: its {@link ServerCounters} read before the run (which also shows that the
 * store answers at all) and again after, compared with what the sender saw acknowledged. A run told not to read
 * them is only probed: any HTTP answer at the store's base URL will do. Counters served elsewhere than the store's
 * URL (Tempo: OTLP on 4318, /metrics on 3200) are read after a probe of the store, and when they do not answer the
 * run goes on with the check noted as not done. Shared by the file importers ({@link ImportRun}) and the
 * generator's streams.
 */
final class CounterCheck {
    /**
     * What the counters said after the run.
     *
     * @param line        one line for the summary
     * @param undelivered records acknowledged but not stored by the server's own count; -1 when the server counted
     *                    failed requests but no rows
     * @param unverified  the counters answered before the run but not after (the endpoint died mid-run) while it
     *                    had acknowledged records: those cannot be checked
     */
    record Verdict(String line, long undelivered, boolean unverified) {
        Verdict(String line, long undelivered) { this(line, undelivered, false); }
    }

    private final ServerCounters counters;
    private final HttpClient http;
    private final ServerCounters.Reading before;
    private final String note;

    private CounterCheck(ServerCounters counters, HttpClient http, ServerCounters.Reading before, String note) {
        this.counters = counters;
        this.http = http;
        this.before = before;
        this.note = note;
    }

    /**
     * Reads the counters (or probes {@code url} when there are none or {@code skip}); an IOException means nothing
     * answers there.
     */
    static CounterCheck start(URI url, ServerCounters counters, boolean skip) throws IOException {
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        if (counters != null && !skip) {
            boolean elsewhere = !sameServer(url, counters.metricsUrl());
            if (elsewhere) probe(http, url);
            ServerCounters.Reading r;
            try {
                r = counters.read(http);
            } catch (IOException e) {
                if (!elsewhere) throw e;
                return new CounterCheck(counters, http, null, "not checked: " + counters.metricsUrl() + " did not answer (" + why(e) + ")");
            }
            return new CounterCheck(counters, http, r, r.available() ? null : "not checked: " + r.note());
        }
        probe(http, url);
        return new CounterCheck(counters, http, null, skip ? "not read (--no-server-counters)" : "not available for this store");
    }

    /** Whether both URLs name the same host and port. */
    static boolean sameServer(URI a, URI b) {
        return String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost())) && port(a) == port(b);
    }

    private static int port(URI u) { return u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80; }

    /** Any HTTP answer at the base URL; a connection failure or timeout is an IOException. */
    static void probe(HttpClient http, URI url) throws IOException {
        String base = url.toString().replaceAll("/+$", "");
        try {
            http.send(HttpRequest.newBuilder(URI.create(base + "/")).timeout(Duration.ofSeconds(20)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** "ConnectException: Connection refused", for a one-line error. */
    static String why(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** Reads the counters again and compares them with what was acknowledged. */
    Verdict finish(long acknowledged) {
        if (before == null || !before.available()) return new Verdict(note, 0);
        ServerCounters.Reading after = settle(acknowledged);
        if (after == null) return new Verdict("not checked: " + counters.metricsUrl() + " did not answer after the run", 0, acknowledged > 0);
        if (!after.available()) return new Verdict("not checked: counters unreadable after the run", 0);
        long acc = Math.round(after.accepted() - before.accepted());
        long ref = Math.round(after.refusedRows() - before.refusedRows());
        long fr = Math.round(after.failedRequests() - before.failedRequests());
        long missing = Math.max(0, acknowledged - acc);
        long undelivered = Math.max(missing, ref);
        String line = String.format(Locale.ROOT, "+%d accepted, +%d dropped%s, +%d failed requests (%s)%s%s",
                acc, ref, reasons(before.refusedBy(), after.refusedBy()), fr, counters.metricsUrl(),
                undelivered > 0 ? ": " + undelivered + " acknowledged but not stored" : "",
                acc > acknowledged ? ": " + (acc - acknowledged) + " more than acknowledged (other writers, or requests that timed out,"
                        + " were kept by the store and sent again)" : "");
        if (fr > 0 && undelivered == 0) undelivered = -1; // errors without a row count
        return new Verdict(line, undelivered);
    }

    /** " (5 trace_too_large, 2 live_traces_exceeded)": what each reason added during the run, or "" when none did. */
    static String reasons(SortedMap<String, Double> before, SortedMap<String, Double> after) {
        var parts = new ArrayList<String>();
        after.forEach((reason, n) -> {
            long added = Math.round(n - before.getOrDefault(reason, 0.0));
            if (added > 0) parts.add(added + " " + reason);
        });
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    /** Reads the counters until they cover what was acknowledged or stop moving (some servers cache /metrics ~1 s). */
    private ServerCounters.Reading settle(long acknowledged) {
        ServerCounters.Reading last = null;
        for (int i = 0; i < 12; i++) {
            try {
                var r = counters.read(http);
                if (!r.available()) return r;
                boolean covered = r.accepted() - before.accepted() >= acknowledged;
                if (covered || (last != null && r.accepted() == last.accepted() && i >= 3)) return r;
                last = r;
                Thread.sleep(500);
            } catch (IOException e) {
                return last;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return last;
            }
        }
        return last;
    }
}
