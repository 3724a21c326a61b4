import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * What one delivery to one store came to, and its lines of the summary: read, bad, sent, acknowledged, retried,
 * failed, what the server's counters say, how the concurrency went; with several endpoints, one block per endpoint
 * (its acknowledged count, batches it handed to the others, its own counters and concurrency) under the totals.
 * Shared by the file importers ({@link ImportRun}) and the generator's streams, so both count and judge the same
 * way: delivered means every record acknowledged, none refused inside an answer, every endpoint's own count
 * agreeing, and the run not stopped early.
 *
 * @param servers each endpoint's counter verdict, in the order of {@link BatchSender#routes()}
 */
record DeliveryReport(String unit, DeliveryStats stats, BatchSender<?> sender, boolean gzip, List<CounterCheck.Verdict> servers) {

    DeliveryReport {
        servers = List.copyOf(servers);
        if (servers.size() != sender.routes().size())
            throw new IllegalArgumentException(servers.size() + " counter verdicts for " + sender.routes().size() + " endpoints");
    }

    /** The endpoints' verdicts taken together: what they say was acknowledged but not stored, summed. */
    CounterCheck.Verdict server() {
        if (servers.size() == 1) return servers.get(0);
        long missing = 0;
        boolean unexplained = false;
        for (CounterCheck.Verdict v : servers) {
            if (v.undelivered() > 0) missing += v.undelivered();
            if (v.undelivered() < 0) unexplained = true;
        }
        return new CounterCheck.Verdict("per endpoint below", missing == 0 && unexplained ? -1 : missing);
    }

    /**
     * Records not delivered: failed batches, records refused inside 2xx answers, what the servers did not store, and,
     * with several endpoints, what an endpoint that died acknowledged (its counters cannot confirm it, and a
     * VictoriaMetrics killed outright loses what it had not yet written: the others can take it on --resume).
     */
    long notDelivered() { return stats.failed.sum() + stats.rejected.sum() + Math.max(0, server().undelivered()) + unverified(); }

    /** Records acknowledged by endpoints that died before their counters could confirm them (several endpoints only). */
    long unverified() {
        var routes = sender.routes();
        if (routes.size() < 2) return 0;
        long n = 0;
        for (int i = 0; i < routes.size(); i++) if (servers.get(i).unverified()) n += routes.get(i).acknowledged.sum();
        return n;
    }

    /** The endpoints whose acknowledged records count as not delivered (see {@link #unverified()}). */
    List<StoreEndpoint> unverifiedEndpoints() {
        var routes = sender.routes();
        var out = new java.util.ArrayList<StoreEndpoint>();
        if (routes.size() < 2) return out;
        for (int i = 0; i < routes.size(); i++) if (servers.get(i).unverified()) out.add(routes.get(i).endpoint);
        return out;
    }

    /** Everything delivered and nothing left unexplained by the servers; bad input lines are the caller's to judge. */
    boolean delivered() { return notDelivered() == 0 && server().undelivered() == 0 && sender.aborted() == null; }

    /** The per-store lines, each starting with {@code indent}. */
    void print(PrintStream out, String indent) {
        var s = stats;
        String f = indent + "%-14s";
        out.printf(Locale.ROOT, f + "%d lines, %.1f MB%n", "read", s.read.sum(), s.inputBytes.sum() / 1e6);
        if (s.skipped.sum() > 0) out.printf(Locale.ROOT, f + "%d lines acknowledged by an earlier run (--resume)%n", "skipped", s.skipped.sum());
        out.printf(Locale.ROOT, f + "%d lines%s%n", "bad", s.bad.sum(), s.bad.sum() > 0 ? " (file:line and reason on stderr)" : "");
        out.printf(Locale.ROOT, f + "%d %s in %d requests, %.1f MB body, %.1f MB on the wire%s%n", "sent", s.sent.sum(), unit,
                s.requests.sum(), s.bodyBytes.sum() / 1e6, s.wireBytes.sum() / 1e6, gzip ? " (gzip)" : "");
        var routes = sender.routes();
        out.printf(Locale.ROOT, f + "%d%s%n", "acknowledged", s.acknowledged.sum(),
                routes.size() > 1 ? " (all endpoints, each batch counted once, where it was acknowledged)" : "");
        out.printf(Locale.ROOT, f + "%d requests%n", "retried", s.retried.sum());
        out.printf(Locale.ROOT, f + "%d %s%s%n", "failed", s.failed.sum(), unit,
                s.rejected.sum() > 0 ? ", " + s.rejected.sum() + " refused inside 2xx answers" : "");
        if (routes.size() == 1) {
            out.printf(Locale.ROOT, f + "%s%n", "server", servers.get(0).line());
            concurrency(out, f, routes.get(0).concurrency);
        } else {
            out.printf(Locale.ROOT, f + "%d, each with its own concurrency and counter check%n", "endpoints", routes.size());
            for (int i = 0; i < routes.size(); i++) {
                var r = routes.get(i);
                out.printf(Locale.ROOT, f + "%s%n", "endpoint " + (i + 1), r.endpoint.label());
                String g = indent + "  %-13s";
                out.printf(Locale.ROOT, g + "%d %s in %d requests%n", "acknowledged", r.acknowledged.sum(), unit, r.requests.sum());
                if (r.rests() > 0)
                    out.printf(Locale.ROOT, g + "%d %s to the other endpoints; out of rotation %d time(s), last after: %s%n", "handed over",
                            r.handedOver.sum(), unit, r.rests(), r.lastFailure());
                out.printf(Locale.ROOT, g + "%s%n", "server", servers.get(i).line());
                concurrency(out, g, r.concurrency);
            }
        }
        if (sender.aborted() != null) out.printf(Locale.ROOT, f + "--fail-fast: %s%n", "stopped", sender.aborted());
    }

    private static void concurrency(PrintStream out, String format, AdaptiveConcurrency c) {
        out.printf(Locale.ROOT, format + "ceiling %d, ended at %.1f, lowest %.1f, %d backoffs%n", "concurrency", c.ceiling(), c.limit(),
                c.lowest(), c.decreases());
    }

    /** The kept problems, one line each as {@code <step>: <problem>}, then how many more there were. */
    void problems(PrintStream err, String step) {
        for (String p : stats.problems()) err.println(step + ": " + p);
        if (stats.problemCount() > DeliveryStats.KEPT_PROBLEMS)
            err.println(step + ": ... " + (stats.problemCount() - DeliveryStats.KEPT_PROBLEMS) + " more problems");
        var routes = sender.routes();
        for (int i = 0; i < routes.size(); i++) {
            if (servers.get(i).unverified())
                err.println(step + ": " + routes.get(i).acknowledged.sum() + " " + unit + " acknowledged by " + routes.get(i).endpoint.base()
                        + " could not be checked: its counters did not answer after the run" + (routes.size() > 1
                        ? "; counted as not delivered (a store killed outright loses what it had not written yet)"
                        : " (restart it and query it to see what it kept)"));
        }
    }
}
