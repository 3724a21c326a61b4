import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.TreeMap;

/**
 * {@code summary.json}: the generation metadata of the seed (total_events = requests incl. child spans,
 * total_users, total_logs, total_metrics, time_range, users per persona, events per service) plus the run's
 * flags and counts per level, per error_source kind and per file. Only deterministic values: no timings.
 */
final class GenerationSummary {
    private GenerationSummary() {}

    static void write(Path file, GenerationPlan plan, MonitoringRun.Result r) {
        write(file, plan, r, "jsonl", r.files());
    }

    /** With the output format's name and its per-part file list ({@code --format otlp} writes other files than jsonl). */
    static void write(Path file, GenerationPlan plan, MonitoringRun.Result r, String format, java.util.List<?> files) {
        ChunkStats t = r.totals();
        var root = new LinkedHashMap<String, Object>();
        root.put("total_events", t.roots + t.children);
        root.put("total_users", plan.cfg.users());
        root.put("total_logs", t.logLines + r.deploymentLines());
        root.put("total_metrics", t.metricLines);
        var range = new LinkedHashMap<String, Object>();
        range.put("start", GroundTruthFile.iso(plan.cfg.startMicros()));
        range.put("end", GroundTruthFile.iso(plan.cfg.endMicros()));
        root.put("time_range", range);
        var personas = new LinkedHashMap<String, Object>();
        var rootsPerPersona = new LinkedHashMap<String, Object>();
        for (int p = 0; p < plan.model.personas().size(); p++) {
            personas.put(plan.model.personas().get(p).name(), plan.users.usersPerPersona[p]);
            rootsPerPersona.put(plan.model.personas().get(p).name(), t.rootsPerPersona[p]);
        }
        root.put("personas", personas);
        var byService = new TreeMap<String, Long>();
        var byServiceKey = new TreeMap<String, Long>();
        for (int s = 0; s < plan.serviceKeys.length; s++) {
            if (t.eventsPerService[s] == 0) continue;
            byService.merge(plan.serviceNames[s], t.eventsPerService[s], Long::sum);
            byServiceKey.put(plan.serviceKeys[s], t.eventsPerService[s]);
        }
        root.put("actions_by_service", byService);
        root.put("events_by_service_key", byServiceKey);
        root.put("root_events", t.roots);
        root.put("child_spans", t.children);
        root.put("dropped_by_deployment_dips", t.dropped);
        root.put("deployment_lines", r.deploymentLines());
        root.put("root_events_by_persona", rootsPerPersona);
        var levels = new LinkedHashMap<String, Object>();
        for (int i = 0; i < 3; i++) levels.put(ChunkStats.LEVELS[i], t.levels[i]);
        levels.put("INFO", t.levels[0] + r.deploymentLines());
        root.put("levels", levels);
        var sources = new LinkedHashMap<String, Object>();
        for (int i = 0; i < 4; i++) sources.put(ChunkStats.SOURCES[i], t.sources[i]);
        root.put("error_sources", sources);
        root.put("incidents", plan.incidents.incidents.size());
        root.put("deployment_windows", plan.deployments.windows.size());
        root.put("traffic_bursts", plan.bursts.bursts.size());
        root.put("files", files);
        var metrics = new LinkedHashMap<String, Object>();
        if (plan.cfg.rawMetrics()) {
            var raw = new LinkedHashMap<String, Object>();
            raw.put("samples", t.metricLines);
            raw.put("series", r.rawSeries());
            raw.put("series_by_metric", r.rawSeriesByMetric());
            if (r.rawSeriesIsLowerBound()) raw.put("series_is_lower_bound", true);
            metrics.put("raw", raw);
        }
        var nt = r.nativeTotals();
        if (nt != null) {
            var nat = new LinkedHashMap<String, Object>();
            nat.put("scrape_interval_seconds", plan.cfg.scrapeMillis() / 1000);
            nat.put("series", nt.series());
            nat.put("series_by_metric", nt.seriesByMetric());
            nat.put("samples", nt.samples());
            nat.put("lines", nt.lines());
            nat.put("exemplar_points", nt.exemplarPoints());
            metrics.put("native", nat);
        }
        root.put("metrics", metrics);
        var flags = new LinkedHashMap<String, Object>();
        flags.put("seed", plan.cfg.seed());
        flags.put("requested_events", plan.cfg.roots());
        flags.put("files", plan.cfg.files());
        flags.put("format", format);
        flags.put("log_format", plan.cfg.extendedLogs() ? "extended" : "seed");
        flags.put("metrics", plan.cfg.rawMetrics() && plan.cfg.nativeMetrics() ? "both" : plan.cfg.nativeMetrics() ? "native" : "raw");
        if (plan.cfg.nativeMetrics()) flags.put("scrape_interval", plan.cfg.scrapeMillis() / 1000 + "s");
        flags.put("scenario", plan.cfg.scenario().name());
        flags.put("incident_intensity", plan.cfg.incidentIntensity().factor());
        flags.put("deployment_schedule", plan.deployments.source);
        flags.put("model", plan.model.dir().toString());
        root.put("generator", flags);
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }
}
