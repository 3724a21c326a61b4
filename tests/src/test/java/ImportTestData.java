import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Writes generator-format files for importer tests: logs_N.jsonl and metrics_N.jsonl (optionally .gz). */
final class ImportTestData {
    /** Lines written, per kind, in file order. */
    record Written(List<Path> logFiles, List<Path> metricFiles, List<String> logs, List<String> metrics) {}

    private ImportTestData() {}

    /**
     * {@code files} pairs of files with {@code requestsPerFile} roots each (plus children), the last pair gzipped;
     * {@code deployments} deployment lines at the start of logs_0; {@code extra} may append lines to each log file.
     */
    static Written write(Path dir, long seed, int files, int requestsPerFile, int deployments, boolean extended, Instant end) {
        var sample = new SampleLines(seed, end, extended);
        var logFiles = new ArrayList<Path>();
        var metricFiles = new ArrayList<Path>();
        var logs = new ArrayList<String>();
        var metrics = new ArrayList<String>();
        for (int f = 0; f < files; f++) {
            String gz = f == files - 1 && files > 1 ? ".gz" : "";
            Path lp = dir.resolve("logs_" + f + ".jsonl" + gz), mp = dir.resolve("metrics_" + f + ".jsonl" + gz);
            logFiles.add(lp);
            metricFiles.add(mp);
            try (Writer lw = DataFile.writer(lp); Writer mw = DataFile.writer(mp)) {
                if (f == 0) for (int d = 0; d < deployments; d++) line(lw, sample.deployment(), logs::add);
                for (int r = 0; r < requestsPerFile; r++) {
                    for (var e : sample.request()) {
                        line(lw, e.log(), logs::add);
                        for (String m : e.metrics()) line(mw, m, metrics::add);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Written(logFiles, metricFiles, logs, metrics);
    }

    private static void line(Writer w, String line, Consumer<String> seen) throws IOException {
        w.write(line);
        w.write('\n');
        seen.accept(line);
    }

    /** Parses importer options the way the scripts do. */
    static DeliveryOptions options(String... args) {
        return picocli.CommandLine.populateCommand(new DeliveryOptions(), args);
    }
}
