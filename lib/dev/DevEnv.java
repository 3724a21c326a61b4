import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dev environment settings from {@code .env} (KEY=VALUE lines, # comments), falling back to the same
 * defaults docker-compose.yml uses. Immutable.
 */
record DevEnv(Path file, Map<String, String> values) {
    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("QAIRON_DB_NAME", "qairon"), Map.entry("QAIRON_DB_USER", "qairon"), Map.entry("QAIRON_DB_PASSWORD", "qairon"),
            Map.entry("QAIRON_GRAFANA_USER", "admin"), Map.entry("QAIRON_GRAFANA_PASSWORD", "admin"),
            Map.entry("QAIRON_PG_PORT", "5432"), Map.entry("QAIRON_VM_PORT", "8428"), Map.entry("QAIRON_VL_PORT", "9428"),
            Map.entry("QAIRON_TEMPO_PORT", "3200"), Map.entry("QAIRON_OTLP_GRPC_PORT", "4317"),
            Map.entry("QAIRON_OTLP_HTTP_PORT", "4318"), Map.entry("QAIRON_GRAFANA_PORT", "3000"));

    DevEnv {
        values = Map.copyOf(values);
    }

    /** Reads {@code file} when it exists; a missing file means all defaults. */
    static DevEnv load(Path file) {
        var values = new LinkedHashMap<String, String>();
        if (Files.isRegularFile(file)) {
            try {
                int n = 0;
                for (String line : Files.readAllLines(file)) {
                    n++;
                    String s = line.strip();
                    if (s.isEmpty() || s.startsWith("#")) continue;
                    if (s.startsWith("export ")) s = s.substring(7).strip();
                    int eq = s.indexOf('=');
                    if (eq <= 0) throw new IllegalArgumentException(file + ":" + n + ": not KEY=VALUE: " + line);
                    String v = s.substring(eq + 1).strip();
                    if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'")))
                        v = v.substring(1, v.length() - 1);
                    values.put(s.substring(0, eq).strip(), v);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new DevEnv(file, values);
    }

    String get(String key) {
        String v = values.get(key);
        return v != null && !v.isEmpty() ? v : DEFAULTS.getOrDefault(key, "");
    }

    int port(String key) {
        String v = get(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": " + key + "=" + v + " is not a port number");
        }
    }
}
