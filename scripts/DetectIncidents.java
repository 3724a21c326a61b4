///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
//DEPS me.tongfei:progressbar:0.10.1
//SOURCES ../lib/cli/KitVersion.java ../lib/cli/Progress.java ../lib/io/DataFile.java ../lib/io/JsonLinesReader.java
//SOURCES ../lib/delivery/InputFiles.java ../lib/rca/GroundTruth.java ../lib/rca/LogError.java ../lib/rca/ReleaseChange.java
//SOURCES ../lib/io/JsonLinesWriter.java ../lib/rca/LogScan.java ../lib/rca/CauseKind.java ../lib/rca/Detection.java ../lib/rca/IncidentDetector.java
//SOURCES ../lib/rca/RcaOutput.java ../lib/rca/DetectionRun.java
//DESCRIPTION Baseline incident detector: error bursts per signature in the logs, services failing together as one hidden
//DESCRIPTION cause, blamed on a release that went live just before or on an infrastructure component; findings as JSON lines.
//DESCRIPTION Example: ./jbang detect-incidents .dev/data/test_data --out .dev/data/test_data/findings.jsonl

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "detect-incidents", mixinStandardHelpOptions = true, versionProvider = KitVersion.class,
        description = {"Find incident windows in generated logs (logs_*.jsonl) from the data alone and blame a cause:",
                "infrastructure (component), dependency (upstream service) or deployment (release id). One JSON line per finding.",
                "Exit 0 when every line was read; 1 when a line was bad (reported as file:line) unless --skip-bad."})
class DetectIncidents implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "INPUT", arity = "1..*",
            description = "Log files, globs or directories (their logs_*.jsonl[.gz]).")
    List<String> inputs;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Findings file (JSON lines); default: standard output.")
    Path out;

    @Option(names = "--merge-gap-minutes", paramLabel = "N", defaultValue = "30",
            description = "Errors of one signature at most this far apart belong to one incident (default: ${DEFAULT-VALUE}).")
    int mergeGapMinutes;

    @Option(names = "--alpha", paramLabel = "P", defaultValue = "1e-4",
            description = "Keep a group when its error count has at most this chance under the signature's run-wide rate (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--deploy-lookback-minutes", paramLabel = "N", defaultValue = "60",
            description = "A release that went live on a failing deployment at most this long before its errors is blamed (default: ${DEFAULT-VALUE}).")
    int deployLookbackMinutes;

    @Option(names = "--skip-bad", description = "Exit 0 even when lines could not be read (they are still counted and listed).")
    boolean skipBad;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    public static void main(String... args) {
        System.exit(new CommandLine(new DetectIncidents()).execute(args));
    }

    @Override
    public Integer call() {
        if (mergeGapMinutes < 1) throw new ParameterException(spec.commandLine(), "--merge-gap-minutes must be at least 1, got " + mergeGapMinutes);
        if (!(alpha > 0 && alpha < 1)) throw new ParameterException(spec.commandLine(), "--alpha must be between 0 and 1, got " + alpha);
        if (deployLookbackMinutes < 0) throw new ParameterException(spec.commandLine(), "--deploy-lookback-minutes must not be negative");
        var settings = new IncidentDetector.Settings(mergeGapMinutes * 60_000_000L, alpha, deployLookbackMinutes * 60_000_000L);
        return new DetectionRun("detect-incidents", inputs, quiet, skipBad).detect(settings, out, System.out, System.err);
    }
}
