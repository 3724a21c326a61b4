import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The recommended order of seed 004, as steps: Qairon fixtures (and the deployment schedule), monitoring
 * data generated against that schedule, then metrics, logs and traces into their stores.
 */
final class PipelinePlan {
    static final List<String> STEP_NAMES = List.of("fixtures", "monitoring", "metrics", "logs", "traces");

    /** Everything the plan needs; paths absolute so steps may run from anywhere. */
    record Settings(Path dataDir, long events, long users, long seed, int workers, double fixturesScale,
                    String dbUrl, boolean noDb, URI vmUrl, URI vlUrl, URI tempoUrl, boolean resume,
                    List<String> generatorArgs) {
        Path fixturesDir() { return dataDir.resolve("fixtures"); }
        Path monitoringDir() { return dataDir.resolve("test_data"); }
        Path schedule() { return fixturesDir().resolve("deployment_schedule.json"); }
    }

    private PipelinePlan() {}

    static List<PipelineStep> steps(Settings s, Set<String> selected) {
        var steps = new ArrayList<PipelineStep>();
        if (selected.contains("fixtures")) {
            var args = new ArrayList<>(List.of("--txt-output", s.fixturesDir().toString(), "--seed", Long.toString(s.seed),
                    "--scale", Double.toString(s.fixturesScale)));
            if (s.noDb) args.add("--skip-db");
            else if (s.dbUrl != null) args.addAll(List.of("--db-url", s.dbUrl));
            steps.add(new PipelineStep("fixtures", "generate-fixtures", args, null,
                    s.noDb ? s.fixturesDir() + " (TSV)" : (s.dbUrl == null ? "embedded PostgreSQL" : "PostgreSQL") + " + TSV"));
        }
        if (selected.contains("monitoring")) {
            var args = new ArrayList<>(List.of(Long.toString(s.events), Long.toString(s.users),
                    "--output", s.monitoringDir().toString(), "--seed", Long.toString(s.seed),
                    "--workers", Integer.toString(s.workers), "--log-format", "extended"));
            // The schedule ties releases in the data to the fixtures; without it the generator uses its built-in one.
            if (selected.contains("fixtures") || Files.isRegularFile(s.schedule())) {
                args.addAll(List.of("--deployment-schedule", s.schedule().toString()));
            }
            args.addAll(s.generatorArgs);
            steps.add(new PipelineStep("monitoring", "generate-monitoring", args, null, s.monitoringDir() + " (JSON lines)"));
        }
        String data = s.monitoringDir().toString();
        if (selected.contains("metrics")) steps.add(importStep("metrics", "import-vm", data + "/metrics_*.jsonl", s.vmUrl, s));
        if (selected.contains("logs")) steps.add(importStep("logs", "import-vl", data + "/logs_*.jsonl", s.vlUrl, s));
        if (selected.contains("traces")) steps.add(importStep("traces", "export-tempo", data + "/logs_*.jsonl", s.tempoUrl, s));
        return steps;
    }

    private static PipelineStep importStep(String name, String alias, String input, URI url, Settings s) {
        var args = new ArrayList<>(List.of(input, "--url", url.toString()));
        if (s.resume) args.add("--resume");
        String store = switch (name) {
            case "metrics" -> "VictoriaMetrics";
            case "logs" -> "VictoriaLogs";
            default -> "Tempo";
        };
        return new PipelineStep(name, alias, args, url, store + " " + url);
    }
}
