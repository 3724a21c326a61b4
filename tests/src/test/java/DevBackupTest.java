import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/** `dev backup` and `dev restore` on a data root under .dev/test-results (no Docker engine: endpoints are checked instead). */
class DevBackupTest {

    /** A small data root shaped like .dev/data: three services, nested directories, a 0700 directory, binary files. */
    static Path dataRoot(Path dir) throws Exception {
        Path data = dir.resolve("data");
        var rnd = new SplittableRandom(7);
        byte[] blob = new byte[70_000];
        for (int i = 0; i < blob.length; i++) blob[i] = (byte) rnd.nextInt(256);
        Files.createDirectories(data.resolve("victoria-metrics/data/small/2026_11"));
        Files.write(data.resolve("victoria-metrics/data/small/2026_11/values.bin"), blob);
        Files.writeString(data.resolve("victoria-metrics/flock.lock"), "");
        Files.createDirectories(data.resolve("postgres/pgdata/base"));
        Files.writeString(data.resolve("postgres/pgdata/PG_VERSION"), "17\n");
        Files.setPosixFilePermissions(data.resolve("postgres/pgdata"), PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(data.resolve("grafana"));
        Files.writeString(data.resolve("grafana/grafana.db"), "sqlite stand-in");
        Files.setPosixFilePermissions(data.resolve("grafana/grafana.db"), PosixFilePermissions.fromString("rw-r-----"));
        return data;
    }

    /** path -> content digest and permissions, for every file and directory under {@code root}. */
    static Map<String, String> snapshot(Path root) throws Exception {
        var out = new TreeMap<String, String>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                String content = Files.isDirectory(p) ? "dir" : java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
                out.put(root.relativize(p).toString(), perms + " " + content);
            }
        }
        return out;
    }

    static List<String> entries(Path archive) throws Exception {
        var names = new ArrayList<String>();
        try (var tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(archive)))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) names.add(e.getName());
        }
        return names;
    }

    static String[] dev(Path env, Path data, String... args) {
        var all = new ArrayList<>(List.of("--env-file", env.toString(), "--data-dir", data.toString()));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    @Test
    void backupThenRestoreGivesBackEveryFileWithItsContentAndPermissions() throws Exception {
        Path dir = KitLayout.testDir("dev-backup-roundtrip");
        Path data = dataRoot(dir);
        Path env = DevFakes.envFile(dir, Map.of());
        var before = snapshot(data);
        Path archive = dir.resolve("backups/all.tar.gz");

        var backup = DevFakes.dev(dev(env, data, "backup", "--to", archive.toString()));
        assertEquals(0, backup.exitCode(), backup.out());
        assertTrue(backup.out().startsWith("dev: done in"), backup.out());
        assertTrue(backup.out().contains("[grafana, postgres, victoria-metrics] archived"), backup.out());
        try (Stream<Path> left = Files.list(archive.getParent())) {
            assertEquals(List.of(archive), left.toList(), "only the finished archive remains, no partial file");
        }

        Files.delete(data.resolve("victoria-metrics/data/small/2026_11/values.bin"));
        Files.writeString(data.resolve("grafana/grafana.db"), "changed after the backup");
        Files.writeString(data.resolve("postgres/pgdata/postmaster.pid"), "123");
        var restore = DevFakes.dev(dev(env, data, "restore", archive.toString(), "--yes"));
        assertEquals(0, restore.exitCode(), restore.out());
        assertEquals(before, snapshot(data), "restored data differs from the data that was backed up");
    }

    @Test
    void backupOfOneServiceHoldsOnlyItsDirectory() throws Exception {
        Path dir = KitLayout.testDir("dev-backup-one");
        Path data = dataRoot(dir);
        Path archive = dir.resolve("vm.tar.gz");
        var run = DevFakes.dev(dev(DevFakes.envFile(dir, Map.of()), data, "backup", "victoria", "--to", archive.toString()));
        assertEquals(0, run.exitCode(), run.out());
        var names = entries(archive);
        assertTrue(names.contains("victoria-metrics/data/small/2026_11/values.bin"), names.toString());
        assertTrue(names.stream().allMatch(n -> n.startsWith("victoria-metrics/")), names.toString());
    }

    @Test
    void backupIsRefusedWhileAServiceStillAnswersUnlessLive() throws Exception {
        Path dir = KitLayout.testDir("dev-backup-live");
        Path data = dataRoot(dir);
        try (var fakes = new DevFakes()) {
            Path env = DevFakes.envFile(dir, Map.of("QAIRON_VM_PORT", fakes.http("/health", 200, "OK")));
            Path archive = dir.resolve("vm.tar.gz");
            var refused = DevFakes.dev(dev(env, data, "backup", "victoria", "--to", archive.toString()));
            assertEquals(1, refused.exitCode(), refused.out());
            assertTrue(refused.out().contains("backup refused") && refused.out().contains("stop them first"), refused.out());
            assertFalse(Files.exists(archive), "nothing may be written while the service may be writing its data");
            var live = DevFakes.dev(dev(env, data, "backup", "victoria", "--to", archive.toString(), "--live"));
            assertEquals(0, live.exitCode(), live.out());
            assertTrue(Files.size(archive) > 0);
        }
    }

    @Test
    void restoreRefusesAnArchiveWithEntriesOutsideTheServiceDirectories() throws Exception {
        Path dir = KitLayout.testDir("dev-restore-evil");
        Path data = dataRoot(dir);
        var before = snapshot(data);
        Path archive = dir.resolve("evil.tar.gz");
        writeArchive(archive, "victoria-metrics/ok.bin", "../escaped.txt");
        var run = DevFakes.dev(dev(DevFakes.envFile(dir, Map.of()), data, "restore", archive.toString(), "--yes"));
        assertEquals(1, run.exitCode(), run.out());
        assertTrue(run.out().contains("../escaped.txt") && run.out().contains("nothing restored"), run.out());
        assertFalse(Files.exists(dir.resolve("escaped.txt")));
        assertEquals(before, snapshot(data), "a refused archive must not change the data");
    }

    @Test
    void restoreRefusesAnArchiveHoldingLinksSayingWhatAndWhy() throws Exception {
        for (byte kind : new byte[] {TarArchiveEntry.LF_SYMLINK, TarArchiveEntry.LF_LINK}) {
            Path dir = KitLayout.testDir("dev-restore-link-" + (char) kind);
            Path data = dataRoot(dir);
            var before = snapshot(data);
            Path archive = dir.resolve("link.tar.gz");
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive)); var tar = new TarArchiveOutputStream(out)) {
                byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
                var ok = new TarArchiveEntry("victoria-metrics/ok.bin", true);
                ok.setSize(body.length);
                tar.putArchiveEntry(ok);
                tar.write(body);
                tar.closeArchiveEntry();
                var link = new TarArchiveEntry("victoria-metrics/link", kind, true);
                link.setLinkName("/etc/passwd");
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            }
            var run = DevFakes.dev(dev(DevFakes.envFile(dir, Map.of()), data, "restore", archive.toString(), "--yes"));
            String what = kind == TarArchiveEntry.LF_SYMLINK ? "symbolic link" : "hard link";
            assertEquals(1, run.exitCode(), run.out());
            assertTrue(run.out().contains("entry victoria-metrics/link is a " + what + " to /etc/passwd"), run.out());
            assertTrue(run.out().contains("could point outside the data directory") && run.out().contains("refused, nothing restored"), run.out());
            assertFalse(run.out().contains(".restore-"), "the message names a staging path instead of the entry: " + run.out());
            assertEquals(before, snapshot(data), "a refused archive must not change the data");
        }
    }

    @Test
    void restoreOfAnEntryThatCannotBeUnpackedNamesTheEntryNotAStagingPath() throws Exception {
        Path dir = KitLayout.testDir("dev-restore-clash");
        Path data = dataRoot(dir);
        var before = snapshot(data);
        Path archive = dir.resolve("clash.tar.gz");
        writeArchive(archive, "victoria-metrics/cache", "victoria-metrics/cache"); // the same file twice
        var run = DevFakes.dev(dev(DevFakes.envFile(dir, Map.of()), data, "restore", archive.toString(), "--yes"));
        assertEquals(1, run.exitCode(), run.out());
        assertTrue(run.out().contains("entry victoria-metrics/cache cannot be unpacked (victoria-metrics/cache: already unpacked from an earlier entry)"), run.out());
        assertTrue(run.out().contains("nothing restored"), run.out());
        assertFalse(run.out().contains(".restore-"), "the message names a staging path instead of the entry: " + run.out());
        assertEquals(before, snapshot(data), "a refused archive must not change the data");
    }

    @Test
    void restoreAsksFirstAndWithoutATerminalChangesNothing() throws Exception {
        Path dir = KitLayout.testDir("dev-restore-ask");
        Path data = dataRoot(dir);
        Path env = DevFakes.envFile(dir, Map.of());
        Path archive = dir.resolve("all.tar.gz");
        assertEquals(0, DevFakes.dev(dev(env, data, "backup", "--to", archive.toString())).exitCode());
        Files.writeString(data.resolve("grafana/grafana.db"), "newer");
        var run = DevFakes.dev(dev(env, data, "restore", archive.toString()));
        assertEquals(2, run.exitCode(), run.out());
        assertTrue(run.out().contains("--yes"), run.out());
        assertEquals("newer", Files.readString(data.resolve("grafana/grafana.db")));
    }

    @Test
    void cleanDeletesOneServicesDataOnlyWithYes() throws Exception {
        Path dir = KitLayout.testDir("dev-clean");
        Path data = dataRoot(dir);
        Path env = DevFakes.envFile(dir, Map.of());
        var asked = DevFakes.dev(dev(env, data, "clean", "grafana"));
        assertEquals(2, asked.exitCode(), asked.out());
        assertTrue(Files.exists(data.resolve("grafana/grafana.db")));
        var run = DevFakes.dev(dev(env, data, "clean", "grafana", "--yes"));
        assertEquals(0, run.exitCode(), run.out());
        assertFalse(Files.exists(data.resolve("grafana")));
        assertTrue(Files.exists(data.resolve("victoria-metrics/data/small/2026_11/values.bin")), "other services keep their data");
    }

    /** A gzipped tar holding one file per name, each containing its own name. */
    private static void writeArchive(Path archive, String... names) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive)); var tar = new TarArchiveOutputStream(out)) {
            for (String name : names) {
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                var e = new TarArchiveEntry(name, true);
                e.setSize(body.length);
                tar.putArchiveEntry(e);
                tar.write(body);
                tar.closeArchiveEntry();
            }
        }
    }
}
