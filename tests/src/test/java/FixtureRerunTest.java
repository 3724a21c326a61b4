import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

/**
 * generate-fixtures run again into a real PostgreSQL (throwaway Debian server on a free loopback port): the same
 * fixtures are recognised and kept without loading, other or changed data is refused, --reset replaces it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FixtureRerunTest {
    static LocalPostgres pg;
    static Path dir;
    static Path txt;
    static String dbUrl;
    static Map<String, Long> loadedRows;
    static String loadedFiles;
    static String loadedXmin;

    record Run(int exitCode, String out, String err) {}

    static synchronized Run generateFixtures(String... extra) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out, oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            var args = new ArrayList<>(List.of("--db-url", dbUrl, "--txt-output", txt.toString(), "--scale", "0.002", "--quiet"));
            args.addAll(List.of(extra));
            int rc = new CommandLine(new GenerateFixtures()).execute(args.toArray(String[]::new));
            return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static Map<String, Long> rowCounts() throws SQLException {
        var out = new TreeMap<String, Long>();
        try (Connection c = pg.url().connect(); var st = c.createStatement()) {
            for (FixtureTable t : FixtureTable.values()) {
                try (var rs = st.executeQuery("SELECT count(*) FROM \"" + t.table() + "\"")) {
                    rs.next();
                    out.put(t.table(), rs.getLong(1));
                }
            }
        }
        return out;
    }

    /** The transaction ids that wrote the rows of the largest table: a reload (TRUNCATE + COPY) changes them. */
    static String writers() throws SQLException {
        try (Connection c = pg.url().connect(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT string_agg(DISTINCT xmin::text, ',' ORDER BY xmin::text) FROM allocation")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void sql(String statement) throws SQLException {
        try (Connection c = pg.url().connect(); var st = c.createStatement()) {
            st.execute(statement);
        }
    }

    @BeforeAll
    static void firstLoad() throws Exception {
        dir = KitLayout.testDir("fixture-rerun");
        pg = LocalPostgres.throwaway(dir.resolve("pgdata"));
        txt = dir.resolve("txt");
        dbUrl = pg.url().jdbcUrl() + "?user=" + pg.url().user();
        var run = generateFixtures("--now", "2026-11-22T00:00:00Z");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        loadedRows = rowCounts();
        loadedFiles = FixtureFileDigest.of(txt);
        loadedXmin = writers();
        assertTrue(loadedRows.values().stream().mapToLong(Long::longValue).sum() > 10_000, "rows: " + loadedRows);
    }

    @AfterAll
    static void stop() {
        if (pg != null) pg.close();
    }

    @Test
    @Order(1)
    void theLoadRecordsWhatItLoaded() throws Exception {
        try (Connection c = pg.url().connect()) {
            var marker = FixtureLoadMarker.read(c);
            assertNotNull(marker, "no record of the completed load");
            assertEquals(42, marker.seed());
            assertEquals(0.002, marker.scale());
            assertEquals(java.time.Instant.parse("2026-11-22T00:00:00Z"), FixtureLoadMarker.instant(marker.nowMicros()));
            assertEquals(loadedRows, marker.tableRows());
            assertEquals(loadedFiles, marker.filesDigest());
        }
    }

    @Test
    @Order(2)
    void theSameFixturesAgainAreRecognisedAndNothingIsLoaded() throws Exception {
        // no --now, as the pipeline runs it: the load's own clock is taken
        var run = generateFixtures();
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().startsWith("generate-fixtures: done in "), run.out());
        assertTrue(run.out().lines().findFirst().orElseThrow().contains("0 rows loaded: the database already holds these fixtures (seed 42, scale 0.002"), run.out());
        assertTrue(run.out().contains("the load's own in " + txt), run.out());
        assertEquals(loadedXmin, writers(), "the rows were loaded again");
        assertEquals(loadedRows, rowCounts());
        assertEquals(loadedFiles, FixtureFileDigest.of(txt));
    }

    @Test
    @Order(3)
    void missingFilesAreWrittenAgainWithTheBytesOfTheLoad() throws Exception {
        Files.delete(txt.resolve(DeploymentScheduleWriter.FILE_NAME));
        Files.delete(txt.resolve(FixtureTable.RELEASE.fileName()));
        var run = generateFixtures();
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("written again from the load's clock"), run.out());
        assertEquals(loadedFiles, FixtureFileDigest.of(txt), "the files written again differ from those of the load");
        assertEquals(loadedXmin, writers(), "the rows were loaded again");
    }

    @Test
    @Order(4)
    void otherFixturesAreRefusedWithTheReason() throws Exception {
        var otherSeed = generateFixtures("--seed", "43");
        assertEquals(1, otherSeed.exitCode(), otherSeed.out() + otherSeed.err());
        assertTrue(otherSeed.err().contains("other fixtures: seed 42, not 43"), otherSeed.err());
        assertTrue(otherSeed.err().contains("pass --reset (pipeline: --reset-db) to replace it"), otherSeed.err());
        var otherClock = generateFixtures("--now", "2026-12-01T00:00:00Z");
        assertEquals(1, otherClock.exitCode(), otherClock.out() + otherClock.err());
        assertTrue(otherClock.err().contains("generated for 2026-11-22T00:00:00Z, not 2026-12-01T00:00:00Z"), otherClock.err());
        assertEquals(loadedXmin, writers(), "a refused run touched the rows");
        assertEquals(loadedRows, rowCounts());
    }

    @Test
    @Order(5)
    void dataChangedSinceTheLoadIsRefused() throws Exception {
        sql("DELETE FROM allocation WHERE ctid = (SELECT ctid FROM allocation LIMIT 1)");
        var run = generateFixtures();
        assertEquals(1, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("changed since: allocation " + String.format(java.util.Locale.ROOT, "%,d", loadedRows.get("allocation") - 1)
                + " rows, loaded with " + String.format(java.util.Locale.ROOT, "%,d", loadedRows.get("allocation"))), run.err());
    }

    @Test
    @Order(6)
    void resetReplacesItAndRecordsTheNewLoad() throws Exception {
        var run = generateFixtures("--seed", "43", "--reset", "--now", "2026-11-22T00:00:00Z");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertNotEquals(loadedXmin, writers());
        try (Connection c = pg.url().connect()) {
            assertEquals(43, FixtureLoadMarker.read(c).seed());
        }
        var again = generateFixtures("--seed", "43");
        assertEquals(0, again.exitCode(), again.out() + again.err());
        assertTrue(again.out().contains("already holds these fixtures (seed 43"), again.out());
    }

    @Test
    @Order(7)
    void aLoadThatDidNotFinishLeavesNoRecord() throws Exception {
        // the marker is dropped when a load starts: a load stopped halfway (here: its TSV directory is a file) is not
        // mistaken for a complete one
        Path notADirectory = Files.writeString(dir.resolve("txt-broken"), "a file");
        var loader = new FixtureLoader(QaironSchema.load(QaironSchema.DEFAULT_FILE), new FixtureLoader.Options(pg.url(), notADirectory, true, 1));
        try (var progress = Progress.start("test", -1, "rows", true)) {
            assertThrows(java.io.IOException.class, () -> loader.run(new FixtureGenerator(new FixtureModel(43, 0.002, 0)), progress));
        }
        try (Connection c = pg.url().connect()) {
            assertNull(FixtureLoadMarker.read(c));
        }
        var run = generateFixtures("--seed", "43");
        assertEquals(1, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("no record of a completed generate-fixtures load"), run.err());
    }

    static Run pipeline(String... extra) throws Exception {
        var command = new ArrayList<>(List.of(KitLayout.ROOT.resolve("jbang").toString(), "pipeline", "--only", "fixtures",
                "--db-url", dbUrl, "--seed", "43", "--fixtures-scale", "0.002", "--data-dir", dir.resolve("pipeline").toString()));
        command.addAll(List.of(extra));
        Path log = dir.resolve("pipeline-" + extra.length + ".log");
        var p = new ProcessBuilder(command).directory(KitLayout.ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES), "pipeline did not end");
        return new Run(p.exitValue(), Files.readString(log), "");
    }

    @Test
    @Order(8)
    void theReadmesSecondPipelineRunGoesOnAndResetDbReplaces() throws Exception {
        // the database holds what an unfinished load left (test 7): refused, with the flag that replaces it
        var refused = pipeline();
        assertEquals(1, refused.exitCode(), refused.out());
        assertTrue(refused.out().contains("pass --reset (pipeline: --reset-db) to replace it"), refused.out());
        var replaced = pipeline("--reset-db");
        assertEquals(0, replaced.exitCode(), replaced.out());
        String xmin = writers();
        var again = pipeline();
        assertEquals(0, again.exitCode(), again.out());
        assertTrue(again.out().contains("0 rows loaded: the database already holds these fixtures (seed 43, scale 0.002"), again.out());
        assertEquals(xmin, writers(), "the second run loaded the rows again");
    }
}
