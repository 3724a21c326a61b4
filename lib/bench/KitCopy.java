import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A copy of the kit's launcher, catalog, scripts and lib in a temporary directory, for measurements that edit files:
 * the kit itself is never touched. JBang's jars are shared with the kit (symlinked), its script cache is the copy's
 * own, so the first run of each alias there builds it.
 */
record KitCopy(Path root) implements AutoCloseable {
    private static final Pattern SOURCES = Pattern.compile("^//SOURCES\\s+(.+)$", Pattern.MULTILINE);

    static KitCopy of(Path kit) {
        try {
            Path root = Files.createTempDirectory("qairon-kit-copy-");
            for (String f : List.of("jbang", "jbang-catalog.json")) Files.copy(kit.resolve(f), root.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
            for (String d : List.of("scripts", "lib")) copyTree(kit.resolve(d), root.resolve(d));
            Path cache = Files.createDirectories(root.resolve(".dev/cache"));
            Path kitCache = kit.resolve(".dev/cache");
            if (Files.isDirectory(kitCache)) {
                try (var list = Files.list(kitCache)) {
                    for (Path j : list.filter(p -> p.getFileName().toString().matches("jbang-[0-9].*")).sorted().toList())
                        Files.createSymbolicLink(cache.resolve(j.getFileName()), j.toAbsolutePath());
                }
            }
            return new KitCopy(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.sorted().toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    /** The script and every file its //SOURCES reach, recursively, in the order found (relative to the copy). */
    List<Path> sources(String scriptRef) {
        var seen = new LinkedHashSet<Path>();
        var queue = new ArrayList<>(List.of(root.resolve(scriptRef).normalize()));
        try {
            for (int i = 0; i < queue.size(); i++) {
                Path f = queue.get(i);
                if (!seen.add(f)) continue;
                var m = SOURCES.matcher(Files.readString(f));
                while (m.find()) for (String s : m.group(1).trim().split("\\s+")) queue.add(f.getParent().resolve(s).normalize());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return seen.stream().map(root::relativize).toList();
    }

    /** Copies {@code file} into the copy's root as {@code name}, executable (another launcher to compare with). */
    void add(Path file, String name) {
        try {
            Path t = Files.copy(file, root.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            if (!t.toFile().setExecutable(true)) throw new IOException("cannot make " + t + " executable");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends a comment line to a file of the copy: new content, same code. */
    void touch(Path relative, String comment) {
        try {
            Files.writeString(root.resolve(relative), "// " + comment + "\n", java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
