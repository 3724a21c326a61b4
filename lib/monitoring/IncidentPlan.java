import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The infrastructure incidents of one run, drawn from the seed before any event: per component
 * {@code per_component_per_year} incidents scaled to the window length (and the scenario's factor), each
 * {@code duration_minutes} long at a uniform start inside the window. Ids follow start order. Failure rates are the
 * component's and the cascade's ({@code cascade_amplification} times it), each scaled by the run's incident intensity.
 */
final class IncidentPlan {
    private static final long MINUTE = 60_000_000L;
    private static final long YEAR = 365L * 24 * 60 * MINUTE;
    /** By id; live mode adds incidents as it runs ({@link #inject}), so this is a read-only view. */
    final List<Incident> incidents;
    private final List<Incident> list = new ArrayList<>();
    private double[] cascadeRates;
    private final double amplification;
    private final Map<String, Incident[]> byService = new HashMap<>();

    IncidentPlan(PlatformModel model, GenerateConfig cfg) {
        var s = model.settings();
        var rng = new SplittableRandom(Seeds.mix(cfg.seed(), 0x1c1d_0001L));
        long span = cfg.endMicros() - cfg.startMicros();
        double years = (double) span / YEAR;
        record Draft(InfraComponent c, long start, long end) {}
        var drafts = new ArrayList<Draft>();
        for (InfraComponent c : model.components()) {
            double expected = s.incidentsPerComponentPerYear().drawInt(rng) * years * cfg.scenario().incidentFactor();
            long n = (long) expected;
            if (rng.nextDouble() < expected - n) n++;
            for (long k = 0; k < n; k++) {
                long dur = Math.min(span, s.incidentMinutes().drawInt(rng) * MINUTE);
                long start = cfg.startMicros() + (span == dur ? 0 : rng.nextLong(span - dur + 1));
                drafts.add(new Draft(c, start, start + dur));
            }
        }
        drafts.sort(Comparator.comparingLong(Draft::start).thenComparing(d -> d.c().name()));
        IncidentIntensity intensity = cfg.incidentIntensity();
        cascadeRates = new double[drafts.size()];
        for (Draft d : drafts) {
            cascadeRates[list.size()] = intensity.scale(d.c().failureRate() * s.cascadeAmplification());
            list.add(new Incident(list.size() + 1, d.c(), d.start(), d.end(), intensity.scale(d.c().failureRate())));
        }
        incidents = java.util.Collections.unmodifiableList(list);
        amplification = s.cascadeAmplification();
        var tmp = new HashMap<String, List<Incident>>();
        for (Incident i : incidents)
            for (String svc : i.component().services()) tmp.computeIfAbsent(svc, k -> new ArrayList<>()).add(i);
        tmp.forEach((k, v) -> byService.put(k, v.toArray(Incident[]::new)));
    }

    /**
     * Adds an incident of {@code c} during {@code [startMicros, endMicros)} at {@code failureRate}, its callers failing at
     * {@code cascade_amplification} times that (capped like {@link IncidentIntensity}); the next id. For live mode's drills.
     */
    Incident inject(InfraComponent c, long startMicros, long endMicros, double failureRate) {
        Incident i = new Incident(list.size() + 1, c, startMicros, endMicros, failureRate);
        cascadeRates = java.util.Arrays.copyOf(cascadeRates, list.size() + 1);
        cascadeRates[list.size()] = Math.min(failureRate * amplification, Math.max(failureRate, IncidentIntensity.MAX_RATE));
        list.add(i);
        for (String svc : c.services()) {
            var merged = new ArrayList<>(List.of(forService(svc)));
            merged.add(i);
            merged.sort(Comparator.comparingLong(Incident::startMicros).thenComparingInt(Incident::id));
            byService.put(svc, merged.toArray(Incident[]::new));
        }
        return i;
    }

    /**
     * Ends an incident at {@code endMicros} (live mode's drills): the shortened incident; at or before its start it is
     * called off, gone from its services (the id stays taken).
     */
    Incident end(int id, long endMicros) {
        Incident old = list.get(id - 1);
        boolean off = endMicros <= old.startMicros();
        Incident i = off ? old : new Incident(id, old.component(), old.startMicros(), endMicros, old.failureRate());
        list.set(id - 1, i);
        for (String svc : i.component().services()) {
            var kept = new ArrayList<Incident>();
            for (Incident x : forService(svc)) {
                if (x.id() != id) kept.add(x);
                else if (!off) kept.add(i);
            }
            byService.put(svc, kept.toArray(Incident[]::new));
        }
        return i;
    }

    /** The probability that a caller of one of the incident's services fails through it. */
    double cascadeRate(Incident i) { return cascadeRates[i.id() - 1]; }

    /** Incidents touching a service, by start. */
    Incident[] forService(String serviceKey) { return byService.getOrDefault(serviceKey, new Incident[0]); }
}
