/**
 * How many roots a live run makes in each stretch of wall time: a token bucket filled at {@code --rate} roots/s,
 * or, with a scenario, at its rate times the personas' hour-of-week weights and its traffic bursts at that moment
 * ({@link TimeSlices#liveFactor}). A flat rate is counted from the start (rate x elapsed, floored), so it never
 * drifts. The bucket holds {@link #BUCKET_SECONDS} of traffic: a generator that falls further behind (a slow store
 * pushing back, a pause) skips the rest instead of stamping old times on a backlog, and the skipped roots are counted.
 */
final class LivePace {
    static final double BUCKET_SECONDS = 5;

    private final double rate;
    private final TimeSlices weights; // null: a flat rate
    private final long startMicros;
    private double due;               // roots due since the start (weighted rate: integrated tick by tick)
    private long taken, skipped;

    LivePace(double rate, TimeSlices weights, long startMicros) {
        if (!(rate > 0) || Double.isInfinite(rate)) throw new IllegalArgumentException("--rate must be a positive number, got " + rate);
        this.rate = rate;
        this.weights = weights;
        this.startMicros = startMicros;
    }

    /** The rate at a moment, roots per second. */
    double rateAt(long micros) { return weights == null ? rate : rate * weights.liveFactor(micros); }

    /** The roots to make in {@code [from, to)}: what is due by {@code to} and not made yet, at most a bucket. */
    long take(long from, long to) {
        if (weights == null) due = rate * ((to - startMicros) / 1e6);
        else due += rateAt(from + (to - from) / 2) * ((to - from) / 1e6);
        long n = (long) Math.floor(due + 1e-9) - taken - skipped;
        long bucket = Math.max(1, (long) Math.ceil(rateAt(to) * BUCKET_SECONDS));
        if (n > bucket) {
            skipped += n - bucket;
            n = bucket;
        }
        n = Math.max(0, n);
        taken += n;
        return n;
    }

    /** Roots due so far (the target). */
    long due() { return (long) Math.floor(due + 1e-9); }

    long taken() { return taken; }

    /** Roots not made because the generator was more than a bucket behind. */
    long skipped() { return skipped; }

    double baseRate() { return rate; }

    boolean weighted() { return weights != null; }
}
