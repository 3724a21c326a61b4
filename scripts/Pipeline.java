///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DEPS info.picocli:picocli:4.7.7
//SOURCES ../lib/cli/KitVersion.java ../lib/pipeline/KitHome.java ../lib/pipeline/PipelinePlan.java
//SOURCES ../lib/pipeline/PipelineStep.java ../lib/pipeline/StepOutcome.java ../lib/pipeline/StepRunner.java
//SOURCES ../lib/monitoring/Shard.java
//DESCRIPTION Run the whole toolchain in seed 004's order: fixtures, monitoring data, metrics, logs, traces;
//DESCRIPTION with --stream the monitoring data goes straight to the stores, no files in between.
//DESCRIPTION Example: ./jbang pipeline --events 100000 --users 10000 --skip-unreachable

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "pipeline", mixinStandardHelpOptions = true, versionProvider = KitVersion.class, sortOptions = false,
        description = {"Run every step in order, each as its own ./jbang <alias> child process, and end with a table of what went where.",
                "Steps: fixtures (generate-fixtures), monitoring (generate-monitoring), metrics (import-vm), logs (import-vl), traces (export-tempo),",
                "recording (replay-rules: vmalert's recording rules over the metrics; with the metrics step, or on its own with --only recording).",
                "With --stream the monitoring step sends its data straight to the stores of metrics, logs and traces (generate-monitoring --to).",
                "Exit code: 0 all done, 1 a step failed (later steps do not run), 2 a wrong selection, 3 a store was unreachable (without --skip-unreachable)."})
class Pipeline implements Callable<Integer> {

    @Option(names = "--events", defaultValue = "100000", description = "Monitoring events to generate (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--users", defaultValue = "10000", description = "Simulated users (default: ${DEFAULT-VALUE}).")
    long users;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for fixtures and monitoring data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--workers", description = "Generator workers (default: the number of CPUs).")
    Integer workers;

    @Option(names = "--data-dir", defaultValue = ".dev/data", description = "Where files go: <dir>/fixtures and <dir>/test_data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--fixtures-scale", defaultValue = "1.0", description = "Fixture scale, 1.0 = ~5.3M rows (default: ${DEFAULT-VALUE}).")
    double fixturesScale;

    @Option(names = "--db-url", description = "PostgreSQL JDBC URL for the fixtures (default: the embedded PostgreSQL under .dev/data/postgres).")
    String dbUrl;

    @Option(names = "--no-db", description = "Write the fixture files and the deployment schedule only, no PostgreSQL.")
    boolean noDb;

    @Option(names = "--reset-db", description = {"Replace the Qairon data the database already holds (generate-fixtures --reset).",
            "Without it, a database holding the same fixtures (seed, scale) is kept and the run goes on; other data stops it."})
    boolean resetDb;

    @Option(names = "--vm-url", split = ",", paramLabel = "URL", defaultValue = "http://localhost:8428",
            description = "VictoriaMetrics, or several (a,b,c: vminserts, single nodes behind one vmauth) sharing the batches (default: ${DEFAULT-VALUE}).")
    List<URI> vmUrls;

    @Option(names = "--vl-url", split = ",", paramLabel = "URL", defaultValue = "http://localhost:9428",
            description = "VictoriaLogs, or several (vlinserts) sharing the batches (default: ${DEFAULT-VALUE}).")
    List<URI> vlUrls;

    @Option(names = "--tempo-url", split = ",", paramLabel = "URL", defaultValue = "http://localhost:4318",
            description = "Tempo OTLP/HTTP receiver, or several (distributors) sharing the batches (default: ${DEFAULT-VALUE}).")
    List<URI> tempoUrls;

    @Option(names = "--tenant", paramLabel = "ACCOUNT[:PROJECT]",
            description = "Tenant of clustered VictoriaMetrics (vminsert /insert/<tenant>/prometheus) and VictoriaLogs (AccountID/ProjectID) (default: none).")
    String tenant;

