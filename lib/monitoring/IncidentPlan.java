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
    final List<Incident> incidents;
    private final double[] cascadeRates;
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
        var list = new ArrayList<Incident>();
        IncidentIntensity intensity = cfg.incidentIntensity();
        cascadeRates = new double[drafts.size()];
        for (Draft d : drafts) {
            cascadeRates[list.size()] = intensity.scale(d.c().failureRate() * s.cascadeAmplification());
            list.add(new Incident(list.size() + 1, d.c(), d.start(), d.end(), intensity.scale(d.c().failureRate())));
        }
        incidents = List.copyOf(list);
        var tmp = new HashMap<String, List<Incident>>();
        for (Incident i : incidents)
            for (String svc : i.component().services()) tmp.computeIfAbsent(svc, k -> new ArrayList<>()).add(i);
        tmp.forEach((k, v) -> byService.put(k, v.toArray(Incident[]::new)));
    }

    /** The probability that a caller of one of the incident's services fails through it. */
    double cascadeRate(Incident i) { return cascadeRates[i.id() - 1]; }

    /** Incidents touching a service, by start. */
    Incident[] forService(String serviceKey) { return byService.getOrDefault(serviceKey, new Incident[0]); }
}
