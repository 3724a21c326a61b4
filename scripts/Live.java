///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DEPS info.picocli:picocli:4.7.7
//SOURCES GenerateMonitoring.java
//DESCRIPTION Generate the platform's logs, metrics and spans live, on wall-clock time, into files or the stores, with the
//DESCRIPTION native metrics served for scraping and incident drills on demand; ground truth appended to incidents.jsonl.
//DESCRIPTION Example: ./jbang live --rate 50 --duration 10m --to vm,vl,tempo --serve-metrics 127.0.0.1:9464

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "live", mixinStandardHelpOptions = true, versionProvider = KitVersion.class,
        description = {"Generate the simulated platform's traffic live: wall-clock timestamps, paced by a token bucket at --rate roots/s or by --scenario",
                "(the personas' hour-of-week weights at the current wall time), until --duration or SIGINT/SIGTERM, which flushes what is pending",
                "within 10 s, prints the summary and exits 0. The same generator as generate-monitoring, into the same --to targets: logs and raw",
                "metrics as they are made, native counters every --scrape-interval. Incidents, deployments and bursts happen at the model's rates",
                "as time passes, drills when injected (--inject, or the API of --serve-metrics); each start and end is a line of",
                "<output>/incidents.jsonl the moment it happens. Exit 0 when all was delivered, 1 otherwise, 2 when a flag is wrong,",
                "a store does not answer or the endpoint cannot listen. Same as generate-monitoring --live."})
class Live implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin
    LiveOptions live;

    @Option(names = "--scenario", description = "realistic (2 roots/s, 1000 users, normal incidents and deployments) or stress (10 roots/s, 5000 users, "
            + "5x incidents, 4x deployments, ~6 traffic bursts a day); --rate replaces its base rate. Default: none (give --rate).")
    String scenario;

    @Option(names = "--duration", description = "How long to run: 30s, 10m, 1h, 2d, at most 365d (default: until SIGINT/SIGTERM).")
    String duration;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = ".dev/data/test_data",
            description = "Directory of incidents.jsonl, and of the files with --to files (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = {"-s", "--seed"}, defaultValue = "42", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--files", paramLabel = "N", defaultValue = "2", description = "Parts of each stream (logs_N.jsonl ...) (default: ${DEFAULT-VALUE}).")
    int files;

    @Option(names = "--metrics", defaultValue = "both", description = "raw = one sample per request; native = counters and histograms per scrape interval "
            + "(needed by --serve-metrics); both (default: ${DEFAULT-VALUE}).")
    String metrics;

    @Option(names = "--scrape-interval", defaultValue = "15s", description = "Interval of the native samples, whole seconds (default: ${DEFAULT-VALUE}).")
    String scrapeInterval;

    @Option(names = "--log-format", defaultValue = "seed", description = "seed or extended (plus \"duration_ms\") (default: ${DEFAULT-VALUE}).")
    String logFormat;

    @Option(names = "--incident-intensity", paramLabel = "X", defaultValue = "1",
            description = "Multiply the planned incidents' failure rates by X (capped at 0.95) (default: ${DEFAULT-VALUE}).")
    double incidentIntensity;

    @Option(names = "--deployment-schedule", paramLabel = "FILE", description = "deployment_schedule.json from generate-fixtures (default: a built-in schedule).")
    Path schedule;

    @Option(names = "--model", paramLabel = "DIR", defaultValue = "fixtures/social_network", description = "Platform model directory (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    @Mixin
    StreamOptions stream;

    public static void main(String... args) {
        System.exit(new CommandLine(new Live()).execute(args));
    }

    @Override
    public Integer call() {
        LiveRun.Settings settings;
        try {
            settings = LiveLaunch.settings(model, seed, live, scenario, duration, files, output, logFormat, schedule, metrics, scrapeInterval,
                    incidentIntensity);
            stream.discard();
            stream.stores();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return LiveLaunch.run(settings, stream, live.serveMetrics, quiet, verbose, System.out, System.err);
    }
}
