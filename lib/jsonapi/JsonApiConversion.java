import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Converts a directory of numbered fixture TSV files ({@code NN_name.txt}, optionally {@code .gz}) into one JSON:API
 * document file per table, several files at once. A {@code NN_*.txt} file that is not one of the 36 tables is an
 * unknown table (reported at line 0, nothing written); tables without a file are listed as missing.
 */
final class JsonApiConversion {

    /** The whole run; {@code results} in load order. */
    record Result(List<FixtureTsvConverter.FileResult> results, List<Path> unknownFiles, List<JsonApiTable> missing) {
        long rows() { return results.stream().mapToLong(FixtureTsvConverter.FileResult::rows).sum(); }
        long written() { return results.stream().mapToLong(FixtureTsvConverter.FileResult::written).sum(); }
        long bad() { return results.stream().mapToLong(FixtureTsvConverter.FileResult::bad).sum() + unknownFiles.size(); }
    }

    private static final Pattern TABLE_FILE = Pattern.compile("[0-9]{2}_.*\\.txt(\\.gz)?");

    private JsonApiConversion() {}

    /** {@code badSink} is called from several threads; it must be thread-safe. */
    static Result run(Path inputDir, Path outputDir, int workers, Consumer<BadTsvLine> badSink) {
        return run(inputDir, outputDir, workers, false, badSink);
    }

    /** With {@code gzip} the documents are written as {@code <resource>.json.gz}. */
    static Result run(Path inputDir, Path outputDir, int workers, boolean gzip, Consumer<BadTsvLine> badSink) {
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        List<Path> files;
        try (var list = Files.list(inputDir)) {
            files = list.filter(p -> TABLE_FILE.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(Path::toString)).toList();
            Files.createDirectories(outputDir);
        } catch (IOException e) {
            throw new UncheckedIOException(inputDir + ": cannot list (" + e.getMessage() + ")", e);
        }
        var unknown = new ArrayList<Path>();
        var jobs = new ArrayList<Job>();
        var seen = new java.util.HashSet<JsonApiTable>();
        for (Path file : files) {
            var table = JsonApiTable.byTsvFile(file.getFileName().toString());
            if (table.isEmpty()) {
                unknown.add(file);
                badSink.accept(new BadTsvLine(file, 0, "unknown table: not one of the 36 fixture files (01_environments.txt .. 36_target_fleets.txt) - file skipped"));
            } else if (!seen.add(table.get())) {
                unknown.add(file);
                badSink.accept(new BadTsvLine(file, 0, "second file for table " + table.get().resource() + " (plain and .gz?) - file skipped"));
            } else {
                jobs.add(new Job(table.get(), file));
            }
        }
        // biggest files first so the long ones do not start last
        jobs.sort(Comparator.comparingLong((Job j) -> size(j.file)).reversed());
        var results = new ArrayList<FixtureTsvConverter.FileResult>();
        try (var pool = Executors.newFixedThreadPool(Math.min(workers, Math.max(1, jobs.size())))) {
            var futures = new ArrayList<Future<FixtureTsvConverter.FileResult>>();
            for (Job j : jobs) {
                futures.add(pool.submit(() -> FixtureTsvConverter.convert(j.file, j.table, outputDir.resolve(j.table.jsonFile() + (gzip ? ".gz" : "")), badSink)));
            }
            for (var f : futures) results.add(f.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("conversion interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
        results.sort(Comparator.comparingInt(r -> r.table().step()));
        var missing = JsonApiTable.ALL.stream().filter(t -> !seen.contains(t)).toList();
        return new Result(List.copyOf(results), List.copyOf(unknown), missing);
    }

    private record Job(JsonApiTable table, Path file) {}

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
