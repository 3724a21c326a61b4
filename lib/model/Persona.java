import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A kind of user: how many users it has (relative share), how active they are, what they do, when, and how
 * often their requests fail on their own. Hours are UTC; days start on Monday.
 */
record Persona(String name, String archetype, String description, double userPercentage,
               double activityMultiplier, double activityJitter, double successRate, double latencyMultiplier,
               Map<String, Double> actionWeights, double[] hourlyWeights, double[] dailyWeights) {
    Persona {
        Objects.requireNonNull(name, "Persona.name");
        if (hourlyWeights.length != 24) throw new IllegalArgumentException("hourly_weights needs 24 values, got " + hourlyWeights.length);
        if (dailyWeights.length != 7) throw new IllegalArgumentException("daily_weights needs 7 values, got " + dailyWeights.length);
        if (!(successRate > 0 && successRate <= 1)) throw new IllegalArgumentException("success_rate must be in (0, 1], got " + successRate);
        if (!(userPercentage >= 0)) throw new IllegalArgumentException("user_percentage must be >= 0, got " + userPercentage);
        if (!(activityMultiplier > 0)) throw new IllegalArgumentException("activity_multiplier must be > 0, got " + activityMultiplier);
        if (!(activityJitter >= 0 && activityJitter < activityMultiplier))
            throw new IllegalArgumentException("activity_jitter must be in [0, activity_multiplier), got " + activityJitter);
        if (!(latencyMultiplier > 0)) throw new IllegalArgumentException("latency_multiplier must be > 0, got " + latencyMultiplier);
        // in the model's order: the weights are summed, and a sum's last bits depend on the order of its terms
        actionWeights = Collections.unmodifiableMap(new LinkedHashMap<>(actionWeights));
        for (var e : actionWeights.entrySet())
            if (!(e.getValue() >= 0)) throw new IllegalArgumentException("action_weights." + e.getKey() + " must be >= 0");
        for (double w : hourlyWeights) if (!(w >= 0)) throw new IllegalArgumentException("hourly_weights must be >= 0");
        for (double w : dailyWeights) if (!(w >= 0)) throw new IllegalArgumentException("daily_weights must be >= 0");
        if (sum(hourlyWeights) <= 0) throw new IllegalArgumentException("hourly_weights are all zero");
        if (sum(dailyWeights) <= 0) throw new IllegalArgumentException("daily_weights are all zero");
        hourlyWeights = hourlyWeights.clone();
        dailyWeights = dailyWeights.clone();
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double v : a) s += v;
        return s;
    }
}
