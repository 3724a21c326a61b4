import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * The store's side of one delivery run: its {@link ServerCounters} read before the run (which also shows that the
 * store answers at all) and again after, compared with what the sender saw acknowledged. A store without counters
 * (Tempo), or a run told not to read them, is only probed: any HTTP answer at its base URL will do. Shared by the
 * file importers ({@link ImportRun}) and the generator's streams.
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
            ServerCounters.Reading r = counters.read(http);
            return new CounterCheck(counters, http, r, r.available() ? null : "not checked: " + r.note());
        }
        probe(http, url);
        return new CounterCheck(counters, http, null, skip ? "not read (--no-server-counters)" : "not available for this store");
    }

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
        String line = String.format(Locale.ROOT, "+%d accepted, +%d dropped, +%d failed requests (%s)%s%s",
                acc, ref, fr, counters.metricsUrl(), undelivered > 0 ? ": " + undelivered + " acknowledged but not stored" : "",
                acc > acknowledged ? ": " + (acc - acknowledged) + " more than acknowledged (other writers, or requests that timed out,"
                        + " were kept by the store and sent again)" : "");
        if (fr > 0 && undelivered == 0) undelivered = -1; // errors without a row count
        return new Verdict(line, undelivered);
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
