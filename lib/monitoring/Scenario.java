import java.time.Duration;
import java.util.Locale;

/**
 * A load preset. {@code realistic}: steady load with the model's normal incident and deployment rates.
 * {@code stress}: heavy churn, several times the incidents and deployments, traffic bursts, more releases.
 * {@code rootsPerSecond} and {@code users} apply when no event and user counts are given.
 */
record Scenario(String name, double rootsPerSecond, int users, double incidentFactor, double deploymentFactor,
                double burstsPerDay, UniformRange burstMinutes, UniformRange burstFactor) {
    static final Scenario DEFAULT = new Scenario("default", 0, 0, 1, 1, 0, new UniformRange(0, 0), new UniformRange(1, 1));
    static final Scenario REALISTIC = new Scenario("realistic", 2, 1_000, 1, 1, 0, new UniformRange(0, 0), new UniformRange(1, 1));
    static final Scenario STRESS = new Scenario("stress", 10, 5_000, 5, 4, 6, new UniformRange(10, 45), new UniformRange(3, 6));

    static Scenario named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "realistic" -> REALISTIC;
            case "stress" -> STRESS;
            default -> throw new IllegalArgumentException("--scenario must be realistic or stress, got \"" + name + "\"");
        };
    }

    /** {@code 1h}, {@code 6h}, {@code 24h}, {@code 2d}, {@code 7d}, also {@code 30m}, {@code 365d}. */
    static Duration parseDuration(String text) { return parseDuration(text, "--duration"); }

    /** {@code 30s}, {@code 15m}, {@code 6h}, {@code 2d}; the error names {@code flag}. */
    static Duration parseDuration(String text, String flag) {
        var m = java.util.regex.Pattern.compile("(\\d+)([smhd])").matcher(text.trim().toLowerCase(Locale.ROOT));
        String examples = flag.equals("--duration") ? "1h, 6h, 24h, 2d or 7d" : "15s, 30s, 1m";
        if (!m.matches()) throw new IllegalArgumentException(flag + " must look like " + examples + ", got \"" + text + "\"");
        long n = Long.parseLong(m.group(1));
        if (n <= 0) throw new IllegalArgumentException(flag + " must be positive, got \"" + text + "\"");
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
