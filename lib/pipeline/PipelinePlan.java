import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The recommended order of seed 004, as steps: Qairon fixtures (and the deployment schedule), monitoring
 * data generated against that schedule, then metrics, logs and traces into their stores. With {@code stream} the
 * monitoring step sends its data straight to the stores of the selected metrics, logs and traces steps
 * ({@code generate-monitoring --to}), which then do not run on their own: no files in between. Last, the recording
 * step replays the vmalert recording rules over what reached VictoriaMetrics (the overview's recorded panels).
 */
final class PipelinePlan {
    static final List<String> STEP_NAMES = List.of("fixtures", "monitoring", "metrics", "logs", "traces", "recording");
    /** The steps that load a store, in order, and the store key generate-monitoring --to knows them by. */
    static final List<String> STORE_STEPS = List.of("metrics", "logs", "traces");

    /**
     * Everything the plan needs; paths absolute so steps may run from anywhere. {@code tempoMetricsUrl} is Tempo's
     * /metrics when it is not on port 3200 of the {@code tempoUrl} host (the steps' default), else null.
     */
    record Settings(Path dataDir, long events, long users, long seed, int workers, double fixturesScale,
                    String dbUrl, boolean noDb, URI vmUrl, URI vlUrl, URI tempoUrl, boolean resume,
                    List<String> generatorArgs, boolean stream, boolean resetDb, URI tempoMetricsUrl) {
        Settings(Path dataDir, long events, long users, long seed, int workers, double fixturesScale, String dbUrl, boolean noDb,
                 URI vmUrl, URI vlUrl, URI tempoUrl, boolean resume, List<String> generatorArgs, boolean stream, boolean resetDb) {
            this(dataDir, events, users, seed, workers, fixturesScale, dbUrl, noDb, vmUrl, vlUrl, tempoUrl, resume, generatorArgs, stream, resetDb, null);
        }

        Settings(Path dataDir, long events, long users, long seed, int workers, double fixturesScale, String dbUrl, boolean noDb,
                 URI vmUrl, URI vlUrl, URI tempoUrl, boolean resume, List<String> generatorArgs, boolean stream) {
            this(dataDir, events, users, seed, workers, fixturesScale, dbUrl, noDb, vmUrl, vlUrl, tempoUrl, resume, generatorArgs, stream, false, null);
        }

        Settings(Path dataDir, long events, long users, long seed, int workers, double fixturesScale, String dbUrl, boolean noDb,
                 URI vmUrl, URI vlUrl, URI tempoUrl, boolean resume, List<String> generatorArgs) {
            this(dataDir, events, users, seed, workers, fixturesScale, dbUrl, noDb, vmUrl, vlUrl, tempoUrl, resume, generatorArgs, false);
        }

        Path fixturesDir() { return dataDir.resolve("fixtures"); }
        Path monitoringDir() { return dataDir.resolve("test_data"); }
        Path schedule() { return fixturesDir().resolve("deployment_schedule.json"); }

        /** The store a store step loads. */
        URI url(String storeStep) {
            return switch (storeStep) {
                case "metrics" -> vmUrl;
                case "logs" -> vlUrl;
                default -> tempoUrl;
            };
        }
    }

    /**
     * Why this selection cannot run, or null: with --stream the monitoring step feeds the store steps, so it needs at
     * least one of them and they need it; --resume continues file imports from checkpoints, which a stream has not.
     */
    static String problem(Settings s, Set<String> selected) {
        if (s.resetDb && s.noDb) return "--reset-db replaces the fixtures in PostgreSQL, --no-db touches no database: pick one";
        if (!s.stream) return null;
        boolean stores = STORE_STEPS.stream().anyMatch(selected::contains);
        if (s.resume) return "--resume continues the importers from their checkpoints; a stream has none: run the same command again "
                + "without --resume, or the file steps (without --stream) with --resume";
        if (selected.contains("monitoring") && !stores) return "--stream sends the monitoring data to the stores of metrics, logs or traces; select one";
        if (!selected.contains("monitoring") && stores) return "--stream needs the monitoring step, which is what feeds metrics, logs and traces";
        return null;
    }

    static String store(String storeStep) {
        return switch (storeStep) {
            case "metrics" -> "VictoriaMetrics";
            case "logs" -> "VictoriaLogs";
            default -> "Tempo";
        };
    }

    /** A row for the table: a store of the stream that was not sent to. */
    static PipelineStep storeRow(Settings s, String storeStep) {
        return new PipelineStep(storeStep, "generate-monitoring", List.of(), s.url(storeStep), store(storeStep) + " " + s.url(storeStep));
    }

    private PipelinePlan() {}

    static List<PipelineStep> steps(Settings s, Set<String> selected) {
        var steps = new ArrayList<PipelineStep>();
        if (selected.contains("fixtures")) {
            var args = new ArrayList<>(List.of("--txt-output", s.fixturesDir().toString(), "--seed", Long.toString(s.seed),
                    "--scale", Double.toString(s.fixturesScale)));
            if (s.noDb) args.add("--skip-db");
            else if (s.dbUrl != null) args.addAll(List.of("--db-url", s.dbUrl));
            // without it, the same fixtures already loaded are kept and other data stops the run
            if (s.resetDb && !s.noDb) args.add("--reset");
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
            // The dashboards query the native counters and histograms; --generator-arg=--metrics=both adds the raw samples.
            if (s.generatorArgs.stream().noneMatch(a -> a.equals("--metrics") || a.startsWith("--metrics="))) {
                args.addAll(List.of("--metrics", "native"));
            }
            if (s.stream) {
                var stores = STORE_STEPS.stream().filter(selected::contains).toList();
                var keys = new ArrayList<String>();
                for (String st : stores) {
                    String key = switch (st) {
                        case "metrics" -> "vm";
                        case "logs" -> "vl";
                        default -> "tempo";
                    };
                    keys.add(key);
                    args.addAll(List.of("--" + key + "-url", s.url(st).toString()));
                    if (key.equals("tempo") && s.tempoMetricsUrl != null) args.addAll(List.of("--tempo-metrics-url", s.tempoMetricsUrl.toString()));
                }
                args.addAll(List.of("--to", String.join(",", keys)));
                args.addAll(s.generatorArgs);
                String to = String.join(", ", stores.stream().map(st -> store(st) + " " + s.url(st)).toList());
                steps.add(new PipelineStep("monitoring", "generate-monitoring", args, null, "streamed to " + to));
                if (selected.contains("recording")) steps.add(recordingStep(s));
                return steps;
            }
            args.addAll(s.generatorArgs);
            steps.add(new PipelineStep("monitoring", "generate-monitoring", args, null, s.monitoringDir() + " (JSON lines)"));
        }
        if (s.stream) {
            if (selected.contains("recording")) steps.add(recordingStep(s));
            return steps;
        }
        String data = s.monitoringDir().toString();
        // the directory: import-vm takes its metrics_*.jsonl and native_metrics_*.jsonl, whichever the generator wrote
        if (selected.contains("metrics")) steps.add(importStep("metrics", "import-vm", data, s.vmUrl, s));
        if (selected.contains("logs")) steps.add(importStep("logs", "import-vl", data + "/logs_*.jsonl", s.vlUrl, s));
        if (selected.contains("traces")) steps.add(importStep("traces", "export-tempo", data + "/logs_*.jsonl", s.tempoUrl, s));
        if (selected.contains("recording")) steps.add(recordingStep(s));
        return steps;
    }

    /** vmalert's replay of the recording rules over the store's history; a machine without vmalert gets a warning, not a failure. */
    private static PipelineStep recordingStep(Settings s) {
        return new PipelineStep("recording", "replay-rules", List.of("--vm-url", s.vmUrl.toString(), "--skip-missing-vmalert"), s.vmUrl,
                "VictoriaMetrics " + s.vmUrl + " (vmalert replay)");
    }

    private static PipelineStep importStep(String name, String alias, String input, URI url, Settings s) {
        var args = new ArrayList<>(List.of(input, "--url", url.toString()));
        if (s.resume) args.add("--resume");
        if (name.equals("traces") && s.tempoMetricsUrl != null) args.addAll(List.of("--tempo-metrics-url", s.tempoMetricsUrl.toString()));
        return new PipelineStep(name, alias, args, url, store(name) + " " + url);
    }
}
