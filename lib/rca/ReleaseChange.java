/**
 * A release seen going live on a deployment: from a {@code deployment_start} line when the run has them, otherwise
 * the first line that carries the new release after another one had been running there.
 */
record ReleaseChange(String deploymentId, String releaseId, long atMicros, boolean announced) {

    String serviceKey() {
        String[] parts = deploymentId.split(":");
        return parts.length >= 11 ? parts[8] + ":" + parts[9] : deploymentId;
    }
}
