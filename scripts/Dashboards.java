///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
//SOURCES ../lib/cli/KitVersion.java ../lib/dev/ChildProcess.java ../lib/grafana/DashboardGenerator.java ../lib/grafana/QueryCheck.java
//DESCRIPTION Generate the Grafana dashboards (config/grafana/dashboards) and the alert rules (Grafana alerting provisioning, vmalert rules
//DESCRIPTION in config/vmalert) with the Grafana Foundation SDK; --check fails on drift;
//DESCRIPTION --check-queries runs every panel query against the live stores as Grafana would and reports errors, empty panels, time.
//DESCRIPTION Example: ./jbang dashboards --check

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dashboards", mixinStandardHelpOptions = true, versionProvider = KitVersion.class,
        description = {"Run config/grafana/generator/generate.mjs (Grafana Foundation SDK, installed with npm ci into the cache)",
                "and write one JSON file per dashboard to config/grafana/dashboards, and the alert rules of alerts.mjs to",
                "config/grafana/provisioning/alerting (Grafana) and config/vmalert (vmalert). Never edit those files by hand."})
class Dashboards implements Callable<Integer> {

    @Option(names = "--check", description = "Only compare a fresh generation with the committed files; exit 1 on any drift.")
    boolean check;

    @Option(names = "--cache", paramLabel = "DIR", defaultValue = ".dev/cache/grafana-generator",
            description = "Where npm installs the pinned SDK and the generator runs (default: ${DEFAULT-VALUE}).")
    Path cache;

    @Option(names = "--check-queries", description = "Run every panel query of the dashboards against the stores as Grafana would (variables, default range, "
            + "Grafana's step) and report errors, empty panels and the time of each; exit 1 on any error.")
    boolean checkQueries;

    @Option(names = "--vm-url", defaultValue = "http://localhost:8428", description = "VictoriaMetrics (or vmselect's /select/<tenant>/prometheus) for --check-queries. Default: ${DEFAULT-VALUE}.")
    URI vmUrl;

    @Option(names = "--vl-url", defaultValue = "http://localhost:9428", description = "VictoriaLogs for --check-queries. Default: ${DEFAULT-VALUE}.")
    URI vlUrl;

    @Option(names = "--tempo-url", defaultValue = "http://localhost:3200", description = "Tempo's HTTP API for --check-queries. Default: ${DEFAULT-VALUE}.")
    URI tempoUrl;

    @Option(names = "--from", paramLabel = "TIME", description = "Range start: now-1y, now-7d or ISO-8601 (default: each dashboard's own, now-1y for the kit's).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Range end (default: each dashboard's own, now).")
    String to;

    @Option(names = "--now", paramLabel = "INSTANT", description = "What 'now' is, ISO-8601 (default: the clock); for repeatable checks of generated data.")
    Instant now;

    @Option(names = "--max-data-points", paramLabel = "N", description = "Points per graph, as the panel width in pixels sets them in Grafana (default: the panel's, else 1000).")
    Integer maxDataPoints;

