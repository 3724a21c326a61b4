///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DEPS info.picocli:picocli:4.7.7
//SOURCES ../lib/cli/KitVersion.java ../lib/io/DataFile.java ../lib/model/ReleaseId.java
//SOURCES ../lib/jsonapi/JsonApiTable.java ../lib/jsonapi/BadTsvLine.java ../lib/jsonapi/JsonApiDocumentWriter.java
//SOURCES ../lib/jsonapi/FixtureTsvConverter.java ../lib/jsonapi/JsonApiConversion.java
//DESCRIPTION Convert the 36 numbered Qairon fixture TSV files into JSON:API documents (one <resource>.json each) for load-json.
//DESCRIPTION Example: ./jbang convert-to-json --input-dir .dev/data/fixtures --output-dir .dev/data/fixtures-json

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "convert-to-json", mixinStandardHelpOptions = true, versionProvider = KitVersion.class,
        description = {"Convert numbered fixture TSV files (NN_<table>.txt[.gz]) into JSON:API documents, one <resource>.json per table.",
                "Bad lines (wrong cell count, broken id, unknown table file) are reported as file:line, skipped and counted; exit 1 unless --skip-bad."})
class ConvertToJson implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--input-dir", paramLabel = "DIR", defaultValue = ".dev/data/fixtures",
            description = "Directory with the TSV files (default: ${DEFAULT-VALUE}).")
    Path inputDir;

    @Option(names = "--output-dir", paramLabel = "DIR", defaultValue = ".dev/data/fixtures-json",
            description = "Directory for the <resource>.json documents, created if missing (default: ${DEFAULT-VALUE}).")
    Path outputDir;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2", description = "Files converted at once (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--gzip", description = "Write <resource>.json.gz (load-json reads both).")
    boolean gzip;

    @Option(names = "--skip-bad", description = "Exit 0 even when bad lines were skipped.")
    boolean skipBad;

    @Option(names = "--rejects", paramLabel = "FILE", defaultValue = ".dev/rejects/convert-to-json.tsv",
            description = "Every skipped line as file, line, reason (default: ${DEFAULT-VALUE}).")
    Path rejects;

    @Option(names = "--show-bad", paramLabel = "N", defaultValue = "20", description = "Bad lines printed to stderr (default: ${DEFAULT-VALUE}).")
    int showBad;

    public static void main(String... args) {
        System.exit(new CommandLine(new ConvertToJson()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(inputDir)) {
            throw new ParameterException(spec.commandLine(), "--input-dir " + inputDir + " is not a directory - run generate-fixtures first or point at the TSV files");
        }
        if (workers < 1) throw new ParameterException(spec.commandLine(), "--workers must be at least 1, got " + workers);
        long start = System.nanoTime();
        if (rejects.toAbsolutePath().getParent() != null) Files.createDirectories(rejects.toAbsolutePath().getParent());
        var shown = new AtomicLong();
        JsonApiConversion.Result result;
        try (var rejectOut = new PrintWriter(Files.newBufferedWriter(rejects))) {
            rejectOut.println("file\tline\treason");
            result = JsonApiConversion.run(inputDir, outputDir, workers, gzip, bad -> {
                synchronized (rejectOut) {
                    rejectOut.println(bad.file() + "\t" + bad.line() + "\t" + bad.reason());
                }
                if (shown.incrementAndGet() <= showBad) System.err.println("convert-to-json: " + bad + " - skipped");
            });
        }
        double secs = (System.nanoTime() - start) / 1e9;
        long rows = result.rows(), written = result.written(), bad = result.bad();
        int exit = (bad > 0 && !skipBad) || result.results().isEmpty() ? 1 : 0;
        System.out.printf(Locale.ROOT, "convert-to-json: done in %.1f s, %,d of %,d rows converted into %d files, exit %d%n",
                secs, written, rows, result.results().size(), exit);
        System.out.printf(Locale.ROOT, "  read      %,12d rows   %d files in %s%n", rows, result.results().size(), inputDir);
        System.out.printf(Locale.ROOT, "  written   %,12d docs   %s · %,.0f rows/s%n", written, outputDir, secs > 0 ? rows / secs : 0);
        System.out.printf(Locale.ROOT, "  bad       %,12d        %s%n", bad, bad == 0 ? "" : "-> " + rejects + (skipBad ? " (--skip-bad)" : ""));
        for (var r : result.results()) {
            if (!r.ignoredColumns().isEmpty()) {
                System.out.printf("  note      %s: header column(s) %s not sent (not in the %s mapping)%n",
                        r.tsv().getFileName(), String.join(", ", r.ignoredColumns()), r.table().resource());
            }
        }
        if (!result.missing().isEmpty() && !result.results().isEmpty()) {
            System.out.printf("  missing   %d table file(s): %s%n", result.missing().size(),
                    String.join(", ", result.missing().stream().map(JsonApiTable::tsvFile).toList()));
        }
        if (result.results().isEmpty()) System.out.println("  no NN_<table>.txt files in " + inputDir + " - run generate-fixtures or pass --input-dir");
        return exit;
    }
}
