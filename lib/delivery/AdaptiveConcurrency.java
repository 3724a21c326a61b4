/**
 * How many requests may be in flight, found by AIMD the way TCP finds a window: each acknowledged request adds
 * {@code 1/limit} (about one more slot per round of answers) up to the ceiling; a pushback (429, 5xx, timeout,
 * refused connection) halves the limit, and an answer much slower than the best seen (per record) takes 10% off.
 * While the answers' smoothed time per record is well above the best seen, the limit holds: the server is busy, and
 * more requests in flight would only share it (bench-native: the same samples/s with fewer requests in flight and
 * fewer backoffs).
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
    /** Grow only while the smoothed time per record stays within this factor of the fastest. */
    static final double GROW_FACTOR = 1.3;
    /** Weight of the newest answer in the smoothed time per record. */
    static final double SMOOTHING = 0.5;

    private final int ceiling;
    private double limit;
    private double lowest;
    private int inFlight;
    private double fastestPerRecord = Double.MAX_VALUE;
    private double smoothedPerRecord = -1;
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
                smoothedPerRecord = smoothedPerRecord < 0 ? perRecord : smoothedPerRecord + SMOOTHING * (perRecord - smoothedPerRecord);
                boolean timed = latencyNanos > SLOW_FLOOR_NANOS;
                if (timed && perRecord > fastestPerRecord * SLOW_FACTOR) decrease(0.9);
                else if (!timed || smoothedPerRecord <= fastestPerRecord * GROW_FACTOR) limit = Math.min(ceiling, limit + 1 / limit);
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
