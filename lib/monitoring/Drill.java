import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An incident drill, {@code --inject COMPONENT[:RATE][@START][+DURATION]}: break a hidden infrastructure component
 * {@code START} after the live run begins (default at once) for {@code DURATION} (default 10m), failing {@code RATE}
 * of its services' requests (default {@link #DEFAULT_RATE}); callers fail through it at {@code cascade_amplification}
 * times that, at most 0.95. {@code redis_feed}, {@code aurora_primary:0.2@5m+15m}.
 */
record Drill(String component, double rate, long startAfterMicros, long durationMicros) {
    static final double DEFAULT_RATE = 0.05;
    static final String DEFAULT_DURATION = "10m";
    private static final Pattern SPEC = Pattern.compile("([A-Za-z0-9_.-]+)(?::([0-9]*\\.?[0-9]+))?(?:@([0-9]+[smhd]))?(?:\\+([0-9]+[smhd]))?");

    Drill {
        if (!(rate > 0 && rate <= 1)) throw new IllegalArgumentException("failure rate must be in (0, 1], got " + rate);
        if (startAfterMicros < 0) throw new IllegalArgumentException("start must not be negative");
        if (durationMicros <= 0) throw new IllegalArgumentException("duration must be positive");
    }

    /** Parses a spec; IllegalArgumentException naming the flag, the spec and, for an unknown component, the known ones. */
    static Drill parse(String spec, List<String> components) {
        var m = SPEC.matcher(spec.trim());
        if (!m.matches())
            throw new IllegalArgumentException("--inject \"" + spec + "\" is not COMPONENT[:RATE][@START][+DURATION], e.g. redis_feed:0.2@5m+15m");
        String c = m.group(1);
        if (!components.contains(c)) throw new IllegalArgumentException("--inject: " + unknownComponent(c, components));
        try {
            double rate = m.group(2) == null ? DEFAULT_RATE : Double.parseDouble(m.group(2));
            // @0s is "at once", the default spelled out
            long start = m.group(3) == null || m.group(3).matches("0+[smhd]") ? 0 : Scenario.parseDuration(m.group(3), "START").toNanos() / 1000;
            long duration = Scenario.parseDuration(m.group(4) == null ? DEFAULT_DURATION : m.group(4), "DURATION").toNanos() / 1000;
            return new Drill(c, rate, start, duration);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--inject \"" + spec + "\": " + e.getMessage());
        }
    }

    static String unknownComponent(String c, List<String> components) {
        return String.format(Locale.ROOT, "unknown component \"%s\"; the model's components are %s", c, String.join(", ", components));
    }
}