    @Option(names = "--min-interval", paramLabel = "DURATION", defaultValue = "1m",
            description = "VictoriaMetrics data source's minimum step (the provisioned timeInterval). Default: ${DEFAULT-VALUE}.")
    String minInterval;

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "Give a variable a value instead of All or its first value (repeatable), e.g. --var trace_id=4bf92f35...")
    Map<String, String> vars = new LinkedHashMap<>();

    @Option(names = "--dashboard", paramLabel = "NAME", description = "Only these dashboards (file name without .json; repeatable).")
    List<String> only = new ArrayList<>();

    @Option(names = "--slow", paramLabel = "SECONDS", defaultValue = "5", description = "A query taking longer is marked SLOW. Default: ${DEFAULT-VALUE}.")
    double slowSeconds;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120", description = "Give up on one query after this long (counted as an error). Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Option(names = "--fail-on-empty", description = "Exit 1 when a panel query returns nothing (default: empty panels are listed, exit 0).")
    boolean failOnEmpty;

    @Option(names = "--fail-on-slow", description = "Exit 1 when a query is slower than --slow.")
    boolean failOnSlow;

    public static void main(String... args) {
        System.exit(new CommandLine(new Dashboards()).execute(args));
    }

    @Override
    public Integer call() {
        if (checkQueries) return checkQueries();
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
            System.out.printf("dashboards: done in %.1f s, %d dashboards, %d files with the alert rules, %s%n", s, drift.generated(), drift.files(),
                    drift.none() ? "no drift" : "DRIFT");
            if (!drift.none()) {
                System.out.println("  " + drift.describe());
                System.out.println("  run ./jbang dashboards and commit " + String.join(", ", DashboardGenerator.OUTPUTS.stream().map(DashboardGenerator.Output::target).toList()));
            }
            return drift.none() ? 0 : 1;
        }
        int touched = drift.changed().size() + drift.missing().size() + drift.extra().size();
        System.out.printf("dashboards: done in %.1f s, %d dashboards and %d rule files written, %d changed%n", s, drift.generated(),
                drift.files() - drift.generated(), touched);
        for (var o : DashboardGenerator.OUTPUTS) System.out.println("  to     " + o.target());
        if (touched > 0) System.out.println("  " + drift.describe());
        return 0;
    }

    private int checkQueries() {
        long t0 = System.nanoTime();
        Path dir = Path.of("config/grafana/dashboards");
        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".json"))
                    .filter(p -> only.isEmpty() || only.contains(p.getFileName().toString().replace(".json", ""))).sorted().toList();
        } catch (java.io.IOException e) {
            System.err.println("dashboards: cannot read " + dir + ": " + e.getMessage());
            return 2;
        }
        if (files.isEmpty()) {
            System.err.println("dashboards: no dashboards match " + only + " in " + dir);
            return 2;
        }
        var check = new QueryCheck(new QueryCheck.Stores(vmUrl, vlUrl, tempoUrl), Duration.ofSeconds(timeoutSeconds), vars,
                DashboardQueries.durationMs(minInterval));
        Instant clock = now != null ? now : Instant.now();
        var results = new ArrayList<QueryCheck.Result>();
        int variableErrors = 0;
        System.out.printf("  %-7s %9s %8s  %-5s %s%n", "STATUS", "MS", "RESULT", "STORE", "DASHBOARD / PANEL");
        for (Path file : files) {
            var dashboard = DashboardQueries.read(file);
            GrafanaRange range;
            try {
                range = GrafanaRange.parse(from != null ? from : dashboard.from(), to != null ? to : dashboard.to(), clock);
            } catch (IllegalArgumentException e) {
                System.err.println("dashboards: " + e.getMessage());
                return 2;
            }
            List<DashboardVariable> variables;
            try {
                variables = check.resolve(dashboard, range);
            } catch (Exception e) {
                System.out.println("  ERROR   " + dashboard.title() + ": variables: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
                variableErrors++;
                continue;
            }
            System.out.println("  " + dashboard.title() + "  (" + range.from() + " .. " + range.to() + "; "
                    + String.join(", ", variables.stream().map(v -> v.name() + "=" + v.shown()).toList()) + ")");
            for (var q : dashboard.queries()) {
                var q2 = maxDataPoints == null ? q : new PanelQuery(q.dashboard(), q.panelId(), q.panel(), q.refId(), q.store(), q.queryType(),
                        q.instant(), q.text(), q.limit(), q.minIntervalMs(), maxDataPoints);
                var r = check.run(q2, variables, range);
                results.add(r);
                boolean slow = r.millis() > slowSeconds * 1000;
                System.out.printf("  %-7s %9d %8s  %-5s %s%s%n", slow && r.status() == QueryCheck.Status.OK ? "SLOW" : r.status(), r.millis(),
                        r.items(), q.store(), q.where(), r.status() == QueryCheck.Status.OK ? "" : "  -- " + r.detail());
            }
        }
        long errors = results.stream().filter(r -> r.status() == QueryCheck.Status.ERROR).count() + variableErrors;
        long empty = results.stream().filter(r -> r.status() == QueryCheck.Status.EMPTY).count();
        long skipped = results.stream().filter(r -> r.status() == QueryCheck.Status.SKIPPED).count();
        long ok = results.stream().filter(r -> r.status() == QueryCheck.Status.OK).count();
        long slow = results.stream().filter(r -> r.millis() > slowSeconds * 1000).count();
        var slowest = results.stream().max(Comparator.comparingLong(QueryCheck.Result::millis));
        System.out.printf("dashboards: done in %.1f s, %d queries of %d dashboards: %d ok, %d empty, %d errors, %d skipped, %d slower than %.0f s%s%n",
                (System.nanoTime() - t0) / 1e9, results.size(), files.size(), ok, empty, errors,
                skipped, slow, slowSeconds, slowest.map(r -> String.format("; slowest %.1f s (%s)", r.millis() / 1e3, r.query().where())).orElse(""));
        return errors > 0 || (failOnEmpty && empty > 0) || (failOnSlow && slow > 0) ? 1 : 0;
    }
}
