import java.util.Objects;

/** One user-facing request type of a service: its category, frequency, payload and latency model. */
record ServiceAction(String stack, String service, String action, String category, double weight, boolean isWrite,
                     String objectType, boolean hasTargetUser, double baseLatencyMs, double latencyStddevMs,
                     double basePayloadBytes, double payloadStddevBytes) {
    ServiceAction {
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(category, "category");
        if (!(weight >= 0)) throw new IllegalArgumentException("weight must be >= 0, got " + weight);
        if (!(baseLatencyMs > 0)) throw new IllegalArgumentException("base_latency_ms must be > 0, got " + baseLatencyMs);
        if (!(latencyStddevMs >= 0)) throw new IllegalArgumentException("latency_stddev_ms must be >= 0, got " + latencyStddevMs);
        if (!(basePayloadBytes > 0)) throw new IllegalArgumentException("base_payload_bytes must be > 0, got " + basePayloadBytes);
        if (!(payloadStddevBytes >= 0)) throw new IllegalArgumentException("payload_stddev_bytes must be >= 0, got " + payloadStddevBytes);
    }

    /** {@code <stack>:<service>}, the key dependencies and infrastructure use. */
    String serviceKey() { return stack + ":" + service; }
}
