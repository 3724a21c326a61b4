/**
 * How many requests may be in flight, found by AIMD the way TCP finds a window: each acknowledged request adds
 * {@code 1/limit} (about one more slot per round of answers) up to the ceiling; a pushback (429, 5xx, timeout,
 * refused connection) halves the limit, and an answer much slower than the best seen (per record) takes 10% off.
 * Decreases are spaced by at least {@link #COOL_DOWN_NANOS} so one burst of failures counts once. Thread-safe.
 */
final class AdaptiveConcurrency {
    /** Answer outcome as the limiter sees it. */
    enum Signal { OK, PUSHBACK, OTHER }

    static final long COOL_DOWN_NANOS = 200_000_000L;
    /** An answer this many times slower per record than the fastest seen counts as congestion. */
    static final double SLOW_FACTOR = 4.0;
    /** ...but only when it also took at least this long (tiny requests are noisy). */
    static final long SLOW_FLOOR_NANOS = 50_000_000L;

    private final int ceiling;
    private double limit;
    private double lowest;
    private int inFlight;
    private double fastestPerRecord = Double.MAX_VALUE;
    private long lastDecrease;
    private long decreases;

    /** Starts at {@code start} (clamped to 1..ceiling). */
    AdaptiveConcurrency(int ceiling, int start) {
        if (ceiling < 1) throw new IllegalArgumentException("workers must be >= 1, got " + ceiling);
        this.ceiling = ceiling;
        this.limit = Math.max(1, Math.min(ceiling, start));
        this.lowest = limit;
        this.lastDecrease = System.nanoTime() - COOL_DOWN_NANOS;
    }

    synchronized void acquire() throws InterruptedException {
        while (inFlight >= (int) limit) wait();
        inFlight++;
    }

    synchronized void release(Signal signal, long latencyNanos, int records) {
        inFlight--;
        switch (signal) {
            case OK -> {
                double perRecord = latencyNanos / (double) Math.max(1, records);
                fastestPerRecord = Math.min(fastestPerRecord, perRecord);
                if (latencyNanos > SLOW_FLOOR_NANOS && perRecord > fastestPerRecord * SLOW_FACTOR) decrease(0.9);
                else limit = Math.min(ceiling, limit + 1 / limit);
            }
            case PUSHBACK -> decrease(0.5);
            case OTHER -> { }
        }
        notifyAll();
    }

    private void decrease(double factor) {
        long now = System.nanoTime();
        if (now - lastDecrease < COOL_DOWN_NANOS) return;
        lastDecrease = now;
        decreases++;
        limit = Math.max(1, limit * factor);
        lowest = Math.min(lowest, limit);
    }

    synchronized double limit() { return limit; }

    synchronized double lowest() { return lowest; }

    synchronized long decreases() { return decreases; }

    int ceiling() { return ceiling; }
}
