import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every catalog alias runs through ./jbang and answers --help; every script is in the catalog. */
class CatalogAliasesTest {

    @TestFactory
    Stream<DynamicTest> everyAliasAnswersHelpThroughTheWrapper() {
        return KitLayout.aliases().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            var p = new ProcessBuilder(KitLayout.ROOT.resolve("jbang").toString(), e.getKey(), "--help")
                    .directory(KitLayout.ROOT.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(10, TimeUnit.MINUTES), e.getKey() + " did not finish");
            assertEquals(0, p.exitValue(), e.getKey() + " --help failed:\n" + out);
            assertTrue(out.contains("Usage: " + e.getKey()), e.getKey() + " --help does not show its usage:\n" + out);
        }));
    }

    @Test
    void everyScriptHasAnAliasAndEveryAliasAScript() throws Exception {
        var refs = KitLayout.aliases().values().stream().map(r -> KitLayout.ROOT.resolve(r).normalize()).toList();
        for (var ref : refs) assertTrue(Files.isRegularFile(ref), "catalog points at a missing script: " + ref);
        try (var scripts = Files.list(KitLayout.SCRIPTS)) {
            scripts.filter(s -> s.toString().endsWith(".java")).forEach(s ->
                    assertTrue(refs.contains(s.normalize()), "script without a catalog alias: " + s.getFileName()));
        }
    }

    @Test
    void everyAliasHasADescriptionWithAnExample() throws Exception {
        var catalog = new com.fasterxml.jackson.databind.ObjectMapper().readTree(KitLayout.CATALOG.toFile()).path("aliases");
        catalog.fields().forEachRemaining(e -> {
            String d = e.getValue().path("description").asText();
            assertFalse(d.isBlank(), e.getKey() + " has no description");
            assertTrue(d.contains("./jbang " + e.getKey()), e.getKey() + " description has no example: " + d);
        });
    }
}
