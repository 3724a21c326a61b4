import java.time.Duration;
import java.util.SplittableRandom;

/**
 * When to try again after a refused or failed request: exponential delays with jitter, capped, for a bounded
 * number of attempts. A server's Retry-After wins when it asks for longer. Jitter comes from an explicit seed so
 * a run's schedule of retries is reproducible.
 */
record Backoff(Duration first, double factor, Duration max, int maxAttempts, double jitter, long seed) {

    Backoff {
        if (first.isNegative() || max.compareTo(first) < 0) throw new IllegalArgumentException("Backoff: need 0 <= first <= max");
        if (factor < 1) throw new IllegalArgumentException("Backoff.factor must be >= 1, got " + factor);
        if (maxAttempts < 1) throw new IllegalArgumentException("Backoff.maxAttempts must be >= 1, got " + maxAttempts);
        if (jitter < 0 || jitter >= 1) throw new IllegalArgumentException("Backoff.jitter must be in [0, 1), got " + jitter);
    }

    /** 1 s, 1.7 s, 2.9 s, ... capped at 30 s, 8 attempts in all, ±20% jitter. */
    static Backoff standard() { return new Backoff(Duration.ofSeconds(1), 1.7, Duration.ofSeconds(30), 8, 0.2, 1); }

    /** Millisecond delays, for tests against in-process servers. */
    static Backoff fast() { return new Backoff(Duration.ofMillis(1), 2, Duration.ofMillis(20), 8, 0, 1); }

    Backoff withMaxAttempts(int attempts) { return new Backoff(first, factor, max, attempts, jitter, seed); }

    /** Delay before attempt {@code failedAttempt + 1}; {@code retryAfter} may be null. */
    Duration delay(int failedAttempt, Duration retryAfter) {
        double base = first.toMillis() * Math.pow(factor, Math.max(0, failedAttempt - 1));
        double capped = Math.min(base, max.toMillis());
        double spread = jitter == 0 ? 0 : new SplittableRandom(seed * 31 + failedAttempt).nextDouble(-jitter, jitter);
        long ms = Math.round(capped * (1 + spread));
        if (retryAfter != null && retryAfter.toMillis() > ms) ms = Math.min(retryAfter.toMillis(), Math.max(max.toMillis(), ms));
        return Duration.ofMillis(ms);
    }

    /** Parses a Retry-After header given in seconds; null when absent or not a number (HTTP dates are rare here). */
    static Duration retryAfter(String header) {
        if (header == null) return null;
        try {
            return Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
