import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Builds the Grafana dashboards by running {@code config/grafana/generator/generate.mjs} (Grafana Foundation SDK,
 * pinned by its package-lock.json) with Node. The SDK is installed with {@code npm ci} into a cache directory,
 * never into the source tree; the generated JSON goes to {@code config/grafana/dashboards}.
 */
final class DashboardGenerator {
    static final String SCRIPT = "generate.mjs";
    private static final List<String> INPUTS = List.of("package.json", "package-lock.json", SCRIPT);

    private final Path source;     // config/grafana/generator
    private final Path dashboards; // config/grafana/dashboards
    private final Path work;       // .dev/cache/grafana-generator

    DashboardGenerator(Path kitRoot, Path work) {
        this.source = kitRoot.resolve("config/grafana/generator");
        this.dashboards = kitRoot.resolve("config/grafana/dashboards");
        this.work = work.toAbsolutePath();
    }

    Path dashboards() { return dashboards; }

    /** What differs between freshly generated dashboards and the files in config/grafana/dashboards. */
    record Drift(List<String> changed, List<String> missing, List<String> extra, int generated) {
        boolean none() { return changed.isEmpty() && missing.isEmpty() && extra.isEmpty(); }

        String describe() {
            var parts = new ArrayList<String>();
            if (!changed.isEmpty()) parts.add("changed " + changed);
            if (!missing.isEmpty()) parts.add("not committed " + missing);
            if (!extra.isEmpty()) parts.add("no longer generated " + extra);
            return parts.isEmpty() ? "no drift" : String.join(", ", parts);
        }
    }

    /** Checks that node and npm are there; throws with what to install otherwise. */
    void requireNode() {
        if (!ChildProcess.available("node", "--version") || !ChildProcess.available("npm", "--version"))
            throw new IllegalStateException("node/npm not found on PATH — install Node.js 20+ with npm (Debian: apt-get install nodejs npm)");
    }

    /** Runs {@code npm ci} into the cache when the lock file changed since the last install; true when it ran. */
    boolean install() {
        requireNode();
        try {
            Files.createDirectories(work);
            Path lock = work.resolve("package-lock.json");
            boolean current = Files.isDirectory(work.resolve("node_modules/@grafana/grafana-foundation-sdk"))
                    && Files.exists(lock) && Arrays.equals(Files.readAllBytes(lock), Files.readAllBytes(source.resolve("package-lock.json")));
            copyInputs();
            if (current) return false;
            var npm = ChildProcess.capture(work, Map.of(), List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"));
            if (!npm.ok()) throw new IllegalStateException("npm ci in " + work + " failed (exit " + npm.exitCode() + "): " + npm.lastLine());
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Generates every dashboard into {@code out} (created, emptied of JSON first); returns the files, sorted. */
    List<Path> generate(Path out) {
        install();
        try {
            Files.createDirectories(out);
            for (Path old : jsonFiles(out)) Files.delete(old);
            var node = ChildProcess.capture(work, Map.of(), List.of("node", SCRIPT, out.toAbsolutePath().toString()));
            if (!node.ok()) throw new IllegalStateException(source.resolve(SCRIPT) + ": generator failed (exit " + node.exitCode() + "): " + node.output().strip());
            return jsonFiles(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Regenerates into the cache and compares with config/grafana/dashboards byte for byte. */
    Drift check() {
        Path fresh = work.resolve("check");
        var generated = generate(fresh);
        return compare(fresh, generated.size());
    }

    /** Regenerates and replaces config/grafana/dashboards (each file written whole, then renamed into place). */
    Drift write() {
        Path fresh = work.resolve("out");
        var generated = generate(fresh);
        Drift drift = compare(fresh, generated.size());
        try {
            Files.createDirectories(dashboards);
            for (Path f : generated) {
                Path tmp = dashboards.resolve("." + f.getFileName() + ".tmp");
                Files.copy(f, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, dashboards.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            for (String gone : drift.extra()) Files.delete(dashboards.resolve(gone));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return drift;
    }

    private Drift compare(Path fresh, int generated) {
        try {
            var freshNames = names(jsonFiles(fresh));
            var committed = names(Files.isDirectory(dashboards) ? jsonFiles(dashboards) : List.of());
            var changed = new ArrayList<String>();
            var missing = new ArrayList<String>();
            for (String n : freshNames) {
                if (!committed.contains(n)) missing.add(n);
                else if (!Arrays.equals(Files.readAllBytes(fresh.resolve(n)), Files.readAllBytes(dashboards.resolve(n)))) changed.add(n);
            }
            var extra = committed.stream().filter(n -> !freshNames.contains(n)).toList();
            return new Drift(changed, missing, extra, generated);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void copyInputs() throws IOException {
        for (String f : INPUTS) Files.copy(source.resolve(f), work.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<Path> jsonFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    private static TreeSet<String> names(List<Path> files) {
        var out = new TreeSet<String>();
        files.forEach(f -> out.add(f.getFileName().toString()));
        return out;
    }
}
