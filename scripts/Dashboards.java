///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DEPS info.picocli:picocli:4.7.7
//SOURCES ../lib/cli/KitVersion.java ../lib/dev/ChildProcess.java ../lib/grafana/DashboardGenerator.java
//DESCRIPTION Generate the Grafana dashboards (config/grafana/dashboards) with the Grafana Foundation SDK; --check fails on drift.
//DESCRIPTION Example: ./jbang dashboards --check

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dashboards", mixinStandardHelpOptions = true, versionProvider = KitVersion.class,
        description = {"Run config/grafana/generator/generate.mjs (Grafana Foundation SDK, installed with npm ci into the cache)",
                "and write one JSON file per dashboard to config/grafana/dashboards. Never edit those files by hand."})
class Dashboards implements Callable<Integer> {

    @Option(names = "--check", description = "Only compare a fresh generation with the committed files; exit 1 on any drift.")
    boolean check;

    @Option(names = "--cache", paramLabel = "DIR", defaultValue = ".dev/cache/grafana-generator",
            description = "Where npm installs the pinned SDK and the generator runs (default: ${DEFAULT-VALUE}).")
    Path cache;

    public static void main(String... args) {
        System.exit(new CommandLine(new Dashboards()).execute(args));
    }

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        var generator = new DashboardGenerator(Path.of("").toAbsolutePath(), cache);
        DashboardGenerator.Drift drift;
        try {
            drift = check ? generator.check() : generator.write();
        } catch (IllegalStateException e) {
            System.err.println("dashboards: " + e.getMessage());
            return 1;
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (check) {
            System.out.printf("dashboards: done in %.1f s, %d dashboards, %s%n", s, drift.generated(), drift.none() ? "no drift" : "DRIFT");
            if (!drift.none()) {
                System.out.println("  " + drift.describe());
                System.out.println("  run ./jbang dashboards and commit config/grafana/dashboards");
            }
            return drift.none() ? 0 : 1;
        }
        int touched = drift.changed().size() + drift.missing().size() + drift.extra().size();
        System.out.printf("dashboards: done in %.1f s, %d dashboards written, %d changed%n", s, drift.generated(), touched);
        System.out.println("  to     " + generator.dashboards());
        if (touched > 0) System.out.println("  " + drift.describe());
        return 0;
    }
}
