import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Backs up and restores service data directories (children of a data root such as .dev/data) as one tar.gz.
 * An archive is written to a hidden sibling file and renamed into place only when complete, so a crash never
 * leaves a half-written archive under the final name. Restore unpacks into a staging directory first and swaps
 * whole service directories in. The services must be stopped while this runs: the caller makes sure of that.
 */
final class DataArchive {
    /** What went into or came out of an archive. */
    record Summary(Path archive, List<String> dirs, long files, long bytes) {}

    private DataArchive() {}

    /** Archives {@code dirs} (names under {@code dataRoot}; missing ones are left out) into {@code target}. */
    static Summary backup(Path dataRoot, List<String> dirs, Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path part = parent.resolve("." + target.getFileName() + ".part");
        var included = new ArrayList<String>();
        long[] counts = new long[2];
        try (var fos = new FileOutputStream(part.toFile());
             var tar = new TarArchiveOutputStream(new GZIPOutputStream(new BufferedOutputStream(fos, 1 << 16), 1 << 16))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (String dir : new TreeSet<>(dirs)) {
                Path root = dataRoot.resolve(dir);
                if (!Files.isDirectory(root)) continue;
                included.add(dir);
                addTree(tar, dataRoot, root, counts);
            }
            tar.finish();
            tar.flush();
            fos.getFD().sync();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Summary(target, included, counts[0], counts[1]);
    }

    /**
     * Restores every service directory in {@code archive} into {@code dataRoot}, replacing the existing one.
     * Entries outside {@code allowedDirs}, absolute paths and {@code ..} are refused before anything changes.
     */
    static Summary restore(Path archive, Path dataRoot, Set<String> allowedDirs) throws IOException {
        Files.createDirectories(dataRoot);
        Path staging = Files.createTempDirectory(dataRoot, ".restore-");
        try {
            var dirs = new TreeSet<String>();
            var dirModes = new ArrayList<java.util.Map.Entry<Path, Integer>>(); // applied last: a read-only dir must not block its children
            long files = 0, bytes = 0;
            try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16), 1 << 16);
                 var tar = new TarArchiveInputStream(in)) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    String name = entry.getName();
                    Path rel = Path.of(name).normalize();
                    if (rel.isAbsolute() || rel.startsWith("..") || rel.getNameCount() == 0 || name.contains("/../") || name.startsWith("../"))
                        throw new IOException(archive + ": entry " + name + " points outside the data directory — refused, nothing restored");
                    String top = rel.getName(0).toString();
                    if (!allowedDirs.contains(top))
                        throw new IOException(archive + ": entry " + name + " is not under a service directory " + new TreeSet<>(allowedDirs) + " — refused, nothing restored");
                    // a link is checked before isFile(), which also answers true for links
                    if (entry.isSymbolicLink() || entry.isLink())
                        throw new IOException(archive + ": entry " + name + " is a " + (entry.isSymbolicLink() ? "symbolic" : "hard") + " link to "
                                + entry.getLinkName() + " — refused, nothing restored: a link could point outside the data directory, and backup never writes one");
                    if (!entry.isDirectory() && !entry.isFile() || entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO())
                        throw new IOException(archive + ": entry " + name + " is not a file or directory — refused, nothing restored");
                    dirs.add(top);
                    Path out = staging.resolve(rel);
                    try {
                        if (entry.isDirectory()) {
                            Files.createDirectories(out);
                            dirModes.add(java.util.Map.entry(out, entry.getMode()));
                        } else {
                            Files.createDirectories(out.getParent());
                            bytes += Files.copy(tar, out);
                            files++;
                            setMode(out, entry.getMode());
                        }
                    } catch (IOException e) { // alone, its message is a staging path: say which entry failed and why
                        throw new IOException(archive + ": entry " + name + " cannot be unpacked (" + unpackFailure(e, staging)
                                + ") — nothing restored", e);
                    }
                }
            }
            for (int i = dirModes.size() - 1; i >= 0; i--) setMode(dirModes.get(i).getKey(), dirModes.get(i).getValue());
            if (dirs.isEmpty()) throw new IOException(archive + ": no service directories in the archive — nothing restored");
            for (String dir : dirs) {
                Path live = dataRoot.resolve(dir);
                if (Files.exists(live, LinkOption.NOFOLLOW_LINKS)) deleteTree(live);
                Files.move(staging.resolve(dir), live, StandardCopyOption.ATOMIC_MOVE);
            }
            return new Summary(archive, List.copyOf(dirs), files, bytes);
        } finally {
            deleteTree(staging);
        }
    }

    /** Why an entry could not be written, with paths shown inside the archive rather than in the staging directory. */
    private static String unpackFailure(IOException e, Path staging) {
        if (!(e instanceof java.nio.file.FileSystemException f) || f.getFile() == null) return e.toString();
        Path file = Path.of(f.getFile());
        String where = file.startsWith(staging) ? staging.relativize(file).toString() : file.toString();
        String why = e instanceof java.nio.file.FileAlreadyExistsException ? "already unpacked from an earlier entry"
                : f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
        return where + ": " + why;
    }

    /** Deletes a directory tree (or file); a missing path is fine. */
    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private static void addTree(TarArchiveOutputStream tar, Path dataRoot, Path root, long[] counts) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                put(dir, true);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    put(file, false);
                    counts[0]++;
                    counts[1] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }

            private void put(Path p, boolean dir) throws IOException {
                String name = dataRoot.relativize(p).toString().replace('\\', '/') + (dir ? "/" : "");
                var entry = new TarArchiveEntry(p, name, LinkOption.NOFOLLOW_LINKS);
                entry.setMode((dir ? 040000 : 0100000) | permissionBits(p));
                tar.putArchiveEntry(entry);
                if (!dir) Files.copy(p, (OutputStream) tar);
                tar.closeArchiveEntry();
            }
        });
    }

    private static final PosixFilePermission[] BITS = { // bit i of a Unix mode, lowest first
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    private static int permissionBits(Path p) {
        try {
            var perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            int mode = 0;
            for (int i = 0; i < BITS.length; i++) if (perms.contains(BITS[i])) mode |= 1 << i;
            return mode;
        } catch (UnsupportedOperationException | IOException e) {
            return Files.isDirectory(p) ? 0755 : 0644;
        }
    }

    private static void setMode(Path p, int mode) {
        var perms = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) if ((mode & (1 << i)) != 0) perms.add(BITS[i]);
        if (perms.isEmpty()) return;
        try {
            Files.setPosixFilePermissions(p, perms);
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: keep the default permissions
        }
    }
}
