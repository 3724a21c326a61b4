///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
//DEPS com.fasterxml.jackson.dataformat:jackson-dataformat-yaml:2.20.1
//SOURCES ../lib/cli/KitVersion.java ../lib/pipeline/KitHome.java ../lib/victoria/RuleReplay.java
//DESCRIPTION Replay the kit's vmalert recording rules (config/vmalert/recording.yml) over the history in VictoriaMetrics,
//DESCRIPTION so the dashboards' recorded panels have data for imported runs; counts the recorded samples in the store.
//DESCRIPTION Example: ./jbang replay-rules --vm-url http://localhost:8428

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "replay-rules", mixinStandardHelpOptions = true, versionProvider = KitVersion.class, sortOptions = false,
        description = {"Run vmalert in replay mode over the native metrics already in VictoriaMetrics: every evaluation the recording rules",
                "would have made, written back to the store (the overview's p99 panels read them). Then count the recorded samples there.",
                "Exit 0 when the store holds every sample vmalert wrote; 1 when vmalert failed or the store holds fewer;",
                "2 on bad input or no vmalert (unless --skip-missing-vmalert)."})
class ReplayRules implements Callable<Integer> {

    @Option(names = "--vm-url", defaultValue = "http://localhost:8428",
            description = "VictoriaMetrics that vmalert reads (or vmselect's /select/<tenant>/prometheus). Default: ${DEFAULT-VALUE}.")
    URI vmUrl;

    @Option(names = "--write-url", paramLabel = "URL",
            description = "Where vmalert writes the recorded series (default: --vm-url; for a cluster vminsert's /insert/<tenant>/prometheus).")
    URI writeUrl;

    @Option(names = "--rules", paramLabel = "FILE", description = "vmalert rules file with recording rules (default: the kit's config/vmalert/recording.yml).")
    Path rulesFile;

    @Option(names = "--from", paramLabel = "TIME", description = "First evaluation, ISO-8601 time or date (default: the first sample of requests_total in the store).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Last evaluation, ISO-8601 time or date (default: the last sample of requests_total in the store).")
    String to;

    @Option(names = "--vmalert", paramLabel = "PATH", description = "vmalert binary (default: $QAIRON_VMALERT_BIN, vmalert or vmalert-prod on the PATH, "
            + "or next to /usr/bin/victoria-metrics).")
    Path vmalert;

    @Option(names = "--points-per-query", defaultValue = "1000",
            description = "Evaluations per range query vmalert sends (-replay.maxDatapointsPerQuery). Default: ${DEFAULT-VALUE}.")
    int pointsPerQuery;

    @Option(names = "--log", paramLabel = "FILE", description = "vmalert's output (default: .dev/logs/replay-rules.log in the kit).")
    Path log;

    @Option(names = "--skip-missing-vmalert", description = "Exit 0 with a warning when there is no vmalert binary (the pipeline's recording step).")
    boolean skipMissing;

    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    boolean quiet;

    public static void main(String... args) {
        System.exit(new CommandLine(new ReplayRules()).execute(args));
    }

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        RecordingRules rules;
        RuleReplay.Window window;
        try {
            rules = RecordingRules.read(rulesFile != null ? rulesFile : KitHome.find().resolve("config/vmalert/recording.yml"));
            if (pointsPerQuery < 1) throw new IllegalArgumentException("--points-per-query must be at least 1, got " + pointsPerQuery);
            window = window(rules);
        } catch (RuntimeException e) {
            System.err.println("replay-rules: " + e.getMessage());
            return 2;
        }
        if (window == null) {
            System.err.println("replay-rules: " + vmUrl + " holds no requests_total samples: import the native metrics first (./jbang import-vm), "
                    + "or give --from and --to");
            return 2;
        }
        Path binary = RuleReplay.locate(vmalert);
        if (binary == null || !java.nio.file.Files.isExecutable(binary)) {
            String why = (binary == null ? "no vmalert binary (" + String.join(", ", RuleReplay.BINARIES) + " on the PATH, $QAIRON_VMALERT_BIN)"
                    : binary + " is not an executable") + "; install the Debian package victoria-metrics or the vmutils release archive, "
                    + "or replay from the dev stack: " + RuleReplay.composeCommand(window, rules.interval());
            if (skipMissing) {
                System.out.printf(Locale.ROOT, "replay-rules: done in %.1f s, skipped: %s%n", (System.nanoTime() - t0) / 1e9, why);
                return 0;
            }
            System.err.println("replay-rules: " + why);
            return 2;
        }
        long evaluations = window.evaluations(rules.interval());
        Path logFile = log != null ? log : KitHome.find().resolve(".dev/logs/replay-rules.log");
        URI write = writeUrl != null ? writeUrl : vmUrl;
        if (!quiet) System.err.printf(Locale.ROOT, "replay-rules: %,d evaluations of %d rules every %s, %s .. %s, with %s%n", evaluations,
                rules.records().size(), RuleReplay.promDuration(rules.interval()), window.from(), window.to(), binary);
        RuleReplay.Result r;
        try {
            r = RuleReplay.run(binary, rules, vmUrl, write, window, pointsPerQuery, logFile);
        } catch (RuntimeException e) {
            System.err.println("replay-rules: " + e.getMessage());
            return 1;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String imported = r.imported() < 0 ? "vmalert did not say how many" : String.format(Locale.ROOT, "%,d", r.imported());
        String headline = r.ok() ? String.format(Locale.ROOT, "%,d evaluations, %s samples recorded, %,d in the store", evaluations, imported, r.stored())
                : r.exitCode() != 0 ? "FAILED: vmalert exit code " + r.exitCode()
                : String.format(Locale.ROOT, "NOT ALL STORED: vmalert wrote %s samples, the store holds %,d", imported, r.stored());
        System.out.printf(Locale.ROOT, "replay-rules: done in %.1f s, %s%n", seconds, headline);
        System.out.printf(Locale.ROOT, "  window   %s .. %s, every %s%n", window.from(), window.to(), RuleReplay.promDuration(rules.interval()));
        System.out.printf(Locale.ROOT, "  rules    %s: %s%n", rules.file(), String.join(", ", rules.records()));
        System.out.printf(Locale.ROOT, "  vmalert  %s, log %s%n", binary, r.log());
        System.out.printf(Locale.ROOT, "  store    %s: %,d samples of the recorded series in the window (written to %s)%n", vmUrl, r.stored(), write);
        if (r.exitCode() != 0) System.out.println("  vmalert said:\n" + RuleReplay.tail(r.log(), 15).indent(4).stripTrailing());
        return r.ok() ? 0 : 1;
    }

    private RuleReplay.Window window(RecordingRules rules) {
        Instant now = Instant.now();
        RuleReplay.Window data = from == null || to == null ? RuleReplay.windowOfData(vmUrl, rules.interval(), now) : null;
        if (data == null && (from == null || to == null)) return null;
        Instant first = from != null ? time(from, "--from") : data.from();
        Instant last = to != null ? time(to, "--to") : data.to();
        if (last.isBefore(first)) throw new IllegalArgumentException("--to " + last + " is before --from " + first);
        return RuleReplay.Window.covering(first, last, rules.interval());
    }

    static Instant time(String text, String flag) {
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(flag + " " + text + ": expected an ISO-8601 time (2026-12-01T00:00:00Z) or date (2026-12-01)");
        }
    }
}
