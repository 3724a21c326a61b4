import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * protobuf-java before 4.36 calls terminally deprecated sun.misc.Unsafe methods, and JDK 24 and later print four
 * warning lines about it on every trace export. export-tempo runs in a child JVM of the kit's own JDK (the one
 * {@code ./jbang} picks) with the test build's classpath, whose versions equal the scripts' //DEPS.
 */
class TraceExportJvmWarningsTest {

    /** The JDK ./jbang runs the scripts with. */
    static String kitJava() throws Exception {
        var p = new ProcessBuilder("bash", KitLayout.ROOT.resolve("jbang").toString(), "--java-home").redirectErrorStream(true).start();
        String home = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), home);
        return Path.of(home, "bin", "java").toString();
    }

    @Test
    void exportingTracesPrintsNoSunMiscUnsafeWarning() throws Exception {
        Path dir = KitLayout.testDir("export-tempo-jvm-warnings");
        ImportTestData.write(dir, 41, 1, 10, 2, true, Instant.parse("2025-06-01T00:00:00Z"));
        try (var tempo = new FakeTempo(s -> null, 0)) {
            var p = new ProcessBuilder(kitJava(), "-cp", System.getProperty("java.class.path"), "ExportTempo", dir.toString(),
                    "--url", tempo.url().toString(), "--tempo-metrics-url", tempo.apiUrl().toString(),
                    "--checkpoint", dir.resolve("cp.tsv").toString(), "--quiet").start();
            p.getOutputStream().close();
            var err = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(5, TimeUnit.MINUTES));
            String stderr = err.get();
            System.out.print(out + stderr);
            assertEquals(0, p.exitValue(), out + stderr);
            assertFalse(tempo.got.spans.isEmpty(), "spans were built, serialised and sent: protobuf was loaded");
            assertFalse(stderr.contains("sun.misc.Unsafe"), "no warning about sun.misc.Unsafe on stderr:\n" + stderr);
            assertEquals("", stderr.strip(), "nothing else on stderr either");
        }
    }
}
