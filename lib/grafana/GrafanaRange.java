import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * A dashboard's time range as Grafana resolves it ({@code now-1y} .. {@code now}, or ISO instants), and the
 * {@code $__interval} Grafana derives from it: the range over the panel's data points, rounded to Grafana's steps,
 * never below the data source's minimum interval.
 */
record GrafanaRange(Instant from, Instant to) {
    private static final Pattern RELATIVE = Pattern.compile("now(?:-(\\d+)([smhdwMy]))?");

    static GrafanaRange parse(String from, String to, Instant now) {
        var range = new GrafanaRange(instant(from, now), instant(to, now));
        if (!range.from().isBefore(range.to())) throw new IllegalArgumentException("time range " + from + " .. " + to + " is empty");
        return range;
    }

    /** {@code now}, {@code now-<n><unit>} (s m h d w M y, months 30 days and years 365 as Grafana counts them), or ISO-8601. */
    static Instant instant(String text, Instant now) {
        var m = RELATIVE.matcher(text.strip());
        if (m.matches()) {
            if (m.group(1) == null) return now;
            long n = Long.parseLong(m.group(1));
            Duration unit = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(1);
                case "m" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                case "d" -> Duration.ofDays(1);
                case "w" -> Duration.ofDays(7);
                case "M" -> Duration.ofDays(30);
                default -> Duration.ofDays(365);
            };
            return now.minus(unit.multipliedBy(n));
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time: " + text + " (now, now-7d, now-1y or an ISO-8601 instant)");
        }
    }

    long rangeMs() {
        return Duration.between(from, to).toMillis();
    }

    /** Grafana's {@code $__interval} in ms for a panel showing {@code maxDataPoints} points. */
    long intervalMs(int maxDataPoints, long minIntervalMs) {
        return Math.max(minIntervalMs, round(rangeMs() / Math.max(1, maxDataPoints)));
    }

    /** Grafana's rounding of a raw interval to a readable step (its rangeutil table). */
    static long round(long ms) {
        long[][] table = {
                {15, 10}, {35, 20}, {75, 50}, {150, 100}, {350, 200}, {750, 500}, {1_500, 1_000}, {3_500, 2_000},
                {7_500, 5_000}, {12_500, 10_000}, {17_500, 15_000}, {25_000, 20_000}, {45_000, 30_000}, {90_000, 60_000},
                {210_000, 120_000}, {450_000, 300_000}, {750_000, 600_000}, {1_050_000, 900_000}, {1_500_000, 1_200_000},
                {2_700_000, 1_800_000}, {5_400_000, 3_600_000}, {9_000_000, 7_200_000}, {16_200_000, 10_800_000},
                {27_000_000, 21_600_000}, {39_600_000, 43_200_000}, {604_800_000, 86_400_000},
                {1_814_400_000, 604_800_000}, {3_628_800_000L, 2_592_000_000L}};
        for (long[] row : table) if (ms < row[0]) return row[1];
        return 31_536_000_000L;
    }

    /** A duration as Grafana writes {@code $__interval}: the largest whole unit (12h, 1d, 30s, 500ms). */
    static String text(long ms) {
        if (ms % 86_400_000 == 0) return ms / 86_400_000 + "d";
        if (ms % 3_600_000 == 0) return ms / 3_600_000 + "h";
        if (ms % 60_000 == 0) return ms / 60_000 + "m";
        if (ms % 1_000 == 0) return ms / 1_000 + "s";
        return ms + "ms";
    }
}
