import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ./jbang runs a catalog alias through the java command JBang printed for it, kept under a hash of the script and
 * every file its //SOURCES reach: it must never run stale code. Each test builds a small kit in a temporary
 * directory (the real launcher, a catalog, a script whose //SOURCES pull in a lib file that pulls in another) and
 * edits it between runs. Which path a run took comes from QAIRON_LAUNCH_TRACE, what it ran from its output.
 */
class LaunchCacheTest {
    static final String CACHED = "jbang: cached: Hello ", ASKED = "jbang: asked JBang: Hello ";

    record Run(int exit, String out, String err) {
        boolean cached() { return err.contains(CACHED) && !err.contains(ASKED); }

        boolean asked() { return err.contains(ASKED); }
    }

    /** A kit with alias hello: scripts/Hello.java -> lib/greeting/Greeting.java -> lib/names/Name.java. */
    static Path kit(String name) throws IOException {
        Path kit = KitLayout.testDir("launch-cache-" + name);
        Files.copy(KitLayout.ROOT.resolve("jbang"), kit.resolve("jbang"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        kit.resolve("jbang").toFile().setExecutable(true);
        Files.writeString(kit.resolve("jbang-catalog.json"), """
                {
                  "aliases": {
                    "hello": {
                      "script-ref": "scripts/Hello.java",
                      "description": "Greets. Example: ./jbang hello"
                    }
                  }
                }
                """);
        write(kit, "scripts/Hello.java", """
                ///usr/bin/env jbang "$0" "$@" ; exit $?
                //JAVA 21+
                //SOURCES ../lib/greeting/Greeting.java
                class Hello {
                    public static void main(String... args) {
                        System.out.println(Greeting.text() + " " + String.join("|", args));
                    }
                }
                """);
        write(kit, "lib/greeting/Greeting.java", """
                //SOURCES ../names/Name.java
                final class Greeting {
                    static String text() { return "hello " + Name.NAME; }
                }
                """);
        write(kit, "lib/names/Name.java", "final class Name {\n    static final String NAME = \"world\";\n}\n");
        write(kit, "lib/other/Unused.java", "final class Unused {}\n");
        // JBang itself as the real kit fetched it (./jbang bootstraps it when missing); its script cache is the test's own
        Path cache = Files.createDirectories(kit.resolve(".dev/cache"));
        try (var jbangs = Files.list(KitLayout.ROOT.resolve(".dev/cache"))) {
            for (Path j : jbangs.filter(p -> p.getFileName().toString().matches("jbang-[0-9].*") && Files.exists(p.resolve(".complete"))).toList()) {
                if (!Files.exists(cache.resolve(j.getFileName()))) Files.createSymbolicLink(cache.resolve(j.getFileName()), j);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // no JBang fetched yet: the small kit fetches its own
        }
        return kit;
    }

    static void write(Path kit, String file, String text) throws IOException {
        Path p = kit.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    static void edit(Path kit, String file, String from, String to) throws IOException {
        Path p = kit.resolve(file);
        String before = Files.readString(p);
        assertTrue(before.contains(from), file + " has " + from);
        Files.writeString(p, before.replace(from, to));
    }

    /** ./jbang hello ARGS in the small kit, from another directory; it must exit 0. */
    static Run hello(Path kit, String... args) throws Exception {
        var run = launch(kit, args);
        assertEquals(0, run.exit(), run.out() + "\n" + run.err());
        return run;
    }

    static Run launch(Path kit, String... args) throws Exception {
        var cmd = new ArrayList<>(List.of(kit.resolve("jbang").toString(), "hello"));
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd).directory(kit.resolve("lib").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("JBANG_") || k.startsWith("QAIRON_LAUNCH_"));
        pb.environment().put("QAIRON_LAUNCH_TRACE", "1");
        var p = pb.start();
        p.getOutputStream().close();
        var err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "./jbang hello did not finish");
        return new Run(p.exitValue(), out.strip(), err.get());
    }

    static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aLibFileReachedThroughNestedSourcesIsSeenOnTheNextRun() throws Exception {
        Path kit = kit("nested");
        var first = hello(kit);
        assertEquals("hello world", first.out());
        assertTrue(first.asked(), "a new kit asks JBang: " + first.err());
        var again = hello(kit);
        assertEquals("hello world", again.out());
        assertTrue(again.cached(), "nothing changed, so the stored command runs: " + again.err());

        edit(kit, "lib/names/Name.java", "\"world\"", "\"there\"");
        var edited = hello(kit);
        assertEquals("hello there", edited.out(), "the edit two //SOURCES away is in this run");
        assertTrue(edited.asked(), edited.err());
    }

    @Test
    void aScriptEditIsSeenOnTheNextRun() throws Exception {
        Path kit = kit("script");
        assertEquals("hello world", hello(kit).out());
        edit(kit, "scripts/Hello.java", "String.join(\"|\", args)", "\"args: \" + args.length");
        var edited = hello(kit, "a", "b");
        assertEquals("hello world args: 2", edited.out());
        assertTrue(edited.asked(), edited.err());
    }

    @Test
    void theKeyCoversEverySourcesFileAndNoOtherFile() throws Exception {
        Path kit = kit("key");
        assertEquals("hello world", hello(kit).out());
        edit(kit, "lib/other/Unused.java", "{}", "{ int changed; }");
        assertTrue(hello(kit).cached(), "a file no //SOURCES reaches does not matter");
        edit(kit, "lib/greeting/Greeting.java", "\"hello \"", "\"hi \"");
        var edited = hello(kit);
        assertEquals("hi world", edited.out());
        assertTrue(edited.asked(), "the file the script's //SOURCES names: " + edited.err());
    }

    @Test
    void argumentsReachTheStoredCommandUnchanged() throws Exception {
        Path kit = kit("args");
        hello(kit);
        var run = hello(kit, "a b", "$HOME", "\"quoted\"", "it's", "*", "");
        assertTrue(run.cached(), run.err());
        assertEquals("hello world a b|$HOME|\"quoted\"|it's|*|", run.out());
    }

    @Test
    void aCleanedJBangCacheSendsTheRunBackToJBang() throws Exception {
        Path kit = kit("cleaned");
        hello(kit);
        Path jars = kit.resolve(".dev/cache/jbang-home/cache/jars");
        assertTrue(Files.isDirectory(jars), "JBang keeps its built jars there");
        try (var walk = Files.walk(jars)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
        var run = hello(kit);
        assertEquals("hello world", run.out());
        assertTrue(run.asked(), "the stored command names a jar that is gone: " + run.err());
    }

    @Test
    void aCompileErrorIsReportedOnceAndTheFixRunsNext() throws Exception {
        Path kit = kit("broken");
        assertEquals("hello world", hello(kit).out());
        edit(kit, "lib/names/Name.java", "\"world\";", "\"world\" +;");
        var broken = launch(kit);
        assertNotEquals(0, broken.exit(), "a script that does not compile does not run: " + broken.out());
        assertEquals(1, broken.err().split("Name.java:2", -1).length - 1, "javac's message, once: " + broken.err());
        assertFalse(broken.out().contains("hello"), "the stored command of the last good build is not run: " + broken.out());
        edit(kit, "lib/names/Name.java", "\"world\" +;", "\"again\";");
        assertEquals("hello again", hello(kit).out());
    }
}
