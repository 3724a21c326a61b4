/**
 * {@code --incident-intensity}: how many times the seed's incident and cascade failure rates a run uses, so a small
 * run can carry incidents that show in its data. A scaled rate is capped at {@link #MAX_RATE} (a request during an
 * incident still sometimes succeeds), and never below the seed's own rate; intensity 1 leaves every rate as it is.
 */
record IncidentIntensity(double factor) {
    static final IncidentIntensity SEED = new IncidentIntensity(1);
    static final double MAX_RATE = 0.95;

    IncidentIntensity {
        if (!(factor >= 1) || Double.isInfinite(factor))
            throw new IllegalArgumentException("--incident-intensity must be a finite number of at least 1, got " + factor);
    }

    /** The run's probability for a seed probability {@code rate}. */
    double scale(double rate) {
        return factor == 1 ? rate : Math.min(rate * factor, Math.max(rate, MAX_RATE));
    }
}
