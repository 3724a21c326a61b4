import java.io.PrintStream;
import java.util.Locale;

/**
 * What one delivery to one store came to, and its lines of the summary: read, bad, sent, acknowledged, retried,
 * failed, what the server's counters say, how the concurrency went. Shared by the file importers ({@link ImportRun})
 * and the generator's streams, so both count and judge the same way: delivered means every record acknowledged, none
 * refused inside an answer, the server's own count agreeing, and the run not stopped early.
 */
record DeliveryReport(String unit, DeliveryStats stats, BatchSender<?> sender, boolean gzip, CounterCheck.Verdict server) {

    /** Records not delivered: failed batches, records refused inside 2xx answers, and what the server did not store. */
    long notDelivered() { return stats.failed.sum() + stats.rejected.sum() + Math.max(0, server.undelivered()); }

    /** Everything delivered and nothing left unexplained by the server; bad input lines are the caller's to judge. */
    boolean delivered() { return notDelivered() == 0 && server.undelivered() == 0 && sender.aborted() == null; }

    /** The per-store lines, each starting with {@code indent}. */
    void print(PrintStream out, String indent) {
        var s = stats;
        String f = indent + "%-14s";
        out.printf(Locale.ROOT, f + "%d lines, %.1f MB%n", "read", s.read.sum(), s.inputBytes.sum() / 1e6);
        if (s.skipped.sum() > 0) out.printf(Locale.ROOT, f + "%d lines acknowledged by an earlier run (--resume)%n", "skipped", s.skipped.sum());
        out.printf(Locale.ROOT, f + "%d lines%s%n", "bad", s.bad.sum(), s.bad.sum() > 0 ? " (file:line and reason on stderr)" : "");
        out.printf(Locale.ROOT, f + "%d %s in %d requests, %.1f MB body, %.1f MB on the wire%s%n", "sent", s.sent.sum(), unit,
                s.requests.sum(), s.bodyBytes.sum() / 1e6, s.wireBytes.sum() / 1e6, gzip ? " (gzip)" : "");
        out.printf(Locale.ROOT, f + "%d%n", "acknowledged", s.acknowledged.sum());
        out.printf(Locale.ROOT, f + "%d requests%n", "retried", s.retried.sum());
        out.printf(Locale.ROOT, f + "%d %s%s%n", "failed", s.failed.sum(), unit,
                s.rejected.sum() > 0 ? ", " + s.rejected.sum() + " refused inside 2xx answers" : "");
        out.printf(Locale.ROOT, f + "%s%n", "server", server.line());
        var c = sender.concurrency();
        out.printf(Locale.ROOT, f + "ceiling %d, ended at %.1f, lowest %.1f, %d backoffs%n", "concurrency", c.ceiling(), c.limit(),
                c.lowest(), c.decreases());
        if (sender.aborted() != null) out.printf(Locale.ROOT, f + "--fail-fast: %s%n", "stopped", sender.aborted());
    }

    /** The kept problems, one line each as {@code <step>: <problem>}, then how many more there were. */
    void problems(PrintStream err, String step) {
        for (String p : stats.problems()) err.println(step + ": " + p);
        if (stats.problemCount() > DeliveryStats.KEPT_PROBLEMS)
            err.println(step + ": ... " + (stats.problemCount() - DeliveryStats.KEPT_PROBLEMS) + " more problems");
    }
}
