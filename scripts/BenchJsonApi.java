///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
//SOURCES ../lib/cli/KitVersion.java ../lib/io/DataFile.java ../lib/model/ReleaseId.java ../lib/delivery/Backoff.java
//SOURCES ../lib/jsonapi/JsonApiTable.java ../lib/jsonapi/BadTsvLine.java ../lib/jsonapi/JsonApiDocumentWriter.java
//SOURCES ../lib/jsonapi/FixtureTsvConverter.java ../lib/jsonapi/JsonApiConversion.java ../lib/jsonapi/JsonApiDocumentReader.java
//SOURCES ../lib/jsonapi/LoadStats.java ../lib/jsonapi/LoadFailureReport.java ../lib/jsonapi/QaironRestLoader.java
//SOURCES ../lib/jsonapi/QaironApiStub.java
//DESCRIPTION Benchmark convert-to-json and load-json: rows/s for TSV -> JSON:API and for loading into an in-process Qairon stand-in.
//DESCRIPTION Example: ./jbang bench-jsonapi --rows 140000 --workers 8

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench-jsonapi", mixinStandardHelpOptions = true, versionProvider = KitVersion.class,
        description = {"Write a consistent synthetic fixture set (providers, regions, zones), convert it to JSON:API and load it into",
                "an in-process Qairon stand-in; print rows/s for both. --input-dir converts a real TSV directory instead (convert only)."})
class BenchJsonApi implements Callable<Integer> {

    @Option(names = "--rows", paramLabel = "N", defaultValue = "140000", description = "Synthetic rows, about (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "8", description = "Requests in flight while loading (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--input-dir", paramLabel = "DIR", description = "Convert this TSV directory (e.g. generate-fixtures output) and skip the load.")
    Path inputDir;

    @Option(names = "--convert-only", description = "Time only the conversion.")
    boolean convertOnly;

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = ".dev/bench/jsonapi", description = "Scratch directory (default: ${DEFAULT-VALUE}).")
    Path workDir;

    public static void main(String... args) {
        System.exit(new CommandLine(new BenchJsonApi()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        Path txt = inputDir != null ? inputDir : synthetic(workDir.resolve("txt"), Math.max(1, rows / 7));
        Path json = workDir.resolve("json");
        var bad = new AtomicLong();
        long c0 = System.nanoTime();
        var conversion = JsonApiConversion.run(txt, json, 2, b -> bad.incrementAndGet());
        double convertSecs = (System.nanoTime() - c0) / 1e9;
        double convertRate = conversion.rows() / convertSecs;
        String loadLine = "  load      skipped (--input-dir)";
        double loadRate = 0;
        int exit = bad.get() == 0 ? 0 : 1;
        if (convertOnly) loadLine = "  load      skipped (--convert-only)";
        if (inputDir == null && !convertOnly) {
            var stats = new LoadStats();
            long l0 = System.nanoTime();
            try (var stub = QaironApiStub.start(); var report = new LoadFailureReport(workDir.resolve("load-failures.tsv"))) {
                var loader = new QaironRestLoader(new QaironRestLoader.Config(stub.uri(), workers, Backoff.standard(), Duration.ofSeconds(30)), stats, report, n -> {});
                loader.ping();
                for (var t : JsonApiTable.ALL) {
                    Path f = json.resolve(t.jsonFile());
                    if (Files.exists(f)) loader.load(t, f);
                }
            }
            double loadSecs = (System.nanoTime() - l0) / 1e9;
            loadRate = stats.read() / loadSecs;
            if (stats.failed() > 0) exit = 1;
            loadLine = String.format(Locale.ROOT, "  load      %,12d rows in %6.1f s  %,10.0f rows/s  (%,d created, %,d failed, %d workers, in-process stand-in)",
                    stats.read(), loadSecs, loadRate, stats.created(), stats.failed(), workers);
        }
        System.out.printf(Locale.ROOT, "bench-jsonapi: done in %.1f s, convert %,.0f rows/s, load %,.0f rows/s%n",
                (System.nanoTime() - t0) / 1e9, convertRate, loadRate);
        System.out.printf(Locale.ROOT, "  convert   %,12d rows in %6.1f s  %,10.0f rows/s  (%d files from %s, %d bad)%n",
                conversion.rows(), convertSecs, convertRate, conversion.results().size(), txt, bad.get());
        System.out.println(loadLine);
        return exit;
    }

    /** environment, provider_type, then {@code providers} providers with 2 regions each and 2 zones per region. */
    static Path synthetic(Path dir, int providers) throws IOException {
        Files.createDirectories(dir);
        write(dir, "01_environments.txt", "id", w -> w.println("prod"));
        write(dir, "02_provider_types.txt", "id", w -> w.println("aws"));
        write(dir, "07_providers.txt", "environment_id\tprovider_type_id\tnative_id", w -> {
            for (int p = 0; p < providers; p++) w.printf("prod\taws\t%012d%n", p);
        });
        write(dir, "08_regions.txt", "provider_id\tname", w -> {
            for (int p = 0; p < providers; p++) for (String r : new String[] {"us-east-1", "us-west-2"}) w.printf("prod:aws:%012d\t%s%n", p, r);
        });
        write(dir, "09_zones.txt", "region_id\tname\tnative_id", w -> {
            for (int p = 0; p < providers; p++) for (String r : new String[] {"us-east-1", "us-west-2"}) for (String z : new String[] {"a", "b"}) {
                w.printf("prod:aws:%012d:%s\t%s%s\t%s-az%s%n", p, r, r, z, r, z);
            }
        });
        return dir;
    }

    private static void write(Path dir, String file, String columns, java.util.function.Consumer<PrintWriter> rows) throws IOException {
        try (var w = new PrintWriter(Files.newBufferedWriter(dir.resolve(file)))) {
            w.print("# " + file + "\n# Format: " + columns + "\n# Generated by bench-jsonapi\n\n");
            rows.accept(w);
        }
    }
}
