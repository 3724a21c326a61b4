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
     * Everything the plan needs; paths absolute so steps may run from anywhere. Each store has one or more endpoints
     * (the importers and the stream share the batches among them). {@code tempoMetricsUrl} is Tempo's /metrics when it
     * is not on port 3200 of the first Tempo endpoint's host (the steps' default), else null; {@code tenant} (accountID[:projectID]
     * of VictoriaMetrics and VictoriaLogs) and {@code tempoTenant} (X-Scope-OrgID) are null for single-tenant stores.
     */
    record Settings(Path dataDir, long events, long users, long seed, int workers, double fixturesScale,
                    String dbUrl, boolean noDb, List<URI> vmUrls, List<URI> vlUrls, List<URI> tempoUrls, boolean resume,
                    List<String> generatorArgs, boolean stream, boolean resetDb, URI tempoMetricsUrl, String tenant, String tempoTenant) {
        Settings {
            vmUrls = List.copyOf(vmUrls);
            vlUrls = List.copyOf(vlUrls);
            tempoUrls = List.copyOf(tempoUrls);
        }

        Settings(Path dataDir, long events, long users, long seed, int workers, double fixturesScale, String dbUrl, boolean noDb,
                 URI vmUrl, URI vlUrl, URI tempoUrl, boolean resume, List<String> generatorArgs, boolean stream, boolean resetDb) {
            this(dataDir, events, users, seed, workers, fixturesScale, dbUrl, noDb, List.of(vmUrl), List.of(vlUrl), List.of(tempoUrl), resume,
                    generatorArgs, stream, resetDb, null, null, null);
        }

        Settings(Path dataDir, long events, long users, long seed, int workers, double fixturesScale, String dbUrl, boolean noDb,
                 URI vmUrl, URI vlUrl, URI tempoUrl, boolean resume, List<String> generatorArgs, boolean stream) {
            this(dataDir, events, users, seed, workers, fixturesScale, dbUrl, noDb, vmUrl, vlUrl, tempoUrl, resume, generatorArgs, stream, false);
        }

        Settings(Path dataDir, long events, long users, long seed, int workers, double fixturesScale, String dbUrl, boolean noDb,
                 URI vmUrl, URI vlUrl, URI tempoUrl, boolean resume, List<String> generatorArgs) {
            this(dataDir, events, users, seed, workers, fixturesScale, dbUrl, noDb, vmUrl, vlUrl, tempoUrl, resume, generatorArgs, false);
        }

        Path fixturesDir() { return dataDir.resolve("fixtures"); }
        Path monitoringDir() { return dataDir.resolve("test_data"); }
        Path schedule() { return fixturesDir().resolve("deployment_schedule.json"); }

        /** The endpoints of the store a store step loads. */
        List<URI> urls(String storeStep) {
            return switch (storeStep) {
                case "metrics" -> vmUrls;
                case "logs" -> vlUrls;
                default -> tempoUrls;
            };
        }

        /** The endpoints as one flag value: a,b,c. */
        String url(String storeStep) {
            return String.join(",", urls(storeStep).stream().map(URI::toString).toList());
        }

        /** The tenant flag a store's step takes, or none. */
        List<String> tenantArgs(String storeStep) {
            String t = storeStep.equals("traces") ? tempoTenant : tenant;
            return t == null ? List.of() : List.of("--tenant", t);
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
        return new PipelineStep(storeStep, "generate-monitoring", List.of(), s.urls(storeStep), store(storeStep) + " " + s.url(storeStep));
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
            steps.add(new PipelineStep("fixtures", "generate-fixtures", args, List.of(),
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
                    args.addAll(List.of("--" + key + "-url", s.url(st)));
                    if (key.equals("tempo") && s.tempoMetricsUrl != null) args.addAll(List.of("--tempo-metrics-url", s.tempoMetricsUrl.toString()));
                }
                args.addAll(List.of("--to", String.join(",", keys)));
                if (s.tenant != null && (stores.contains("metrics") || stores.contains("logs"))) args.addAll(List.of("--tenant", s.tenant));
                if (s.tempoTenant != null && stores.contains("traces")) args.addAll(List.of("--tempo-tenant", s.tempoTenant));
                args.addAll(s.generatorArgs);
                String to = String.join(", ", stores.stream().map(st -> store(st) + " " + s.url(st)).toList());
                steps.add(new PipelineStep("monitoring", "generate-monitoring", args, List.of(), "streamed to " + to));
                if (selected.contains("recording")) steps.add(recordingStep(s));
                return steps;
            }
            args.addAll(s.generatorArgs);
            steps.add(new PipelineStep("monitoring", "generate-monitoring", args, List.of(), s.monitoringDir() + " (JSON lines)"));
        }
        if (s.stream) {
            if (selected.contains("recording")) steps.add(recordingStep(s));
            return steps;
        }
        String data = s.monitoringDir().toString();
        // the directory: import-vm takes its metrics_*.jsonl and native_metrics_*.jsonl, whichever the generator wrote
        if (selected.contains("metrics")) steps.add(importStep("metrics", "import-vm", data, s));
        if (selected.contains("logs")) steps.add(importStep("logs", "import-vl", data + "/logs_*.jsonl", s));
        if (selected.contains("traces")) steps.add(importStep("traces", "export-tempo", data + "/logs_*.jsonl", s));
        if (selected.contains("recording")) steps.add(recordingStep(s));
        return steps;
    }

    /** vmalert's replay of the recording rules over the store's history; a machine without vmalert gets a warning, not a failure. */
    private static PipelineStep recordingStep(Settings s) {
        URI vm = s.vmUrls.getFirst();
        return new PipelineStep("recording", "replay-rules", List.of("--vm-url", vm.toString(), "--skip-missing-vmalert"), List.of(vm),
                "VictoriaMetrics " + vm + " (vmalert replay)");
    }

    private static PipelineStep importStep(String name, String alias, String input, Settings s) {
        String url = s.url(name);
        var args = new ArrayList<>(List.of(input, "--url", url));
        args.addAll(s.tenantArgs(name));
        if (s.resume) args.add("--resume");
        if (name.equals("traces") && s.tempoMetricsUrl != null) args.addAll(List.of("--tempo-metrics-url", s.tempoMetricsUrl.toString()));
        return new PipelineStep(name, alias, args, s.urls(name), store(name) + " " + url);
    }
}
