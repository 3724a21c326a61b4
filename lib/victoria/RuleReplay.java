//SOURCES InstantQuery.java RecordingRules.java VictoriaMetricsProcess.java ../grafana/GrafanaRange.java
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * vmalert's replay of recording rules over a window of history ({@code -replay.timeFrom/-replay.timeTo}): the
 * evaluations a running vmalert would have made every group interval, written to the store through remote write,
 * then counted in the store, which may drop what it acknowledged. For data imported after the fact; a running vmalert
 * records what arrives now.
 */
final class RuleReplay {
    /** Names the vmalert binary goes by: Debian's package and the release archives (vmutils). */
    static final List<String> BINARIES = List.of("vmalert", "vmalert-prod");
    private static final Pattern IMPORTED = Pattern.compile("Imported (\\d+) samples");

    /** Where the evaluations are made ({@code from}, then every interval up to {@code to}), both on the interval's grid. */
    record Window(Instant from, Instant to) {
        /** The smallest window on the interval's grid holding [first, last]. */
        static Window covering(Instant first, Instant last, Duration interval) {
            long step = interval.toSeconds();
            long from = Math.floorDiv(first.getEpochSecond(), step) * step;
            long to = -Math.floorDiv(-last.getEpochSecond(), step) * step;
            return new Window(Instant.ofEpochSecond(from), Instant.ofEpochSecond(Math.max(to, from)));
        }

        long evaluations(Duration interval) {
            return (to.getEpochSecond() - from.getEpochSecond()) / interval.toSeconds() + 1;
        }
    }

    /**
     * How a replay ended: vmalert's exit code, the samples it says it wrote (-1 when its log does not say), the samples
     * of the recorded series the store holds in the window afterwards, and vmalert's log.
     */
    record Result(int exitCode, long imported, long stored, Path log) {
        boolean ok() { return exitCode == 0 && holds(stored, imported); }
    }

    /** Whether the store holds what vmalert wrote: all of it, or anything when vmalert did not say how much (-1). */
    static boolean holds(long stored, long imported) {
        return imported < 0 ? stored > 0 : stored >= imported;
    }

    private RuleReplay() {}

    /** The vmalert to run: the given path, $QAIRON_VMALERT_BIN, the PATH, or next to the VictoriaMetrics binary; null when none is. */
    static Path locate(Path given) {
        if (given != null) return given;
        String env = System.getenv("QAIRON_VMALERT_BIN");
        if (env != null && !env.isBlank()) return Path.of(env);
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : BINARIES) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(p)) return p;
            }
        }
        Path beside = VictoriaMetricsProcess.binary().resolveSibling("vmalert");
        return Files.isExecutable(beside) ? beside : null;
    }

    /**
     * The span of the native metrics in the store (first and last sample of requests_total), or null when it holds none.
     */
    static Window windowOfData(URI vmUrl, Duration interval, Instant now) {
        var timeout = Duration.ofMinutes(5);
        double first = InstantQuery.scalar(vmUrl, "min(tfirst_over_time(requests_total[2y]))", now, timeout);
        double last = InstantQuery.scalar(vmUrl, "max(tlast_over_time(requests_total[2y]))", now, timeout);
        if (Double.isNaN(first) || Double.isNaN(last)) return null;
        return Window.covering(Instant.ofEpochSecond((long) first), Instant.ofEpochSecond((long) Math.ceil(last)), interval);
    }

    /**
     * vmalert's command line. Old vmalert builds (Debian's 1.79) step their range queries by -datasource.queryStep, so
     * it is the rules' interval; newer ones use the group interval anyway.
     */
    static List<String> command(Path vmalert, RecordingRules rules, URI readUrl, URI writeUrl, Window w, int pointsPerQuery) {
        return List.of(vmalert.toString(), "-rule=" + rules.file(), "-datasource.url=" + readUrl, "-remoteWrite.url=" + writeUrl,
                "-replay.timeFrom=" + w.from(), "-replay.timeTo=" + w.to(), "-replay.maxDatapointsPerQuery=" + pointsPerQuery,
                "-replay.disableProgressBar", "-replay.rulesDelay=0s", "-datasource.queryStep=" + promDuration(rules.interval()),
                "-httpListenAddr=127.0.0.1:0");
    }

    /** The same replay from the dev stack's vmalert container, for a machine without a vmalert binary. */
    static String composeCommand(Window w, Duration interval) {
        return "docker compose run --rm --no-deps vmalert -rule=/etc/vmalert/recording.yml -datasource.url=http://victoria:8428 "
                + "-remoteWrite.url=http://victoria:8428 -replay.timeFrom=" + w.from() + " -replay.timeTo=" + w.to()
                + " -replay.disableProgressBar -datasource.queryStep=" + promDuration(interval);
    }

    static Result run(Path vmalert, RecordingRules rules, URI readUrl, URI writeUrl, Window w, int pointsPerQuery, Path log) {
        int rc;
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            var p = new ProcessBuilder(command(vmalert, rules, readUrl, writeUrl, w, pointsPerQuery))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            p.getOutputStream().close();
            rc = p.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + vmalert + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        long imported = importedSamples(log);
        long stored = rc == 0 ? storedSamples(readUrl, rules, w, imported) : 0;
        return new Result(rc, imported, stored, log);
    }

    /** What vmalert's log says it wrote ("replay finished! Imported N samples"), summed; -1 when it says nothing. */
    static long importedSamples(Path log) {
        try {
            long total = -1;
            for (String line : Files.readAllLines(log)) {
                var m = IMPORTED.matcher(line);
                while (m.find()) total = Math.max(total, 0) + Long.parseLong(m.group(1));
            }
            return total;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * The recorded series' samples in the window, asked again for up to 30 s until they reach what vmalert wrote (a
     * store makes new samples searchable within seconds). More than vmalert wrote is fine: an earlier replay or a
     * running vmalert may have recorded in the window too.
     */
    static long storedSamples(URI vmUrl, RecordingRules rules, Window w, long expected) {
        // asked one second after `to` over (from - 1 s, to + 1 s]: VictoriaMetrics does not find a series whose samples all lie
        // on a day that starts exactly at the query time (its per-day index)
        long seconds = w.to().getEpochSecond() - w.from().getEpochSecond() + 2;
        String q = "sum(count_over_time(" + rules.selector() + "[" + seconds + "s]))";
        Instant at = w.to().plusSeconds(1);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long stored;
        while (true) {
            double v = InstantQuery.scalar(vmUrl, q, at, Duration.ofMinutes(1));
            stored = Double.isNaN(v) ? 0 : (long) v;
            if (holds(stored, expected) || System.nanoTime() > deadline) return stored;
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return stored;
            }
        }
    }

    /** The last lines of vmalert's log, for an error message. */
    static String tail(Path log, int lines) {
        try {
            var all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    /** A duration as vmalert's flags write it (1h, 5m, 30s). */
    static String promDuration(Duration d) {
        return GrafanaRange.text(d.toMillis());
    }
}
