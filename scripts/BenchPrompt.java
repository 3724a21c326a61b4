///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
//SOURCES ../lib/cli/KitVersion.java ../lib/pipeline/KitHome.java ../lib/bench/KitCopy.java ../lib/bench/LaunchTimer.java
//DESCRIPTION Benchmark the prompt: medians of warm `./jbang <alias> --help` runs, whole process, through JBang and through the
//DESCRIPTION stored command (with and without class data sharing), and the first run after a lib edit; in a copy of the kit.
//DESCRIPTION Example: ./jbang bench-prompt --runs 5 --aliases import-vm,release-id

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench-prompt", mixinStandardHelpOptions = true, versionProvider = KitVersion.class,
        description = {"Time `./jbang <alias> --help` as a user runs it, whole process (wall and CPU), in a temporary copy of the kit:",
                "each launch mode once to warm up, then --runs runs per alias and mode, the modes taking turns; then, per mode, the first run",
                "after a comment is appended to the last lib file the first alias pulls in. Goal: a warm run at or under 0.7 s."})
class BenchPrompt implements Callable<Integer> {

    @Option(names = "--runs", defaultValue = "5", paramLabel = "N", description = "Warm runs per alias and mode (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--aliases", split = ",", defaultValue = "import-vm,export-tempo,release-id", paramLabel = "ALIAS",
            description = "Aliases to time, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> aliases;

    @Option(names = "--before-launcher", paramLabel = "FILE",
            description = "Another launcher to time as well, e.g. an earlier launcher saved with git show main:jbang > /tmp/jbang-before.")
    Path beforeLauncher;

    public static void main(String... args) {
        System.exit(new CommandLine(new BenchPrompt()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (runs < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--runs must be at least 1, got " + runs);
        long t0 = System.nanoTime();
        String loadBefore = load();
        Path kit = KitHome.find();
        var refs = new LinkedHashMap<String, String>();
        var catalog = new com.fasterxml.jackson.databind.ObjectMapper().readTree(kit.resolve("jbang-catalog.json").toFile()).path("aliases");
        for (String a : aliases) {
            String ref = catalog.path(a).path("script-ref").asText("");
            if (ref.isEmpty()) throw new CommandLine.ParameterException(new CommandLine(this), "--aliases: no alias " + a + " in the catalog");
            refs.put(a, ref);
        }
        var samples = new LinkedHashMap<String, Map<LaunchTimer.Mode, List<LaunchTimer.Sample>>>();
        var afterEdit = new EnumMap<LaunchTimer.Mode, LaunchTimer.Sample>(LaunchTimer.Mode.class);
        Path edited;
        var modes = new ArrayList<>(List.of(LaunchTimer.Mode.values()));
        if (beforeLauncher == null) modes.remove(LaunchTimer.Mode.BEFORE);
        try (var copy = KitCopy.of(kit)) {
            if (beforeLauncher != null) copy.add(beforeLauncher, LaunchTimer.BEFORE_LAUNCHER);
            var timer = new LaunchTimer(copy.root());
            for (String a : aliases) {
                var byMode = new EnumMap<LaunchTimer.Mode, List<LaunchTimer.Sample>>(LaunchTimer.Mode.class);
                for (var m : modes) {
                    progress("warming up " + a + " (" + m.label + ")");
                    timer.run(a, m); // builds the jar, stores the command, writes the archive
                    byMode.put(m, new ArrayList<>());
                }
                for (int i = 0; i < runs; i++) {
                    for (var m : modes) {
                        progress(a + " run " + (i + 1) + "/" + runs + " (" + m.label + ")");
                        byMode.get(m).add(timer.run(a, m));
                    }
                }
                samples.put(a, byMode);
            }
            List<Path> sources = copy.sources(refs.get(aliases.get(0)));
            edited = sources.get(sources.size() - 1);
            int n = 0;
            for (var m : modes) {
                if (m == LaunchTimer.Mode.CACHED_NO_CDS) continue;
                copy.touch(edited, "bench-prompt edit " + ++n);
                progress("first run after an edit of " + edited + " (" + m.label + ")");
                afterEdit.put(m, timer.run(aliases.get(0), m));
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        var first = samples.get(aliases.get(0));
        double best = LaunchTimer.median(LaunchTimer.walls(first.get(LaunchTimer.Mode.CACHED)));
        var baseline = beforeLauncher != null ? LaunchTimer.Mode.BEFORE : LaunchTimer.Mode.JBANG;
        double before = LaunchTimer.median(LaunchTimer.walls(first.get(baseline)));
        System.out.printf(Locale.ROOT, "bench-prompt: done in %.1f s, warm %s --help median %.2f s with the stored command + CDS, %.2f s %s (goal 0.7 s)%n",
                secs, aliases.get(0), best, before, baseline == LaunchTimer.Mode.BEFORE ? "with " + beforeLauncher : "through JBang");
        System.out.printf(Locale.ROOT, "  %-14s %-22s %12s %12s %6s%n", "alias", "launch", "median wall", "median cpu", "runs");
        samples.forEach((a, byMode) -> byMode.forEach((m, s) -> System.out.printf(Locale.ROOT, "  %-14s %-22s %10.2f s %10.2f s %6d%n",
                a, m.label, LaunchTimer.median(LaunchTimer.walls(s)), LaunchTimer.median(LaunchTimer.cpus(s)), s.size())));
        afterEdit.forEach((m, s) -> System.out.printf(Locale.ROOT, "  %-14s %-22s %10.2f s %10.2f s %6d   first run after editing %s%n",
                aliases.get(0), m.label, s.wall(), s.cpu(), 1, edited));
        if (beforeLauncher != null) System.out.printf(Locale.ROOT, "  %-14s %s%n", "launcher given", beforeLauncher);
        System.out.printf(Locale.ROOT, "  load average  %s at the start, %s at the end (%d cores); wall times grow with it, CPU times much less%n",
                loadBefore, load(), Runtime.getRuntime().availableProcessors());
        return 0;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "n/a";
        }
    }

    private static void progress(String what) {
        if (System.console() != null) System.err.print("\r\033[K" + what);
    }
}
