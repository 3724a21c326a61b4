///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
//DEPS org.postgresql:postgresql:42.7.8
//DEPS me.tongfei:progressbar:0.10.1
//SOURCES ../lib/cli/KitVersion.java ../lib/cli/Progress.java ../lib/io/DataFile.java ../lib/io/TsvWriter.java
//SOURCES ../lib/postgres/DatabaseUrl.java ../lib/postgres/LocalPostgres.java ../lib/postgres/QaironSchema.java
//SOURCES ../lib/fixtures/FixtureTable.java ../lib/fixtures/FixtureReference.java ../lib/fixtures/FixtureModel.java
//SOURCES ../lib/fixtures/FixtureGenerator.java ../lib/fixtures/RowSink.java ../lib/fixtures/FixtureTsvSink.java
//SOURCES ../lib/fixtures/CopySink.java ../lib/fixtures/FixtureLoader.java ../lib/fixtures/DeploymentScheduleWriter.java
//SOURCES ../lib/fixtures/Md5.java ../lib/fixtures/FixtureSummary.java ../lib/fixtures/FixtureLoadQueue.java
//SOURCES ../lib/fixtures/FixtureLoadMarker.java ../lib/fixtures/FixtureFileDigest.java
//DESCRIPTION Generate the 36 Qairon fixture tables (~5.3M rows, seed 42) into PostgreSQL by COPY, the numbered TSV files
//DESCRIPTION and deployment_schedule.json. Example: ./jbang generate-fixtures --scale 0.01 --reset

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "generate-fixtures", mixinStandardHelpOptions = true, versionProvider = KitVersion.class,
        description = {"Generate all Qairon tables (tiers 0-8 and associations) from a seed, load them into PostgreSQL with COPY",
                "and write the 36 numbered TSV files plus deployment_schedule.json (read by generate-monitoring --deployment-schedule).",
                "Without --db-url (or SQLALCHEMY_DATABASE_URI) an embedded PostgreSQL with its data in --pg-data is started,",
                "or reused when it already runs, and LEFT RUNNING afterwards (its URL is printed); --pg-stop stops it at the end."})
