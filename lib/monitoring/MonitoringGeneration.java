import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * The generate-monitoring step as a library call: flags in ({@link #request}), files or another sink out
 * ({@link #run}), and the one-screen report. Shared by the script and the bench.
 */
final class MonitoringGeneration {
    private static final long DAY_MICROS = 86_400_000_000L;

    private MonitoringGeneration() {}

    /** The validated flags; {@code otlp} is {@code --format otlp} (OTLP File format, {@link OtlpJsonFiles}). */
    record Request(Path modelDir, long roots, int users, long startMicros, long endMicros, long seed, int workers, int files,
                   Path output, boolean extendedLogs, Path schedule, Scenario scenario, boolean rawMetrics, boolean nativeMetrics,
                   long scrapeMillis, boolean otlp, IncidentIntensity incidentIntensity) {
        Request(Path modelDir, long roots, int users, long startMicros, long endMicros, long seed, int workers, int files,
                Path output, boolean extendedLogs, Path schedule, Scenario scenario, boolean rawMetrics, boolean nativeMetrics,
                long scrapeMillis, boolean otlp) {
            this(modelDir, roots, users, startMicros, endMicros, seed, workers, files, output, extendedLogs, schedule, scenario,
                    rawMetrics, nativeMetrics, scrapeMillis, otlp, IncidentIntensity.SEED);
        }

        /** This request with {@code --incident-intensity factor}; throws IllegalArgumentException below 1. */
        Request withIncidentIntensity(double factor) {
            return new Request(modelDir, roots, users, startMicros, endMicros, seed, workers, files, output, extendedLogs, schedule,
                    scenario, rawMetrics, nativeMetrics, scrapeMillis, otlp, new IncidentIntensity(factor));
        }
    }

    /** The request with the seed's raw metrics only (the default form). */
    static Request request(Path modelDir, Long totalEvents, Integer totalUsers, Path output, long seed, int workers, int files,
                           Path schedule, String format, String logFormat, String start, String end, String scenarioName,
                           String duration) {
        return request(modelDir, totalEvents, totalUsers, output, seed, workers, files, schedule, format, logFormat, start, end,
                scenarioName, duration, "raw", "15s");
    }

    /** Checks flags that picocli cannot; throws IllegalArgumentException with one sentence naming the flag. */
    static Request request(Path modelDir, Long totalEvents, Integer totalUsers, Path output, long seed, int workers, int files,
                           Path schedule, String format, String logFormat, String start, String end, String scenarioName,
                           String duration, String metrics, String scrapeInterval) {
        boolean raw, nativeForm;
        switch (metrics.toLowerCase(Locale.ROOT)) {
            case "raw" -> { raw = true; nativeForm = false; }
            case "native" -> { raw = false; nativeForm = true; }
            case "both" -> { raw = true; nativeForm = true; }
            default -> throw new IllegalArgumentException("--metrics must be raw, native or both, got \"" + metrics + "\"");
        }
        long scrapeMillis = Scenario.parseDuration(scrapeInterval, "--scrape-interval").toMillis();
        if (scrapeMillis < 1000 || scrapeMillis % 1000 != 0)
            throw new IllegalArgumentException("--scrape-interval must be whole seconds, at least 1s, got " + scrapeInterval);
        boolean otlp = switch (format.toLowerCase(Locale.ROOT)) {
            case "jsonl" -> false;
            case "otlp" -> true;
            default -> throw new IllegalArgumentException("--format must be jsonl or otlp, got \"" + format + "\"");
        };
        boolean extended = switch (logFormat.toLowerCase(Locale.ROOT)) {
            case "seed" -> false;
            case "extended" -> true;
            default -> throw new IllegalArgumentException("--log-format must be seed or extended, got \"" + logFormat + "\"");
        };
        Scenario sc = scenarioName == null ? Scenario.DEFAULT : Scenario.named(scenarioName);
        if (workers < 1) throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
        if (files < 1) throw new IllegalArgumentException("--files must be at least 1, got " + files);
        if (totalEvents != null && totalEvents < 1) throw new IllegalArgumentException("TOTAL_EVENTS must be at least 1, got " + totalEvents);
        if (totalUsers != null && totalUsers < 1) throw new IllegalArgumentException("TOTAL_USERS must be at least 1, got " + totalUsers);
        if (schedule != null && !Files.isRegularFile(schedule))
            throw new IllegalArgumentException("--deployment-schedule " + schedule + " is not a readable file");

        Instant now = Instant.now();
        Instant endAt = end == null ? now.truncatedTo(ChronoUnit.DAYS) : parseTime("--end", end);
        if (endAt.isAfter(now)) throw new IllegalArgumentException("--end " + end + " is in the future; stores reject future samples");
        Instant startAt;
        if (start != null && duration != null) throw new IllegalArgumentException("give --start or --duration, not both");
        if (start != null) startAt = parseTime("--start", start);
        else if (duration != null) startAt = endAt.minus(Scenario.parseDuration(duration));
        else if (sc != Scenario.DEFAULT) startAt = endAt.minus(Duration.ofHours(1));
        else startAt = endAt.minus(Duration.ofDays(365));
        if (!startAt.isBefore(endAt)) throw new IllegalArgumentException("--start must be before --end (" + startAt + " >= " + endAt + ")");

        long startMicros = startAt.getEpochSecond() * 1_000_000L + startAt.getNano() / 1000;
        long endMicros = endAt.getEpochSecond() * 1_000_000L + endAt.getNano() / 1000;
        long roots;
        int users;
        if (totalEvents != null) {
            roots = totalEvents;
            users = totalUsers != null ? totalUsers : Math.max(1, sc.users());
            if (totalUsers == null && sc == Scenario.DEFAULT) throw new IllegalArgumentException("give TOTAL_USERS after TOTAL_EVENTS, e.g. 100000 10000");
        } else {
            if (sc == Scenario.DEFAULT) throw new IllegalArgumentException("give TOTAL_EVENTS TOTAL_USERS (e.g. 100000 10000) or --scenario realistic|stress");
            roots = Math.max(1, Math.round(sc.rootsPerSecond() * (endMicros - startMicros) / 1e6));
            users = totalUsers != null ? totalUsers : sc.users();
        }
        return new Request(modelDir, roots, users, startMicros, endMicros, seed, workers, files, output, extended, schedule, sc,
                raw, nativeForm, scrapeMillis, otlp);
    }

    private static void createOutput(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(dir + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    static Instant parseTime(String flag, String text) {
        try {
            if (text.length() == 10) return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) return java.time.OffsetDateTime.parse(text).toInstant();
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(flag + " \"" + text + "\" is not an ISO date (2026-01-31) or date-time (2026-01-31T12:00:00Z)");
        }
    }

    /** What a run did, for the one-screen summary; {@code otlpFiles} are the parts of {@code --format otlp}, else null. */
    record Report(Request request, GenerationPlan plan, MonitoringRun.Result result, List<OtlpJsonFiles.Part> otlpFiles, double seconds) {
        void print(PrintStream out) { print(out, null, true); }

        /** With {@code streamed} (what the stores took) ending the first line; {@code files} false when only the summary files were written. */
        void print(PrintStream out, String streamed, boolean files) {
            var t = result.totals();
            long records = result.records();
            double mb = (otlpFiles == null ? result.bytes() : otlpFiles.stream()
                    .mapToLong(p -> p.logBytes() + p.traceBytes() + p.metricBytes() + p.nativeBytes()).sum()) / 1e6;
            var nt = result.nativeTotals();
            out.printf(Locale.ROOT, "generate-monitoring: done in %.1f s, %,d records (%,d logs, %,d raw metrics%s), %,.1f MB%s%n", seconds,
                    records, t.logLines + result.deploymentLines(), t.metricLines,
                    nt == null ? "" : String.format(Locale.ROOT, ", %,d native samples", nt.samples()), mb, streamed == null ? "" : ", " + streamed);
            out.printf(Locale.ROOT, "  requests     %,d = %,d roots + %,d child spans; %,d roots dropped by deployment dips%n",
                    t.roots + t.children, t.roots, t.children, t.dropped);
            out.printf(Locale.ROOT, "  users        %,d in %d personas; window %s .. %s%n", request.users(), plan.model.personas().size(),
                    GroundTruthFile.iso(request.startMicros()), GroundTruthFile.iso(request.endMicros()));
            out.printf(Locale.ROOT, "  levels       INFO %,d  WARN %,d  ERROR %,d%n", t.levels[0] + result.deploymentLines(), t.levels[1], t.levels[2]);
            out.printf(Locale.ROOT, "  errors       infrastructure %,d  dependency %,d  deployment %,d  self %,d%n",
                    t.sources[0], t.sources[1], t.sources[2], t.sources[3]);
            out.printf(Locale.ROOT, "  ground truth %,d incidents, %,d deployment windows (%s), %,d bursts -> %s%n",
                    plan.incidents.incidents.size(), plan.deployments.windows.size(), plan.deployments.source, plan.bursts.bursts.size(),
                    request.output().resolve("incidents.json"));
            if (nt != null)
                out.printf(Locale.ROOT, "  native       %,d series, %,d samples in %,d lines every %d s, %,d exemplars%s%n",
                        nt.series(), nt.samples(), nt.lines(), request.scrapeMillis() / 1000, nt.exemplarPoints(),
                        files ? " -> native_metrics_N.jsonl, native_exemplars.txt" : "");
            if (!files)
                out.printf(Locale.ROOT, "  files        none (streamed in %d parts), summary.json and incidents.json in %s%n", request.files(), request.output());
            else if (otlpFiles == null)
                out.printf(Locale.ROOT, "  files        %d x logs_N.jsonl%s%s, summary.json in %s%n", request.files(),
                        request.rawMetrics() ? " + metrics_N.jsonl" : "", nt != null ? " + native_metrics_N.jsonl" : "", request.output());
            else
                out.printf(Locale.ROOT, "  files        %d x logs_N.otlp.jsonl + traces_N.otlp.jsonl%s%s (OTLP File format, %,d export requests), summary.json in %s%n",
                        request.files(), request.rawMetrics() ? " + metrics_N.otlp.jsonl" : "",
                        nt != null ? " + native_metrics_N.jsonl (native metrics stay VictoriaMetrics import lines)" : "",
                        otlpFiles.stream().mapToLong(p -> p.logLines() + p.traceLines() + p.metricLines()).sum(), request.output());
            if (streamed == null)
                out.printf(Locale.ROOT, "  rate         %,.0f records/s, %,.1f MB/s with %d workers%n", records / result.seconds(), mb / result.seconds(),
                        request.workers());
            else
                out.printf(Locale.ROOT, "  rate         %,.0f events/s, %,.0f records/s end to end (generated and delivered) with %d workers%n",
                        request.roots() / seconds, records / seconds, request.workers());
        }
    }

    static Report run(Request r, boolean quiet) {
        return run(r, quiet, null);
    }

    /**
     * Like {@link #run(Request, boolean)}, the output going to {@code sink} (the stores, and files if it writes them)
     * instead of the files; null means the files. The sink is closed before this returns, so the time covers the
     * delivery; summary.json and incidents.json are written to the output directory either way.
     */
    static Report run(Request r, boolean quiet, MonitoringSink sink) {
        long t0 = System.nanoTime();
        PlatformModel model = PlatformModel.load(r.modelDir());
        var cfg = new GenerateConfig(r.modelDir(), r.seed(), r.roots(), r.users(), r.startMicros(), r.endMicros(), r.workers(),
                r.files(), r.output(), r.extendedLogs(), r.schedule(), r.scenario(), GenerateConfig.DEFAULT_CHUNK_ROOTS,
                r.rawMetrics(), r.nativeMetrics(), r.scrapeMillis(), r.incidentIntensity());
        var plan = new GenerationPlan(model, cfg);
        MonitoringRun.Result result;
        OtlpJsonFiles otlp = null;
        try (sink; var progress = Progress.start("generate-monitoring", r.roots(), "events", quiet)) {
            if (sink != null) {
                result = MonitoringRun.run(plan, sink, progress::step);
            } else if (r.otlp()) {
                try (var files = otlp = new OtlpJsonFiles(r.output(), r.files(), r.rawMetrics(), r.nativeMetrics(), r.workers())) {
                    result = MonitoringRun.run(plan, files, progress::step);
                }
            } else {
                result = MonitoringRun.run(plan, progress::step);
            }
        }
        if (sink != null) createOutput(r.output());
        GroundTruthFile.write(r.output().resolve("incidents.json"), plan, result.totals());
        if (otlp == null) GenerationSummary.write(r.output().resolve("summary.json"), plan, result);
        else GenerationSummary.write(r.output().resolve("summary.json"), plan, result, "otlp", otlp.parts());
        return new Report(r, plan, result, otlp == null ? null : otlp.parts(), (System.nanoTime() - t0) / 1e9);
    }
}
