import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where the kit's files are, for tests (surefire runs with the kit root as working directory). */
final class KitLayout {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path SCRIPTS = ROOT.resolve("scripts");
    static final Path CATALOG = ROOT.resolve("jbang-catalog.json");
    static final Path TEST_RESULTS = ROOT.resolve(".dev/test-results");

    private KitLayout() {}

    /** alias -> script-ref, in catalog order. */
    static Map<String, String> aliases() {
        try {
            JsonNode aliases = new ObjectMapper().readTree(CATALOG.toFile()).path("aliases");
            var out = new LinkedHashMap<String, String>();
            aliases.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().path("script-ref").asText()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh directory under .dev/test-results for one test's data. */
    static Path testDir(String name) {
        try {
            return Files.createDirectories(TEST_RESULTS.resolve(name + "-" + ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
