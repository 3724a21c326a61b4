import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** generate-fixtures into a real PostgreSQL (Debian binaries, throwaway server on a free loopback port). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FixtureDatabaseTest {
    static final double SCALE = 0.002;
    static final long NOW = Instant.parse("2026-11-22T00:00:00Z").getEpochSecond() * 1_000_000L;
    static LocalPostgres pg;
    static Path txt;
    static QaironSchema schema;
    static FixtureLoader.Result first;

    static FixtureLoader.Result load(boolean reset) throws Exception {
        var loader = new FixtureLoader(schema, new FixtureLoader.Options(pg.url(), txt, reset, 2));
        try (var progress = Progress.start("test", -1, "rows", true)) {
            return loader.run(new FixtureGenerator(new FixtureModel(42, SCALE, NOW)), progress);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Path dir = KitLayout.testDir("fixture-db");
        pg = LocalPostgres.throwaway(dir.resolve("pgdata"));
        txt = dir.resolve("txt");
        schema = QaironSchema.load(QaironSchema.DEFAULT_FILE);
        first = load(false);
    }

    @AfterAll
    static void stop() {
        if (pg != null) pg.close();
    }

    static long count(Connection c, String sql) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @Order(1)
    void everyTableHoldsTheRowsTheGeneratorAndTheTsvFileHave() throws Exception {
        assertTrue(first.schemaCreated(), "an empty database gets the schema");
        assertEquals(37, first.tables().size());
        try (var c = pg.url().connect()) {
            for (var r : first.tables()) {
                long inDb = count(c, "SELECT count(*) FROM \"" + r.table().table() + "\"");
                assertEquals(r.rows(), inDb, r.table().table());
                assertTrue(inDb > 0, r.table().table() + " is empty");
                if (r.table().hasTsv()) {
                    long inFile;
                    try (var lines = Files.lines(txt.resolve(r.table().fileName()))) {
                        inFile = lines.filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
                    }
                    assertEquals(inDb, inFile, r.table().fileName());
                }
            }
            assertEquals(1, count(c, "SELECT count(*) FROM alembic_version WHERE version_num = '" + schema.alembicHead() + "'"));
        }
    }

    @Test
    @Order(2)
    void everyKeyAndIndexOfTheSchemaIsInPlaceAndHolds() throws Exception {
        try (var c = pg.url().connect()) {
            for (var t : schema.tables()) {
                for (var fk : t.foreignKeys()) {
                    assertEquals(1, count(c, "SELECT count(*) FROM pg_constraint WHERE conname = '" + fk.name() + "' AND contype = 'f' AND convalidated"),
                            fk.name() + " missing");
                    long orphans = count(c, "SELECT count(*) FROM \"" + t.name() + "\" x WHERE x.\"" + fk.column() + "\" IS NOT NULL AND NOT EXISTS "
                            + "(SELECT 1 FROM \"" + fk.refTable() + "\" p WHERE p.\"" + fk.refColumn() + "\" = x.\"" + fk.column() + "\")");
                    assertEquals(0, orphans, fk.name());
                }
                for (var ix : t.indexes()) {
                    assertEquals(1, count(c, "SELECT count(*) FROM pg_indexes WHERE indexname = '" + ix.name() + "'"), ix.name() + " missing");
                }
                if (t.primaryKeyName() != null) { // some are dropped for the load and built again afterwards
                    assertEquals(1, count(c, "SELECT count(*) FROM pg_constraint WHERE conname = '" + t.primaryKeyName() + "' AND contype = 'p'"
                            + " AND conrelid = '\"" + t.name() + "\"'::regclass"), t.primaryKeyName() + " missing");
                }
            }
        }
    }

    @Test
    @Order(3)
    void everyDeploymentHasFiveReleasesAndItsLatestAsCurrent() throws Exception {
        try (var c = pg.url().connect()) {
            assertEquals(0, count(c, "SELECT count(*) FROM deployment d WHERE (SELECT count(*) FROM release r WHERE r.deployment_id = d.id) < 5"));
            assertEquals(count(c, "SELECT count(*) FROM deployment"), count(c, "SELECT count(*) FROM deployment_current_release"));
            assertEquals(0, count(c, "SELECT count(*) FROM deployment_current_release cr JOIN release r ON r.id = cr.release_id "
                    + "WHERE r.created_at < (SELECT max(created_at) FROM release x WHERE x.deployment_id = cr.deployment_id)"));
        }
    }

    @Test
    @Order(4)
    void compositeIdsAreBuiltFromTheirParentColumns() throws Exception {
        try (var c = pg.url().connect()) {
            assertEquals(0, count(c, "SELECT count(*) FROM release WHERE id <> deployment_id || ':' || build_num"));
            assertEquals(0, count(c, "SELECT count(*) FROM deployment WHERE id <> deployment_target_id || ':' || service_id || ':' || tag"));
            assertEquals(0, count(c, "SELECT count(*) FROM allocation WHERE id <> deployment_proc_id || ':' || allocation_type_id || ':' || watermark"));
            assertEquals(0, count(c, "SELECT count(*) FROM fleet WHERE id <> deployment_target_id || ':' || fleet_type_id || ':' || name"));
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT id, deployment_id, build_num FROM release")) {
                int n = 0;
                while (rs.next()) {
                    var id = ReleaseId.parse(rs.getString(1));
                    assertEquals(rs.getString(2), id.deploymentId());
                    assertEquals(rs.getInt(3), id.releaseNumber());
                    n++;
                }
                assertTrue(n > 0);
            }
        }
    }

    @Test
    @Order(5)
    void aSecondRunRefusesTheNonEmptyDatabaseAndResetReplacesIt() throws Exception {
        var e = assertThrows(FixtureLoader.NotEmptyException.class, () -> load(false));
        assertTrue(e.getMessage().contains("--reset"), e.getMessage());
        Map<String, Long> before = new HashMap<>();
        try (var c = pg.url().connect()) {
            for (var r : first.tables()) before.put(r.table().table(), count(c, "SELECT count(*) FROM \"" + r.table().table() + "\""));
        }
        var again = load(true);
        assertFalse(again.schemaCreated());
        try (var c = pg.url().connect()) {
            for (var r : again.tables()) {
                assertEquals(before.get(r.table().table()), count(c, "SELECT count(*) FROM \"" + r.table().table() + "\""), r.table().table());
            }
            assertEquals(before.values().stream().mapToLong(Long::longValue).sum(), again.rows());
        }
    }
}
