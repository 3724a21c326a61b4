import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Nothing is lost when the server misbehaves: random 429 (with Retry-After), 500, connection resets and slow
 * answers end with every record delivered; a run killed mid-way (SIGKILL) and resumed with --resume delivers the
 * rest, sending again at most the batches that were in flight.
 */
class DeliveryFaultsTest {

    static String key(Map<String, String> record) { return record.get("request_id") + "/" + record.get("span_id"); }

    @Test
    void everyRecordArrivesThroughRefusalsResetsAndSlowAnswers() throws Exception {
        Path dir = KitLayout.testDir("faults");
        var written = ImportTestData.write(dir, 31, 3, 60, 0, false, Instant.parse("2026-06-01T00:00:00Z"));
        var got = new ImportVlTest.Received();
        var faults = new FakeStore.Faults(0.15, 0.15, 0.1, 0.1, 150, 99);
        try (var vl = new FakeStore("/insert/jsonline", "vl_rows_ingested_total{type=\"jsonline\"}", got::decode, faults)) {
            var r = ImportVlTest.importVl(vl.url(), List.of(dir.toString()), "--checkpoint", dir.resolve("cp.tsv").toString(), "--quiet",
                    "--batch-size", "10", "--workers", "6", "--retry-delay-ms", "2", "--attempts", "40", "--gzip", "always");
            assertTrue(vl.faulted.get() > 10, "faults were injected: " + vl.faulted.get());
            assertTrue(r.stats().retried.sum() >= vl.faulted.get(), "every fault was retried");
            assertEquals(0, r.exitCode());
            assertEquals(written.logs().size(), r.stats().acknowledged.sum());
        }
        var seen = new HashMap<String, Integer>();
        for (var m : got.records) seen.merge(key(m), 1, Integer::sum);
        assertEquals(written.logs().size(), seen.size(), "every record delivered");
        assertTrue(seen.values().stream().allMatch(c -> c == 1), "refused requests stored nothing, so nothing twice");
    }

    @Test
    void pushbackLowersConcurrencyAndGoodAnswersRaiseIt() throws Exception {
        var c = new AdaptiveConcurrency(8, 2);
        for (int i = 0; i < 60; i++) {
            c.acquire();
            c.release(AdaptiveConcurrency.Signal.OK, 1_000_000, 100);
        }
        assertEquals(8.0, c.limit(), 1e-9, "grows to the ceiling while the server keeps up");
        c.acquire();
        c.release(AdaptiveConcurrency.Signal.PUSHBACK, 1_000_000, 100);
        assertEquals(4.0, c.limit(), 1e-9, "halves on a 429/5xx/timeout");
        c.acquire();
        c.release(AdaptiveConcurrency.Signal.PUSHBACK, 1_000_000, 100);
        assertEquals(4.0, c.limit(), 1e-9, "a burst of failures counts once");
    }

    @Test
    void aServerThatIsBusyHoldsConcurrencyInsteadOfSharingItWithMoreRequests() throws Exception {
        // A server with two cores: answers take longer in proportion once more than two requests are in flight.
        var c = new AdaptiveConcurrency(8, 2);
        for (int i = 0; i < 200; i++) {
            long latency = (long) (200_000_000L * Math.max(1.0, Math.floor(c.limit()) / 2.0));
            c.acquire();
            c.release(AdaptiveConcurrency.Signal.OK, latency, 10_000);
        }
        assertTrue(c.limit() >= 2.0 && c.limit() < 4.0, "holds below twice the server's capacity: " + c.limit());
        assertEquals(0, c.decreases(), "a busy server that answers is not a failure");
        var idle = new AdaptiveConcurrency(8, 2);
        for (int i = 0; i < 200; i++) {
            idle.acquire();
            idle.release(AdaptiveConcurrency.Signal.OK, 200_000_000L, 10_000);
        }
        assertEquals(8.0, idle.limit(), 1e-9, "answers as fast as ever: grows to the ceiling");
    }

    @Test
    void aKilledRunResumesWithoutLoss() throws Exception {
        Path dir = KitLayout.testDir("resume");
        var written = ImportTestData.write(dir, 41, 2, 150, 0, false, Instant.parse("2026-06-01T00:00:00Z"));
        int total = written.logs().size();
        var got = new ImportVlTest.Received();
        Path cp = dir.resolve("cp.tsv");
        try (var vl = new FakeStore("/insert/jsonline", "vl_rows_ingested_total{type=\"jsonline\"}", got::decode,
                new FakeStore.Faults(0, 0, 0, 1.0, 80, 5))) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            var p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "ImportVl", dir.toString(),
                    "--url", vl.url().toString(), "--checkpoint", cp.toString(), "--quiet", "--batch-size", "10", "--workers", "2",
                    "--readers", "1", "--no-server-counters")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("killed-run.txt").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (vl.ingested.get() < total / 3 && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(p.isAlive(), "the first run must still be going when it is killed: " + Files.readString(dir.resolve("killed-run.txt")));
            p.destroyForcibly().waitFor();
            long before = vl.ingested.get();
            assertTrue(before < total, "killed mid-way");
            assertTrue(Files.size(cp) > 0, "checkpoint written while running");

            vl.faults(FakeStore.Faults.none());
            var r = ImportVlTest.importVl(vl.url(), List.of(dir.toString()), "--checkpoint", cp.toString(), "--quiet", "--batch-size", "10", "--resume");
            assertEquals(0, r.exitCode());
            assertTrue(r.stats().skipped.sum() > 0, "acknowledged lines were skipped");
            assertTrue(r.stats().skipped.sum() <= before, "only what the server had is skipped");
        }
        var seen = new HashMap<String, Integer>();
        for (var m : got.records) seen.merge(key(m), 1, Integer::sum);
        assertEquals(total, seen.size(), "every record delivered after resume");
        long twice = seen.values().stream().filter(c -> c > 1).count();
        assertTrue(twice <= 2 * 10, "only in-flight batches (2 workers x 10) may be sent twice, got " + twice);
        assertTrue(seen.values().stream().allMatch(c -> c <= 2));
        assertFalse(System.getProperty("java.class.path").isEmpty(), File.pathSeparator);
    }

    @Test
    void linesMadeInMemoryGoThroughTheSameSender() throws Exception {
        var sample = new SampleLines(51, Instant.parse("2026-06-01T00:00:00Z"), false);
        var lines = new java.util.ArrayList<String>();
        for (int i = 0; i < 30; i++) for (var e : sample.request()) lines.add(e.log());
        var got = new ImportVlTest.Received();
        var stats = new DeliveryStats();
        try (var vl = new FakeStore("/insert/jsonline", "vl_rows_ingested_total{type=\"jsonline\"}", got::decode,
                new FakeStore.Faults(0.3, 0, 0, 0, 0, 3))) {
            var config = ImportTestData.options("--batch-size", "7", "--retry-delay-ms", "1", "--attempts", "30").senderConfig(vl.url());
            try (var sender = new BatchSender<>(VlJsonLine.format(), config, stats, Checkpoint.none());
                 var feed = new LineFeed<>("generator-0", new VlJsonLine(), sender, stats)) {
                for (String l : lines) assertTrue(feed.accept(l));
                assertFalse(feed.accept("{\"timestamp\": 1}"));
            }
        }
        assertEquals(lines.size(), stats.acknowledged.sum());
        assertEquals(1, stats.bad.sum());
        assertTrue(stats.problems().get(0).startsWith("generator-0:" + (lines.size() + 1) + ": "), stats.problems().toString());
        assertEquals(lines.size(), got.records.size());
    }
}
