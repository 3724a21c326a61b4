///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
//SOURCES ../lib/cli/KitVersion.java ../lib/monitoring/Scenario.java ../lib/monitoring/UniformRange.java
//SOURCES ../lib/rca/CauseKind.java ../lib/rca/TruthCause.java ../lib/rca/Finding.java ../lib/rca/GroundTruthReader.java
//SOURCES ../lib/rca/FindingsReader.java ../lib/rca/MatchRules.java ../lib/rca/CauseIndex.java ../lib/rca/RcaScore.java
//DESCRIPTION Score root-cause findings against the ground truth of a generate-monitoring run (incidents.json).
//DESCRIPTION Example: ./jbang score-rca findings.jsonl --ground-truth .dev/data/test_data/incidents.json

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "score-rca", mixinStandardHelpOptions = true, versionProvider = KitVersion.class,
        description = {"Score a findings file (JSON lines: start, end, kind infrastructure|dependency|deployment, and the blamed component,",
                "service or release_id; schema in the README) against incidents.json: precision, recall and F1 per cause kind, time to detect,",
                "and blame accuracy per level, as a table or --json. A finding matches a cause of its kind when the windows touch or overlap",
                "after widening the cause by --tolerance. Bad findings lines are printed as file:line: reason and counted.",
                "Exit 0 when scored, 1 when a findings line was bad (unless --skip-bad) or a file cannot be read, 2 for a wrong flag."})
class ScoreRca implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FINDINGS", description = "Findings, one JSON object a line.")
    Path findings;

    @Option(names = "--ground-truth", paramLabel = "FILE", defaultValue = ".dev/data/test_data/incidents.json",
            description = "incidents.json of the run, or incidents.jsonl of a live run (default: ${DEFAULT-VALUE}).")
    Path groundTruth;

    @Option(names = "--tolerance", paramLabel = "DURATION", defaultValue = MatchRules.DEFAULT_TOLERANCE,
            description = "Widen each cause's window by this on both sides before matching: 0, 30s, 5m, 1h (default: ${DEFAULT-VALUE}).")
    String tolerance;

    @Option(names = "--min-overlap", paramLabel = "FRACTION", defaultValue = MatchRules.DEFAULT_MIN_OVERLAP,
            description = "Share of the shorter window that must overlap, 0 to 1; 0 = touching is enough (default: ${DEFAULT-VALUE}).")
    double minOverlap;

    @Option(names = "--min-errors", paramLabel = "N", defaultValue = MatchRules.DEFAULT_MIN_ERRORS,
            description = "Incidents (and their cascades) with fewer logged errors than N are not in the data and left out of recall; "
                    + "deployment windows always count (default: ${DEFAULT-VALUE}).")
    long minErrors;

    @Option(names = "--json", description = "Print the scores as one JSON object instead of the table.")
    boolean json;

    @Option(names = "--skip-bad", description = "Exit 0 even when findings lines were bad (they are still printed and counted).")
    boolean skipBad;

    public static void main(String... args) {
        System.exit(new CommandLine(new ScoreRca()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        MatchRules rules;
        try {
            long tol = tolerance.trim().equals("0") ? 0 : Scenario.parseDuration(tolerance, "--tolerance").toNanos() / 1000;
            rules = new MatchRules(tol, minOverlap, minErrors);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        GroundTruthReader.GroundTruth truth;
        FindingsReader.Findings found;
        try {
            truth = GroundTruthReader.read(groundTruth);
            if (!java.nio.file.Files.isRegularFile(findings)) throw new IllegalStateException(findings + ": findings file not found");
            found = FindingsReader.read(findings);
        } catch (RuntimeException e) {
            System.err.println("score-rca: " + e.getMessage());
            return 1;
        }
        for (String bad : found.badLines()) System.err.println("score-rca: " + bad);
        var result = RcaScore.score(truth.causes(), found.findings(), rules);
        int read = found.findings().size() + found.badLines().size();
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(
                    RcaScore.json(result, rules, groundTruth.toString(), findings.toString(), read, found.badLines().size())));
        } else {
            var all = result.all();
            System.out.printf(Locale.ROOT, "score-rca: done in %.1f s, %,d findings (%,d bad lines%s), %,d causes (%,d unfindable), F1 %s%n",
                    (System.nanoTime() - t0) / 1e9, found.findings().size(), found.badLines().size(),
                    found.badLines().isEmpty() ? "" : skipBad ? ", skipped" : ", not scored", all.causes() + all.unfindable(),
                    all.unfindable(), all.f1() == null ? "-" : String.format(Locale.ROOT, "%.3f", all.f1()));
            System.out.printf(Locale.ROOT, "  ground truth %s (seed %d, incident intensity %s); findings %s%n", groundTruth, truth.seed(),
                    truth.incidentIntensity(), findings);
            System.out.printf(Locale.ROOT, "  matching     same kind, windows touch or overlap after widening each cause by %s, min overlap %s, "
                    + "incidents with fewer than %d errors unfindable%n", tolerance, minOverlap, minErrors);
            RcaScore.print(System.out, result);
        }
        return found.badLines().isEmpty() || skipBad ? 0 : 1;
    }
}
