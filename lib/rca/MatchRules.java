/**
 * When a finding matches an injected cause: the same kind, and its window touches or overlaps the cause's window widened
 * by {@code toleranceMicros} on both sides, by at least {@code minOverlap} of the shorter of the two windows (0: touching
 * is enough). A cause whose run logged fewer than {@code minErrors} errors for it cannot be found in the data: it is left
 * out of recall, and a finding that matches it is still no false positive.
 */
record MatchRules(long toleranceMicros, double minOverlap, long minErrors) {
    static final String DEFAULT_TOLERANCE = "5m";
    static final String DEFAULT_MIN_OVERLAP = "0";
    static final String DEFAULT_MIN_ERRORS = "1";

    MatchRules {
        if (toleranceMicros < 0) throw new IllegalArgumentException("--tolerance must not be negative");
        if (!(minOverlap >= 0 && minOverlap <= 1)) throw new IllegalArgumentException("--min-overlap must be between 0 and 1, got " + minOverlap);
        if (minErrors < 0) throw new IllegalArgumentException("--min-errors must not be negative, got " + minErrors);
    }

    boolean matches(Finding f, TruthCause t) {
        if (f.kind() != t.kind()) return false;
        long from = t.startMicros() - toleranceMicros, to = t.endMicros() + toleranceMicros;
        long overlap = Math.min(f.endMicros(), to) - Math.max(f.startMicros(), from);
        if (overlap < 0) return false;
        long shorter = Math.min(f.endMicros() - f.startMicros(), t.endMicros() - t.startMicros());
        return minOverlap == 0 || shorter == 0 || (double) overlap / shorter >= minOverlap;
    }

    /** Whether the cause counts in recall: its errors are in the data (deployment windows always are). */
    boolean findable(TruthCause t) { return t.observedErrors() < 0 || t.observedErrors() >= minErrors; }
}
