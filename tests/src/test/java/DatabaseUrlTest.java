import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
    @Test
    void sqlAlchemyUriBecomesAJdbcUrlWithSeparateCredentials() {
        var db = DatabaseUrl.parse("postgresql+psycopg2://qairon:s3cr%40t@db.example:5433/qairon");
        assertEquals("jdbc:postgresql://db.example:5433/qairon", db.jdbcUrl());
        assertEquals("qairon", db.user());
        assertEquals("s3cr@t", db.password());
    }

    @Test
    void plainPostgresSchemesAndMissingPortWork() {
        assertEquals("jdbc:postgresql://localhost/qairon", DatabaseUrl.parse("postgresql://u@localhost/qairon").jdbcUrl());
        assertEquals("jdbc:postgresql://h:5432/x", DatabaseUrl.parse("postgres://u:p@h:5432/x").jdbcUrl());
    }

    @Test
    void jdbcUrlKeepsItsOptionsButNotItsCredentials() {
        var db = DatabaseUrl.parse("jdbc:postgresql://h:5432/q?user=me&password=pw&sslmode=disable");
        assertEquals("jdbc:postgresql://h:5432/q?sslmode=disable", db.jdbcUrl());
        assertEquals("me", db.user());
        assertEquals("pw", db.password());
    }

    @Test
    void thePasswordNeverAppearsInTextOrErrors() {
        var db = DatabaseUrl.parse("postgresql+psycopg2://qairon:topsecret@localhost:5432/qairon");
        assertFalse(db.toString().contains("topsecret"), db.toString());
        var e = assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse("mysql://qairon:topsecret@localhost/x"));
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
        assertEquals("jdbc:postgresql://h/q?user=u&password=***", DatabaseUrl.redact("jdbc:postgresql://h/q?user=u&password=topsecret"));
    }
}
