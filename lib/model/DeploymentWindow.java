/**
 * A rolling restart of one release on one environment/region, [start, end) in epoch microseconds UTC. Inside it,
 * traffic dips to {@code throughputFactor}, server errors rise by {@code errorRateBoost} and latency is multiplied.
 */
record DeploymentWindow(String stack, String service, String env, String region, String releaseId,
                        long startMicros, long endMicros, double throughputFactor, double errorRateBoost,
                        double latencyMultiplier) {
    DeploymentWindow {
        if (endMicros <= startMicros) throw new IllegalArgumentException("deployment window ends before it starts");
        if (releaseId.lastIndexOf(':') < 0) throw new IllegalArgumentException("release id without a release number: " + releaseId);
    }

    /** The release id without its release number. */
    String deploymentId() { return releaseId.substring(0, releaseId.lastIndexOf(':')); }

    boolean activeAt(long micros) { return micros >= startMicros && micros < endMicros; }
}
