import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Qairon PostgreSQL schema as DDL, read from {@code fixtures/qairon-schema.json} (tables, columns, keys, indexes
 * after all migrations). The DDL comes in phases so a bulk load can build secondary indexes and check foreign keys
 * once, after COPY, instead of per row: {@link #createTables} (columns, primary keys, unique constraints),
 * {@link #createIndexes} and {@link #addForeignKeys}. Constraint and index names are the ones PostgreSQL gave the
 * original migrations, so the same statements also work on a database that Qairon's own migrations created.
 */
final class QaironSchema {
    static final Path DEFAULT_FILE = Path.of("fixtures/qairon-schema.json");

    record Column(String name, String type, boolean nullable, String defaultValue) {}
    record ForeignKey(String name, String column, String refTable, String refColumn) {}
    record Index(String name, List<String> columns, boolean unique) {}
    record Table(String name, List<Column> columns, String primaryKeyName, List<String> primaryKey,
                 List<Index> uniqueConstraints, List<Index> indexes, List<ForeignKey> foreignKeys) {}
    record EnumType(String name, List<String> values) {}

    private final List<Table> tables;       // insert order
    private final List<EnumType> enums;
    private final String alembicHead;

    private QaironSchema(List<Table> tables, List<EnumType> enums, String alembicHead) {
        this.tables = List.copyOf(tables);
        this.enums = List.copyOf(enums);
        this.alembicHead = alembicHead;
    }

    static QaironSchema load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": schema file not found (run from the kit root, where fixtures/ is)");
        }
        try {
            return parse(new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": not readable as JSON (" + e.getMessage() + ")", e);
        }
    }

    static QaironSchema parse(JsonNode root) {
        var byName = new java.util.LinkedHashMap<String, JsonNode>();
        root.path("tables").forEach(t -> byName.put(t.path("name").asText(), t));
        var tables = new ArrayList<Table>();
        for (JsonNode n : root.path("insert_order")) {
            JsonNode t = byName.get(n.asText());
            if (t == null) throw new IllegalArgumentException("schema: insert_order names unknown table " + n.asText());
            var cols = new ArrayList<Column>();
            t.path("columns").forEach(c -> cols.add(new Column(c.path("name").asText(), c.path("type").asText(),
                    c.path("nullable").asBoolean(), c.path("default").isNull() ? null : c.path("default").asText())));
            var pk = new ArrayList<String>();
            t.path("primary_key").path("columns").forEach(c -> pk.add(c.asText()));
            var uniques = new ArrayList<Index>();
            t.path("unique_constraints").forEach(u -> uniques.add(new Index(u.path("name").asText(), texts(u.path("columns")), true)));
            var indexes = new ArrayList<Index>();
            t.path("indexes").forEach(i -> {
                if (!i.path("backs_constraint").asBoolean()) {
                    indexes.add(new Index(i.path("name").asText(), texts(i.path("columns")), i.path("unique").asBoolean()));
                }
            });
            var fks = new ArrayList<ForeignKey>();
            t.path("foreign_keys").forEach(f -> {
                String[] ref = f.path("references").asText().split("\\.");
                fks.add(new ForeignKey(f.path("name").asText(), f.path("column").asText(), ref[0], ref[1]));
            });
            tables.add(new Table(t.path("name").asText(), cols, t.path("primary_key").path("name").asText(null),
                    pk, uniques, indexes, fks));
        }
        var enums = new ArrayList<EnumType>();
        root.path("enum_types").forEach(e -> enums.add(new EnumType(e.path("name").asText(), texts(e.path("values")))));
        return new QaironSchema(tables, enums, root.path("alembic_head").asText());
    }

    private static List<String> texts(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    List<Table> tables() { return tables; }

    Table table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("schema has no table " + name));
    }

    String alembicHead() { return alembicHead; }

    /** Enum types, tables with primary keys and unique constraints, and the alembic_version row. */
    List<String> createTables() {
        var out = new ArrayList<String>();
        for (EnumType e : enums) {
            out.add("CREATE TYPE " + e.name() + " AS ENUM (" + String.join(", ",
                    e.values().stream().map(v -> "'" + v + "'").toList()) + ")");
        }
        for (Table t : tables) {
            var sb = new StringBuilder("CREATE TABLE ").append(quote(t.name())).append(" (");
            for (int i = 0; i < t.columns().size(); i++) {
                Column c = t.columns().get(i);
                sb.append(i == 0 ? "" : ", ").append(quote(c.name())).append(' ').append(c.type());
                if (c.defaultValue() != null) sb.append(" DEFAULT ").append(c.defaultValue());
                if (!c.nullable()) sb.append(" NOT NULL");
            }
            if (!t.primaryKey().isEmpty()) {
                sb.append(", CONSTRAINT ").append(t.primaryKeyName()).append(" PRIMARY KEY (")
                        .append(String.join(", ", t.primaryKey().stream().map(QaironSchema::quote).toList())).append(')');
            }
            for (Index u : t.uniqueConstraints()) {
                sb.append(", CONSTRAINT ").append(quote(u.name())).append(" UNIQUE (")
                        .append(String.join(", ", u.columns().stream().map(QaironSchema::quote).toList())).append(')');
            }
            out.add(sb.append(')').toString());
        }
        out.add("INSERT INTO alembic_version (version_num) VALUES ('" + alembicHead + "')");
        return out;
    }

    /** CREATE INDEX for the indexes that do not back a constraint, per table (idempotent). */
    List<String> createIndexes(String table) {
        return table(table).indexes().stream().map(i -> "CREATE " + (i.unique() ? "UNIQUE " : "") + "INDEX IF NOT EXISTS "
                + i.name() + " ON " + quote(table) + " (" + String.join(", ", i.columns().stream().map(QaironSchema::quote).toList()) + ")").toList();
    }

    List<String> dropIndexes(String table) {
        return table(table).indexes().stream().map(i -> "DROP INDEX IF EXISTS " + i.name()).toList();
    }

    /** ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY: checks every existing row once. */
    List<String> addForeignKeys(String table) {
        return table(table).foreignKeys().stream().map(f -> "ALTER TABLE " + quote(table) + " ADD CONSTRAINT " + f.name()
                + " FOREIGN KEY (" + quote(f.column()) + ") REFERENCES " + quote(f.refTable()) + " (" + quote(f.refColumn()) + ")").toList();
    }

    List<String> dropForeignKeys(String table) {
        return table(table).foreignKeys().stream().map(f -> "ALTER TABLE " + quote(table) + " DROP CONSTRAINT IF EXISTS " + f.name()).toList();
    }

    /** All foreign keys of the schema, for integrity checks. */
    List<ForeignKey> foreignKeys(String table) { return table(table).foreignKeys(); }

    static String quote(String identifier) { return '"' + identifier + '"'; }
}
