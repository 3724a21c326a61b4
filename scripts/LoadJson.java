///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
//DEPS me.tongfei:progressbar:0.10.1
//SOURCES ../lib/cli/KitVersion.java ../lib/cli/Progress.java ../lib/io/DataFile.java ../lib/delivery/Backoff.java
//SOURCES ../lib/jsonapi/JsonApiTable.java ../lib/jsonapi/JsonApiDocumentReader.java ../lib/jsonapi/LoadStats.java
//SOURCES ../lib/jsonapi/LoadFailureReport.java ../lib/jsonapi/QaironRestLoader.java
//DESCRIPTION Load JSON:API fixture documents (<resource>.json from convert-to-json) into a Qairon REST API in dependency order.
//DESCRIPTION Example: ./jbang load-json --url http://127.0.0.1:5001 --input-dir .dev/data/fixtures-json --workers 8

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "load-json", mixinStandardHelpOptions = true, versionProvider = KitVersion.class,
        description = {"POST every JSON:API document to <url>/api/rest/v1/<resource>, table by table in dependency order,",
                "then link the association rows. 429, 5xx and lost connections are retried; rows already there count",
                "as existing, so a rerun is safe. Exit 1 when any row failed (listed in --failures)."})
class LoadJson implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = {"--url", "--qairon-url"}, paramLabel = "URL", defaultValue = "${QAIRON_ENDPOINT:-http://127.0.0.1:5001}",
            description = "Qairon base URL; /api/rest/v1 is added (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--input-dir", paramLabel = "DIR", defaultValue = ".dev/data/fixtures-json",
            description = "Directory with the <resource>.json documents (default: ${DEFAULT-VALUE}).")
    Path inputDir;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "8", description = "Requests in flight at once (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--from", paramLabel = "STEP", defaultValue = "1",
            description = "First table, as step 1-36 or resource name (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--to", paramLabel = "STEP", defaultValue = "36",
            description = "Last table, as step 1-36 or resource name (default: ${DEFAULT-VALUE}).")
    String to;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "8",
            description = "Attempts per request before a row counts as failed (default: ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "Per-request timeout (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--failures", paramLabel = "FILE", defaultValue = ".dev/rejects/load-json.tsv",
            description = "Report of failed rows: file, id, status, message (default: ${DEFAULT-VALUE}).")
    Path failures;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    public static void main(String... args) {
        System.exit(new CommandLine(new LoadJson()).execute(args));
    }

    private int step(String option, String value) {
        if (value.matches("[0-9]+")) {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= JsonApiTable.ALL.size()) return n;
        } else {
            var t = JsonApiTable.byResource(value);
            if (t.isPresent()) return t.get().step();
        }
        throw new ParameterException(spec.commandLine(), option + " must be a step 1-36 or a resource name (environment .. deployment_targets_fleets), got " + value);
    }

    @Override
    public Integer call() throws Exception {
        int first = step("--from", from), last = step("--to", to);
        if (first > last) throw new ParameterException(spec.commandLine(), "--from " + from + " comes after --to " + to);
        if (workers < 1) throw new ParameterException(spec.commandLine(), "--workers must be at least 1, got " + workers);
        if (maxAttempts < 1) throw new ParameterException(spec.commandLine(), "--max-attempts must be at least 1, got " + maxAttempts);
        if (!Files.isDirectory(inputDir)) throw new ParameterException(spec.commandLine(), "--input-dir " + inputDir + " is not a directory - run convert-to-json first");
        var tables = JsonApiTable.ALL.subList(first - 1, last);
        var config = new QaironRestLoader.Config(url, workers, Backoff.standard().withMaxAttempts(maxAttempts), Duration.ofSeconds(timeoutSeconds));
        var stats = new LoadStats();
        long start = System.nanoTime();
        var missing = new java.util.ArrayList<String>();
        String stoppedBecause;
        try (var report = new LoadFailureReport(failures); var progress = Progress.start("load-json", -1, "rows", quiet)) {
            var loader = new QaironRestLoader(config, stats, report, progress::step);
            try {
                loader.ping();
            } catch (IllegalStateException e) {
                System.err.println("load-json: " + e.getMessage());
                return 1;
            }
            for (var table : tables) {
                Path file = inputDir.resolve(table.jsonFile());
                if (!Files.exists(file)) file = inputDir.resolve(table.jsonFile() + ".gz");
                if (!Files.exists(file)) {
                    missing.add(table.jsonFile());
                    continue;
                }
                progress.message(table.resource());
                loader.load(table, file);
                if (loader.stopped() != null) break;
            }
            stoppedBecause = loader.stopped();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        int exit = stats.failed() > 0 || stoppedBecause != null ? 1 : 0;
        System.out.printf(Locale.ROOT, "load-json: done in %.1f s, %,d of %,d rows loaded (%,d created, %,d already there%s), exit %d%n",
                secs, stats.created() + stats.existing(), stats.read(), stats.created(), stats.existing(),
                stats.skipped() == 0 ? "" : String.format(Locale.ROOT, ", %,d skipped", stats.skipped()), exit);
        System.out.printf(Locale.ROOT, "  read      %,12d rows     %d files in %s (steps %d-%d)%n", stats.read(), tables.size() - missing.size(), inputDir, first, last);
        System.out.printf(Locale.ROOT, "  sent      %,12d requests %s · %,.0f rows/s · %d workers%n", stats.requests(), url, secs > 0 ? stats.read() / secs : 0, workers);
        System.out.printf(Locale.ROOT, "  created   %,12d%n", stats.created());
        System.out.printf(Locale.ROOT, "  existing  %,12d          already in Qairon (400 UniqueViolation, or link present)%n", stats.existing());
        if (stats.skipped() > 0) {
            System.out.printf(Locale.ROOT, "  skipped   %,12d          deployment_targets_fleets rows naming another target's fleet: the API cannot write"
                    + " target_fleets (a PATCH would move the fleet)%n", stats.skipped());
        }
        System.out.printf(Locale.ROOT, "  retried   %,12d requests %s%n", stats.retried(), stats.retryCauses().entrySet().stream()
                .map(e -> e.getValue() + " × " + e.getKey()).collect(Collectors.joining(", ")));
        System.out.printf(Locale.ROOT, "  failed    %,12d          %s%n", stats.failed(), stats.failed() == 0 ? "" : "-> " + failures);
        for (var table : tables) {
            var t = stats.table(table);
            if (t.failed() > 0) {
                System.out.printf(Locale.ROOT, "    %-26s %,10d failed of %,d%n", table.resource(), t.failed(), t.read());
            }
        }
        if (stoppedBecause != null) System.out.println("  stopped   " + stoppedBecause);
        if (!missing.isEmpty()) System.out.println("  skipped   " + missing.size() + " missing file(s): " + String.join(", ", missing));
        return exit;
    }
}
