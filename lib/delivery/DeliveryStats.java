import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counts of one delivery run, shared by readers and senders: read, bad, skipped (acknowledged by an earlier run),
 * sent, acknowledged, retried, failed, rejected (2xx but refused inside the answer), bytes in and on the wire.
 * Keeps the first problems verbatim for the summary.
 */
final class DeliveryStats {
    static final int KEPT_PROBLEMS = 20;

    final LongAdder read = new LongAdder();
    final LongAdder inputBytes = new LongAdder();
    final LongAdder bad = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final LongAdder sent = new LongAdder();
    final LongAdder acknowledged = new LongAdder();
    final LongAdder requests = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder wireBytes = new LongAdder();
    final LongAdder bodyBytes = new LongAdder();
    final LongAdder unreadable = new LongAdder();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final LongAdder problemCount = new LongAdder();

    /** Records a problem; the first {@link #KEPT_PROBLEMS} are kept for the summary. */
    void problem(String text) {
        problemCount.increment();
        synchronized (problems) {
            if (problems.size() < KEPT_PROBLEMS) problems.add(text);
        }
    }

    List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    long problemCount() { return problemCount.sum(); }

    /** Records that reached the server but were not acknowledged as stored. */
    long undeliveredBySender() { return failed.sum() + rejected.sum(); }
}
