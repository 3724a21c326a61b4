///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
//DEPS me.tongfei:progressbar:0.10.1
//SOURCES ../lib/cli/KitVersion.java ../lib/cli/Progress.java ../lib/io/DataFile.java ../lib/io/JsonLinesReader.java
//SOURCES ../lib/io/JsonLinesWriter.java ../lib/delivery/InputFiles.java ../lib/rca/GroundTruth.java ../lib/rca/LogError.java
//SOURCES ../lib/rca/ReleaseChange.java ../lib/rca/LogScan.java ../lib/rca/Evidence.java ../lib/rca/RcaQuestion.java
//SOURCES ../lib/rca/QuestionGenerator.java ../lib/rca/RcaOutput.java ../lib/rca/GroundTruthSeries.java
//DESCRIPTION Root-cause questions from a run's ground truth (incidents.json), each with its canonical answer and the
//DESCRIPTION LogsQL, MetricsQL and TraceQL queries (with expected results) that prove it against the stores.
//DESCRIPTION Example: ./jbang rca-questions .dev/data/test_data --out .dev/data/test_data/questions.jsonl

import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rca-questions", mixinStandardHelpOptions = true, versionProvider = KitVersion.class,
        description = {"Turn a run's ground truth into questions the data can answer (which component, which upstream, which release),",
                "as JSON lines with the answer and evidence queries whose expected results come from the logs.",
                "Exit 0 when every line was read; 1 when a line was bad (reported as file:line) unless --skip-bad; 2 on bad input."})
class RcaQuestions implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "INPUT", arity = "1..*", description = "The run's directory, or its log files and globs (logs_*.jsonl[.gz]).")
    List<String> inputs;

    @Option(names = "--ground-truth", paramLabel = "FILE",
            description = "The run's incidents.json (default: incidents.json in the first INPUT directory, or next to the first file).")
    Path groundTruth;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Questions file (JSON lines); default: standard output.")
    Path out;

    @Option(names = "--scrape-interval-seconds", paramLabel = "N", defaultValue = "15",
            description = "The native metrics' scrape interval; MetricsQL windows are widened to it (default: ${DEFAULT-VALUE}).")
    int scrapeSeconds;

    @Option(names = "--series-out", paramLabel = "FILE",
            description = "Also write the ground truth's incident, deployment and burst windows as VictoriaMetrics import lines "
                    + "(ground_truth_incident, ground_truth_deployment, ground_truth_burst) for the Incidents dashboard; import them with "
                    + "./jbang import-vm FILE.")
    Path seriesOut;

    @Option(names = "--skip-bad", description = "Exit 0 even when log lines could not be read (they are still counted and listed).")
    boolean skipBad;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    public static void main(String... args) {
        System.exit(new CommandLine(new RcaQuestions()).execute(args));
    }

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        if (scrapeSeconds < 1) throw new ParameterException(spec.commandLine(), "--scrape-interval-seconds must be at least 1, got " + scrapeSeconds);
        Path first = Path.of(inputs.getFirst());
        Path truthFile = groundTruth != null ? groundTruth
                : (first.toFile().isDirectory() ? first : first.toAbsolutePath().getParent()).resolve("incidents.json");
        GroundTruth truth;
        LogScan scan;
        try {
            truth = GroundTruth.read(truthFile);
            scan = LogScan.of(inputs, quiet);
        } catch (RuntimeException e) {
            System.err.println("rca-questions: " + e.getMessage());
            return 2;
        }
        scan.reportBadLines("rca-questions", System.err);
        var questions = new QuestionGenerator(truth, scan, scrapeSeconds * 1_000_000L).questions();
        var output = new RcaOutput(out, System.out, System.err);
        try {
            output.write(questions.stream().map(RcaQuestion::toJsonLine).toList());
            if (seriesOut != null) new RcaOutput(seriesOut, System.out, System.err).write(new GroundTruthSeries(60_000).lines(truth));
        } catch (RuntimeException e) {
            System.err.println("rca-questions: " + e.getMessage());
            return 1;
        }
        var kinds = new TreeMap<String, Integer>();
        for (String k : List.of("component", "upstream", "release")) kinds.put(k, 0);
        questions.forEach(q -> kinds.merge(q.kind(), 1, Integer::sum));
        var summary = output.summary();
        summary.printf("rca-questions: done in %.1f s, %,d questions (%,d component, %,d upstream, %,d release) from %,d incidents, %,d deployment windows%n",
                (System.nanoTime() - t0) / 1e9, questions.size(), kinds.get("component"), kinds.get("upstream"), kinds.get("release"),
                truth.incidents().size(), truth.deployments().size());
        summary.printf("  read       %s, %,d log lines in %,d files, %,d bad%n", truthFile, scan.lines, scan.files, scan.badLineCount);
        summary.printf("  questions  %s%n", output.where());
        if (seriesOut != null)
            summary.printf("  series     %s (%,d windows; ./jbang import-vm %s)%n", seriesOut,
                    truth.incidents().size() + truth.deployments().size() + truth.bursts().size(), seriesOut);
        if (scan.badLineCount > 0 && !skipBad) return 1;
        return 0;
    }
}
