import java.util.List;
import java.util.OptionalDouble;

/**
 * The rates bench-live runs, one after the other: the ones given, in order; then, to find the highest rate that
 * holds, the highest one that held so far times {@code step}, again and again, until a run misses. A rate at or above
 * one that already missed is not tried (it would miss too), and neither is anything after {@link #MAX_STEPS} steps.
 */
final class RateLadder {
    static final int MAX_STEPS = 25;

    /** One run's rate and whether it held its goals. */
    record Run(double rate, boolean held) {}

    private final List<Double> given;
    private final boolean findMax;
    private final double step;

    RateLadder(List<Double> given, boolean findMax, double step) {
        if (given.isEmpty()) throw new IllegalArgumentException("--rates needs at least one rate");
        for (double r : given) if (!(r > 0) || Double.isInfinite(r)) throw new IllegalArgumentException("--rates must be positive numbers, got " + r);
        if (!(step > 1) || Double.isInfinite(step)) throw new IllegalArgumentException("--step must be above 1, got " + step);
        this.given = List.copyOf(given);
        this.findMax = findMax;
        this.step = step;
    }

    /** The rate to run after {@code done} (the runs so far, in order), or empty when the ladder is over. */
    OptionalDouble next(List<Run> done) {
        if (done.size() < given.size()) return OptionalDouble.of(given.get(done.size()));
        if (!findMax || done.size() >= given.size() + MAX_STEPS) return OptionalDouble.empty();
        var held = highestHeld(done);
        if (held.isEmpty()) return OptionalDouble.empty(); // nothing holds: there is no rate to step up from
        double next = Math.max(Math.round(held.getAsDouble() * step), held.getAsDouble() + 1);
        for (Run r : done) if (!r.held() && r.rate() > held.getAsDouble() && next >= r.rate()) return OptionalDouble.empty();
        return OptionalDouble.of(next);
    }

    /** The highest rate that held its goals, if any did. */
    static OptionalDouble highestHeld(List<Run> done) {
        return done.stream().filter(Run::held).mapToDouble(Run::rate).max();
    }
}