class GenerateFixtures implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed; same seed and flags, same TSV bytes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scale", defaultValue = "1.0", paramLabel = "S",
            description = "Share of partitions kept, in (0, 1]; 1 gives ~5.3M rows, 0.01 about 2%% of that, primary targets always kept (default: ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--db-url", paramLabel = "URL",
            description = "PostgreSQL to load: jdbc:postgresql://host:port/db?user=u&password=p or postgresql+psycopg2://u:p@host:port/db "
                    + "(default: $SQLALCHEMY_DATABASE_URI, else the embedded server).")
    String dbUrl;

    @Option(names = "--reset", description = {"Replace the Qairon data a non-empty database already holds. Without it, a database that holds",
            "exactly the fixtures asked for (a completed load of the same seed, scale and schema, unchanged since) is kept and",
            "the run goes on without loading; any other data makes the run refuse."})
    boolean reset;

    @Option(names = "--skip-db", description = "Write only the TSV files and deployment_schedule.json; touch no database.")
    boolean skipDb;

    @Option(names = "--txt-output", paramLabel = "DIR", defaultValue = ".dev/data/fixtures",
            description = "Directory for the 36 TSV files and deployment_schedule.json (default: ${DEFAULT-VALUE}).")
    Path txtOutput;

    @Option(names = "--pg-data", paramLabel = "DIR", defaultValue = ".dev/data/postgres",
            description = "Data directory of the embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
    Path pgData;

    @Option(names = "--pg-port", paramLabel = "PORT", defaultValue = "5432",
            description = "Port for the embedded PostgreSQL when it is not running yet; a free one if taken (default: ${DEFAULT-VALUE}).")
    int pgPort;

    @Option(names = "--pg-stop", description = "Stop the embedded PostgreSQL when done (default: leave it running for the next steps).")
    boolean pgStop;

    @Option(names = "--workers", defaultValue = "2", description = "Tables generated and copied at once (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--now", paramLabel = "INSTANT",
            description = "The run's clock for created_at and the schedule, e.g. 2026-11-22T00:00:00Z (default: the current time).")
    Instant now;

    @Option(names = "--schema", paramLabel = "FILE", defaultValue = "fixtures/qairon-schema.json",
            description = "The Qairon schema the DDL is built from (default: ${DEFAULT-VALUE}).")
    Path schemaFile;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    public static void main(String... args) {
        System.exit(new CommandLine(new GenerateFixtures()).execute(args));
    }

    /** The database holds exactly these fixtures: load nothing, and write the files only when they are not the load's own. */
    private int keep(FixtureLoadMarker loaded, QaironSchema schema, FixtureModel model, DatabaseUrl db, LocalPostgres embedded, long t0) throws Exception {
        FixtureLoader.Result files = null;
        if (loaded.filesDigest() == null || !loaded.filesDigest().equals(FixtureFileDigest.of(txtOutput))) {
            var writer = new FixtureLoader(schema, new FixtureLoader.Options(null, txtOutput, false, workers));
            try (var progress = Progress.start("generate-fixtures", -1, "rows", quiet)) {
                files = writer.run(new FixtureGenerator(model), progress);
            }
            String written = FixtureFileDigest.of(txtOutput);
            if (loaded.filesDigest() != null && !loaded.filesDigest().equals(written)) {
                System.err.println("generate-fixtures: the files written again in " + txtOutput + " differ from those of the load in " + db
                        + " (digest " + written + ", loaded " + loaded.filesDigest() + "): the generator changed since; pass --reset to load them");
                return 1;
            }
        }
        System.out.print(FixtureSummary.renderKept(loaded, files, (System.nanoTime() - t0) / 1e9, db, embedded, txtOutput, pgStop));
        return 0;
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    @Override
    public Integer call() throws Exception {
        if (!(scale > 0 && scale <= 1)) throw new ParameterException(spec.commandLine(), "--scale must be in (0, 1], got " + scale);
        if (workers < 1) throw new ParameterException(spec.commandLine(), "--workers must be at least 1, got " + workers);
        long t0 = System.nanoTime();

        String url = dbUrl != null ? dbUrl : System.getenv(DatabaseUrl.SQLALCHEMY_ENV);
        LocalPostgres embedded = null;
        DatabaseUrl db = null;
        if (!skipDb) {
            if (url != null && !url.isBlank()) {
                try {
                    db = DatabaseUrl.parse(url);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), (dbUrl != null ? "--db-url" : DatabaseUrl.SQLALCHEMY_ENV) + ": " + e.getMessage());
                }
            } else {
                embedded = LocalPostgres.start(pgData, pgPort);
                db = embedded.url();
            }
        }
        try {
            var schema = QaironSchema.load(schemaFile);
            Long askedMicros = now == null ? null : micros(now);
            FixtureLoadMarker loaded = null;
            if (db != null && !reset) {
                try {
                    loaded = new FixtureLoader(schema, new FixtureLoader.Options(db, txtOutput, false, workers)).loaded(seed, scale, askedMicros);
                } catch (FixtureLoader.NotEmptyException e) {
                    System.err.println("generate-fixtures: " + e.getMessage());
                    return 1;
                }
            }
            // a kept load's rows were generated for its own clock; files written again use it too, so they match the rows
            long nowMicros = loaded != null ? loaded.nowMicros() : askedMicros != null ? askedMicros : micros(Instant.now());
            var model = new FixtureModel(seed, scale, nowMicros);
            if (loaded != null) return keep(loaded, schema, model, db, embedded, t0);
            var loader = new FixtureLoader(schema, new FixtureLoader.Options(db, txtOutput, reset, workers));
            FixtureLoader.Result result;
            try (var progress = Progress.start("generate-fixtures", -1, "rows", quiet)) {
                result = loader.run(new FixtureGenerator(model), progress);
            } catch (FixtureLoader.NotEmptyException e) {
                System.err.println("generate-fixtures: " + e.getMessage());
                return 1;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.print(FixtureSummary.render(result, model, seconds, db, embedded, txtOutput, pgStop));
            return 0;
        } finally {
            if (embedded != null && pgStop) embedded.stop();
        }
    }
}
