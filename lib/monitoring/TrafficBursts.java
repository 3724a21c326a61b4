import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Short windows where traffic runs at a multiple of its usual rate (stress scenario). */
final class TrafficBursts {
    record Burst(long startMicros, long endMicros, double factor) {}

    final List<Burst> bursts;
    final double maxFactor;

    TrafficBursts(GenerateConfig cfg) {
        Scenario sc = cfg.scenario();
        var rng = new SplittableRandom(Seeds.mix(cfg.seed(), 0xb0257L));
        long span = cfg.endMicros() - cfg.startMicros();
        double expected = sc.burstsPerDay() * span / 86_400e6;
        long n = (long) expected;
        if (rng.nextDouble() < expected - n) n++;
        var list = new ArrayList<Burst>();
        double max = 1;
        for (long k = 0; k < n; k++) {
            long dur = Math.min(span, (long) (sc.burstMinutes().draw(rng) * 60e6));
            long start = cfg.startMicros() + (span == dur ? 0 : rng.nextLong(span - dur + 1));
            double f = sc.burstFactor().draw(rng);
            list.add(new Burst(start, start + dur, f));
        }
        list.sort(java.util.Comparator.comparingLong(Burst::startMicros));
        for (Burst b : list) max = Math.max(max, b.factor());
        bursts = List.copyOf(list);
        maxFactor = max;
    }

    /** The traffic multiplier at a moment (1 outside bursts; overlapping bursts take the largest). */
    double factorAt(long micros) {
        double f = 1;
        for (Burst b : bursts) {
            if (b.startMicros() > micros) break;
            if (micros < b.endMicros()) f = Math.max(f, b.factor());
        }
        return f;
    }
}
