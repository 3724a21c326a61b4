import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code incidents.json}: what was injected, to score alerting and root-cause tools against. Every incident
 * (component, window, affected services, failure rate, errors it caused directly and through cascades), every
 * deployment window (release, env/region, window, dip, error boost, latency multiplier) and every traffic burst.
 * A shard ({@code --shard K/N}, N > 1) writes the plan only, the same bytes in every shard: what each incident caused
 * there goes to its summary.json ({@code incident_errors}), and the shards' counts add up to the whole run's.
 */
final class GroundTruthFile {
    private GroundTruthFile() {}

    static void write(Path file, GenerationPlan plan, ChunkStats totals) {
        var root = new LinkedHashMap<String, Object>();
        root.put("seed", plan.cfg.seed());
        root.put("time_range", timeRange(plan.cfg));
        root.put("cascade_amplification", plan.settings.cascadeAmplification());
        root.put("incident_intensity", plan.cfg.incidentIntensity().factor());
        var incidents = new ArrayList<Object>();
        for (Incident i : plan.incidents.incidents) {
            var m = new LinkedHashMap<String, Object>();
            m.put("id", i.id());
            m.put("component", i.component().name());
            m.put("description", i.component().description());
            m.put("start", iso(i.startMicros()));
            m.put("end", iso(i.endMicros()));
            m.put("duration_minutes", (i.endMicros() - i.startMicros()) / 60_000_000.0);
            m.put("failure_rate", i.failureRate());
            m.put("cascade_failure_rate", plan.incidents.cascadeRate(i));
            m.put("error_type", i.component().errorType());
            m.put("error_codes", i.component().errorCodes());
            m.put("error_source", "infrastructure:" + i.component().name());
            m.put("affected_services", i.component().services());
            List<String> callers = new ArrayList<>();
            plan.model.dependencies().forEach((caller, callees) -> {
                for (String c : callees) if (i.component().services().contains(c) && !callers.contains(caller)) callers.add(caller);
            });
            m.put("cascade_callers", callers);
            if (plan.cfg.shard().whole()) {
                m.put("observed_errors", totals.incidentErrors[i.id() - 1]);
                m.put("observed_cascade_errors", totals.incidentCascades[i.id() - 1]);
            }
            incidents.add(m);
        }
        root.put("incidents", incidents);
        var windows = new ArrayList<Object>();
        for (DeploymentWindow w : plan.deployments.windows) windows.add(deployment(w));
        root.put("deployment_source", plan.deployments.source);
        root.put("deployment_windows", windows);
        var bursts = new ArrayList<Object>();
        for (var b : plan.bursts.bursts)
            bursts.add(ordered("start", iso(b.startMicros()), "end", iso(b.endMicros()), "traffic_factor", round4(b.factor())));
        root.put("traffic_bursts", bursts);
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    /** {@code {"start", "end"}} in that order (an immutable map would order its keys differently in each JVM). */
    static Map<String, Object> timeRange(GenerateConfig cfg) {
        return ordered("start", iso(cfg.startMicros()), "end", iso(cfg.endMicros()));
    }

    /** A map in the order its keys are given. */
    static Map<String, Object> ordered(Object... keysAndValues) {
        var m = new LinkedHashMap<String, Object>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    static String iso(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000).toString();
    }

    static double round4(double v) { return Math.round(v * 10_000) / 10_000.0; }

    /** A deployment window as incidents.json (and a live run's incidents.jsonl) writes it. */
    static Map<String, Object> deployment(DeploymentWindow w) {
        var m = new LinkedHashMap<String, Object>();
        m.put("release_id", w.releaseId());
        m.put("deployment_id", w.deploymentId());
        m.put("stack", w.stack());
        m.put("service", w.service());
        m.put("env", w.env());
        m.put("region", w.region());
        m.put("start", iso(w.startMicros()));
        m.put("end", iso(w.endMicros()));
        m.put("throughput_factor", round4(w.throughputFactor()));
        m.put("error_rate_boost", round4(w.errorRateBoost()));
        m.put("latency_multiplier", round4(w.latencyMultiplier()));
        m.put("error_source", "deployment:" + w.releaseId());
        return m;
    }
}