    @Option(names = "--tempo-tenant", paramLabel = "ORG", description = "Tempo org id (X-Scope-OrgID) (default: none).")
    String tempoTenant;

    @Option(names = "--tempo-metrics-url", paramLabel = "URL",
            description = "Tempo's /metrics, where export-tempo reads the spans it received and discarded (default: port 3200 on the host of --tempo-url).")
    URI tempoMetricsUrl;

    @Option(names = "--skip", split = ",", paramLabel = "STEP", description = "Steps to leave out, comma-separated.")
    List<String> skip = new ArrayList<>();

    @Option(names = "--only", split = ",", paramLabel = "STEP", description = "Run only these steps, comma-separated.")
    List<String> only = new ArrayList<>();

    @Option(names = "--skip-unreachable", description = "Skip import steps whose store does not answer, and exit 0 (e.g. before ./jbang dev up).")
    boolean skipUnreachable;

    @Option(names = "--resume", description = "Pass --resume to the importers: continue from their checkpoints.")
    boolean resume;

    @Option(names = "--stream", description = "Generate straight into the stores of the metrics, logs and traces steps, no data files in between "
            + "(one generate-monitoring --to step instead of monitoring + import steps); only summary.json and incidents.json are written.")
    boolean stream;

    @Option(names = "--shard", paramLabel = "K/N", description = "Make only part K (0 .. N-1) of N of the monitoring data (generate-monitoring --shard), "
            + "streamed or imported like the whole run; run the other shards on other machines (default: the whole run).")
    String shard;

    @Option(names = "--generator-arg", paramLabel = "ARG", description = "Extra argument for generate-monitoring (repeatable), e.g. --generator-arg=--scenario=stress.")
    List<String> generatorArgs = new ArrayList<>();

    @Option(names = "--dry-run", description = "Print the commands, run nothing.")
    boolean dryRun;

    public static void main(String... args) {
        System.exit(new CommandLine(new Pipeline()).execute(args));
    }

