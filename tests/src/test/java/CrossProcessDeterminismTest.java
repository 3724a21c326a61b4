import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Same seed and flags, same bytes in any process: {@link EveryOutputKind} runs in three separate JVMs and every file
 * they write is compared byte for byte. Immutable maps and sets are iterated in an order salted per JVM, so runs
 * inside one JVM cannot show such a leak, and two processes may agree by chance; three make that unlikely.
 */
class CrossProcessDeterminismTest {
    private static final int PROCESSES = 3;
    private final Path base = KitLayout.testDir("cross-process-determinism");

    @Test
    void everyFileIsByteIdenticalAcrossJvmProcesses() throws Exception {
        var dirs = new ArrayList<Path>();
        for (int i = 0; i < PROCESSES; i++) {
            Path dir = Files.createDirectories(base.resolve("process-" + i));
            dirs.add(dir);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // one at a time: two cores are shared, and the order of starting does not matter to the bytes
            var p = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"), "EveryOutputKind", KitLayout.ROOT.toString())
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile()).start();
            assertTrue(p.waitFor(10, TimeUnit.MINUTES), "process " + i + " did not finish");
            assertEquals(0, p.exitValue(), "process " + i + " failed:\n" + Files.readString(dir.resolve("run.log")));
        }
        List<String> files = written(dirs.get(0));
        for (String kind : List.of("fixtures/deployment_schedule.json", "jsonl/summary.json", "jsonl/incidents.json",
                "jsonl/logs_1.jsonl", "jsonl/metrics_1.jsonl", "jsonl/native_metrics_1.jsonl", "jsonl/native_exemplars.txt",
                "otlp/logs_1.otlp.jsonl", "otlp/traces_1.otlp.jsonl", "otlp/metrics_1.otlp.jsonl", "otlp/summary.json",
                "scheduled/incidents.json", "scheduled/summary.json"))
            assertTrue(files.contains(kind), kind + " was not written; the run wrote " + files);
        assertTrue(files.stream().filter(f -> f.startsWith("fixtures/") && f.endsWith(".txt")).count() >= 36, "fixture TSV files missing: " + files);
        assertTrue(files.stream().filter(f -> f.startsWith("fixtures-json/") && f.endsWith(".json")).count() >= 30, "JSON:API documents missing: " + files);
        assertTrue(Files.readString(dirs.get(0).resolve("jsonl/incidents.json")).contains("\"traffic_factor\""), "no traffic burst to compare");
        var differing = new ArrayList<String>();
        for (int i = 1; i < PROCESSES; i++) {
            assertEquals(files, written(dirs.get(i)), "process " + i + " wrote other files than process 0");
            for (String f : files) {
                long at = Files.mismatch(dirs.get(0).resolve(f), dirs.get(i).resolve(f));
                if (at >= 0) differing.add(f + " (process " + i + ", byte " + at + ")");
            }
        }
        assertEquals(List.of(), differing, "files that differ from process 0's");
    }

    /** Every file a process wrote (its log aside), as sorted relative paths. */
    private static List<String> written(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(f -> !f.equals("run.log")).sorted().toList();
        }
    }
}
