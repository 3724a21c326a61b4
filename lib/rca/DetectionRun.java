import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;

/** detect-incidents from end to end: scan the logs, run the detector, write the findings, print the summary. */
record DetectionRun(String alias, List<String> inputs, boolean quiet, boolean skipBad) {

    int detect(IncidentDetector.Settings settings, Path out, PrintStream stdout, PrintStream err) {
        long t0 = System.nanoTime();
        LogScan scan;
        try {
            scan = LogScan.of(inputs, quiet);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println(alias + ": " + e.getMessage());
            return 2;
        }
        scan.reportBadLines(alias, err);
        List<Detection> findings = new IncidentDetector(settings).detect(scan);
        var byCause = new EnumMap<CauseKind, Integer>(CauseKind.class);
        for (CauseKind c : CauseKind.values()) byCause.put(c, 0);
        for (Detection f : findings) byCause.merge(f.kind(), 1, Integer::sum);
        var output = new RcaOutput(out, stdout, err);
        try {
            output.write(findings.stream().map(Detection::toJsonLine).toList());
        } catch (UncheckedIOException e) {
            err.println(alias + ": " + e.getMessage());
            return 1;
        }
        double s = (System.nanoTime() - t0) / 1e9;
        PrintStream summary = output.summary();
        summary.printf("%s: done in %.1f s, %,d findings (%,d infrastructure, %,d dependency, %,d deployment) from %,d lines, %,d bad%n",
                alias, s, findings.size(), byCause.get(CauseKind.INFRASTRUCTURE), byCause.get(CauseKind.DEPENDENCY),
                byCause.get(CauseKind.DEPLOYMENT), scan.lines, scan.badLineCount);
        summary.printf("  read       %,d files, %,d requests, %,d server-side errors, %,d client errors left out, %,d release changes%n",
                scan.files, scan.requests, scan.errors.size(), scan.clientErrors, scan.releaseChanges.size());
        summary.printf("  rate       %,.0f lines/s, %.1f MB/s%n", scan.lines / s, scan.bytes / 1e6 / s);
        summary.printf("  findings   %s%n", output.where());
        if (scan.badLineCount > 0 && !skipBad) {
            summary.printf("  bad lines  %,d (listed above); exit 1, --skip-bad to accept%n", scan.badLineCount);
            return 1;
        }
        return 0;
    }
}