    @Override
    public Integer call() {
        var selected = new LinkedHashSet<>(only.isEmpty() ? PipelinePlan.STEP_NAMES : only);
        selected.removeAll(skip);
        for (String name : concat(only, skip)) {
            if (!PipelinePlan.STEP_NAMES.contains(name)) {
                System.err.println("pipeline: unknown step '" + name + "'; steps are " + String.join(", ", PipelinePlan.STEP_NAMES));
                return 2;
            }
        }
        // the recorded history follows the metrics that reach the store; under --shard the store is complete only after every
        // shard, so it is replayed once at the end (./jbang replay-rules)
        if ((!selected.contains("metrics") || shard != null) && !only.contains("recording")) selected.remove("recording");
        // vmalert reads through a query endpoint (vmselect), which insert endpoints are not: said, not guessed
        if (selected.contains("recording") && (vmUrls.size() > 1 || tenant != null)) {
            selected.remove("recording");
            System.out.println("pipeline: no recording step for several VictoriaMetrics endpoints or a tenant; after the run: ./jbang replay-rules "
                    + "--vm-url <vmselect>/select/<tenant>/prometheus --write-url <vminsert>/insert/<tenant>/prometheus");
        }
        var extraArgs = new ArrayList<>(generatorArgs);
        if (shard != null) {
            try {
                extraArgs.addAll(List.of("--shard", Shard.parse(shard).toString()));
            } catch (IllegalArgumentException e) {
                System.err.println("pipeline: " + e.getMessage());
                return 2;
            }
        }
        var settings = new PipelinePlan.Settings(dataDir.toAbsolutePath().normalize(), events, users, seed,
                workers != null ? workers : Runtime.getRuntime().availableProcessors(), fixturesScale, dbUrl, noDb,
                vmUrls, vlUrls, tempoUrls, resume, extraArgs, stream, resetDb, tempoMetricsUrl, tenant, tempoTenant);
        String problem = PipelinePlan.problem(settings, selected);
        if (problem != null) {
            System.err.println("pipeline: " + problem);
            return 2;
        }
        var steps = PipelinePlan.steps(settings, selected);
        if (dryRun) {
            steps.forEach(s -> System.out.println(s.commandLine()));
            return 0;
        }

        long start = System.nanoTime();
        var runner = new StepRunner(KitHome.launcher(), System.out);
        var outcomes = new ArrayList<StepOutcome>();
        boolean failed = false;
        boolean unreachable = false;
        for (int i = 0; i < steps.size(); i++) {
            PipelineStep step = steps.get(i);
            if (failed) {
                outcomes.add(new StepOutcome(step, StepOutcome.Status.NOT_RUN, 0, 0, "an earlier step failed"));
                continue;
            }
            if (stream && step.name().equals("monitoring")) {
                // the stream's stores are checked here, like the import steps' would be: the ones that answer get the data
                var answering = new LinkedHashSet<>(selected);
                for (String store : PipelinePlan.STORE_STEPS) {
                    if (!selected.contains(store) || StepRunner.anyReachable(settings.urls(store))) continue;
                    answering.remove(store);
                    unreachable = true;
                    outcomes.add(new StepOutcome(PipelinePlan.storeRow(settings, store), StepOutcome.Status.UNREACHABLE, 0, 0,
                            "nothing answers at " + settings.url(store) + " (start the services: ./jbang dev up)"));
                    System.out.printf("pipeline: %s left out of the stream, %s does not answer%n", store, settings.url(store));
                }
                if (PipelinePlan.STORE_STEPS.stream().noneMatch(answering::contains)) {
                    outcomes.add(new StepOutcome(step, StepOutcome.Status.NOT_RUN, 0, 0, "no store to stream to answers"));
                    continue;
                }
                step = PipelinePlan.steps(settings, answering).stream().filter(x -> x.name().equals("monitoring")).findFirst().orElseThrow();
            }
            if (!step.targets().isEmpty() && !StepRunner.anyReachable(step.targets())) {
                unreachable = true;
                String at = String.join(", ", step.targets().stream().map(URI::toString).toList());
                outcomes.add(new StepOutcome(step, StepOutcome.Status.UNREACHABLE, 0, 0,
                        "nothing answers at " + at + " (start the services: ./jbang dev up)"));
                System.out.printf("pipeline: step %d/%d %s skipped, %s does not answer%n", i + 1, steps.size(), step.name(), at);
                continue;
            }
            System.out.printf("pipeline: step %d/%d %s: %s%n", i + 1, steps.size(), step.name(), step.commandLine());
            var outcome = runner.run(step);
            outcomes.add(outcome);
            failed = !outcome.ok();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long done = outcomes.stream().filter(o -> o.status() == StepOutcome.Status.DONE).count();
        System.out.printf(Locale.ROOT, "pipeline: done in %.1f s, %d of %d steps done%s%n", seconds, done, outcomes.size(),
                failed ? ", a step FAILED" : unreachable ? ", some stores unreachable" : "");
        printTable(outcomes);
        if (failed) return 1;
        return unreachable && !skipUnreachable ? 3 : 0;
    }

    private static void printTable(List<StepOutcome> outcomes) {
        int wentTo = Math.max(7, outcomes.stream().mapToInt(o -> o.step().writes().length()).max().orElse(0));
        String fmt = "  %-11s %-20s %-12s %8s  %-" + wentTo + "s  %s%n";
        System.out.printf(Locale.ROOT, fmt, "STEP", "ALIAS", "STATUS", "SECONDS", "WENT TO", "RESULT");
        for (var o : outcomes) {
            System.out.printf(Locale.ROOT, fmt, o.step().name(), o.step().alias(), o.status().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                    o.seconds() > 0 ? String.format(Locale.ROOT, "%.1f", o.seconds()) : "-", o.step().writes(), o.headline());
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        var all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
