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
 * Builds the Grafana dashboards and the alert rules by running {@code config/grafana/generator/generate.mjs} (Grafana
 * Foundation SDK, pinned by its package-lock.json) with Node. The SDK is installed with {@code npm ci} into a cache
 * directory, never into the source tree; the generated files go to {@link #OUTPUTS}: dashboards JSON, Grafana alerting
 * provisioning and the vmalert rules files, all from one generator run so none can drift from the others.
 */
final class DashboardGenerator {
    static final String SCRIPT = "generate.mjs";
    private static final List<String> INPUTS = List.of("package.json", "package-lock.json", SCRIPT, "alerts.mjs");

    /** One directory the generator writes ({@code part}, under its output directory) and where the kit keeps it. */
    record Output(String part, String target, String suffix) {}

    static final List<Output> OUTPUTS = List.of(
            new Output("dashboards", "config/grafana/dashboards", ".json"),
            new Output("alerting", "config/grafana/provisioning/alerting", ".yaml"),
            new Output("vmalert", "config/vmalert", ".yml"));

    private final Path root;       // the kit
    private final Path source;     // config/grafana/generator
    private final Path work;       // .dev/cache/grafana-generator

    DashboardGenerator(Path kitRoot, Path work) {
        this.root = kitRoot;
        this.source = kitRoot.resolve("config/grafana/generator");
        this.work = work.toAbsolutePath();
    }

    /**
     * What differs between a fresh generation and the kit's files (paths relative to the kit); {@code generated} counts
     * the dashboards, {@code files} every generated file.
     */
    record Drift(List<String> changed, List<String> missing, List<String> extra, int generated, int files) {
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

    /** Generates everything into {@code out} (its parts emptied first); returns the number of dashboards. */
    int generate(Path out) {
        install();
        try {
            for (Output o : OUTPUTS) {
                Path part = out.resolve(o.part());
                Files.createDirectories(part);
                for (Path old : files(part, o.suffix())) Files.delete(old);
            }
            var node = ChildProcess.capture(work, Map.of(), List.of("node", SCRIPT, out.toAbsolutePath().toString()));
            if (!node.ok()) throw new IllegalStateException(source.resolve(SCRIPT) + ": generator failed (exit " + node.exitCode() + "): " + node.output().strip());
            return files(out.resolve(OUTPUTS.get(0).part()), OUTPUTS.get(0).suffix()).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Regenerates into the cache and compares with the kit's files byte for byte. */
    Drift check() {
        Path fresh = work.resolve("check");
        return compare(fresh, generate(fresh));
    }

    /** Regenerates and replaces the kit's files (each written whole, then renamed into place); removes ones no longer generated. */
    Drift write() {
        Path fresh = work.resolve("out");
        Drift drift = compare(fresh, generate(fresh));
        try {
            for (Output o : OUTPUTS) {
                Path target = root.resolve(o.target());
                Files.createDirectories(target);
                for (Path f : files(fresh.resolve(o.part()), o.suffix())) {
                    Path tmp = target.resolve("." + f.getFileName() + ".tmp");
                    Files.copy(f, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            for (String gone : drift.extra()) Files.delete(root.resolve(gone));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return drift;
    }

    private Drift compare(Path fresh, int dashboards) {
        try {
            var changed = new ArrayList<String>();
            var missing = new ArrayList<String>();
            var extra = new ArrayList<String>();
            int files = 0;
            for (Output o : OUTPUTS) {
                Path part = fresh.resolve(o.part()), target = root.resolve(o.target());
                var freshNames = names(files(part, o.suffix()));
                var committed = names(Files.isDirectory(target) ? files(target, o.suffix()) : List.of());
                files += freshNames.size();
                for (String n : freshNames) {
                    if (!committed.contains(n)) missing.add(o.target() + "/" + n);
                    else if (!Arrays.equals(Files.readAllBytes(part.resolve(n)), Files.readAllBytes(target.resolve(n)))) changed.add(o.target() + "/" + n);
                }
                committed.stream().filter(n -> !freshNames.contains(n)).forEach(n -> extra.add(o.target() + "/" + n));
            }
            return new Drift(changed, missing, extra, dashboards, files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void copyInputs() throws IOException {
        for (String f : INPUTS) Files.copy(source.resolve(f), work.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix) && !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    private static TreeSet<String> names(List<Path> files) {
        var out = new TreeSet<String>();
        files.forEach(f -> out.add(f.getFileName().toString()));
        return out;
    }
}
