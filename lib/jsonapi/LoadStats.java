import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one load, safe to bump from many threads. Rows add up: {@code read = created + existing + skipped + failed}.
 * Requests count every HTTP exchange, retries included; {@code retried} counts them by cause ("500", "429",
 * "connection").
 */
final class LoadStats {
    /** Per resource: rows read, created, already there, failed. */
    record Table(String resource, long read, long created, long existing, long failed) {}

    private final LongAdder skipped = new LongAdder();

    private final LongAdder read = new LongAdder(), created = new LongAdder(), existing = new LongAdder(),
            failed = new LongAdder(), requests = new LongAdder(), retried = new LongAdder();
    private final Map<String, LongAdder> retryCauses = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong[]> perTable = new ConcurrentHashMap<>();

    private AtomicLong[] table(String resource) {
        return perTable.computeIfAbsent(resource, r -> new AtomicLong[] {new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()});
    }

    void read(String resource) { read.increment(); table(resource)[0].incrementAndGet(); }
    void created(String resource, long n) { created.add(n); table(resource)[1].addAndGet(n); }
    void existing(String resource, long n) { existing.add(n); table(resource)[2].addAndGet(n); }
    void failed(String resource, long n) { failed.add(n); table(resource)[3].addAndGet(n); }
    void request() { requests.increment(); }
    /** Rows deliberately not sent (a link the API cannot write without side effects). */
    void skipped(long n) { skipped.add(n); }
    long skipped() { return skipped.sum(); }

    void retried(String cause) {
        retried.increment();
        retryCauses.computeIfAbsent(cause, c -> new LongAdder()).increment();
    }

    long read() { return read.sum(); }
    long created() { return created.sum(); }
    long existing() { return existing.sum(); }
    long failed() { return failed.sum(); }
    long requests() { return requests.sum(); }
    long retried() { return retried.sum(); }

    /** cause -> count, sorted by cause. */
    Map<String, Long> retryCauses() {
        var out = new TreeMap<String, Long>();
        retryCauses.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    Table table(JsonApiTable t) {
        var c = perTable.get(t.resource());
        if (c == null) return new Table(t.resource(), 0, 0, 0, 0);
        return new Table(t.resource(), c[0].get(), c[1].get(), c[2].get(), c[3].get());
    }
}
