import java.util.List;
import java.util.Map;
import java.util.Set;

/** Platform-wide parameters from {@code platform.json} and the incident parameters of {@code infrastructure.json}. */
record PlatformSettings(
        String application,
        List<Placement> placements,
        String releaseIdFormat,
        // errors
        double clientErrorProbability, List<String> clientCodes, List<String> serverCodes,
        Map<String, String> errorMessages, Set<String> errorLevelTypes, List<String> deploymentErrorCodes,
        // incidents
        UniformRange incidentsPerComponentPerYear, UniformRange incidentMinutes, double cascadeAmplification,
        // deployments
        double buildsPerServicePerYear, UniformRange cicdDelayMinutes, UniformRange staggerMinutes,
        UniformRange deployMinutes, UniformRange throughputFactor, UniformRange errorRateBoost,
        UniformRange deployLatencyMultiplier,
        // latency of failed requests
        double failureFastProbability, double failureFastFactor, double failureSlowFactor,
        // child spans
        double childStartOffsetFraction, UniformRange childDurationRatio, double childEndLimitFraction,
        double childPayloadBytes, double childPayloadStddevBytes,
        // metrics
        double exemplarSlowThresholdMs, double exemplarRandomFraction, double cacheHitProbability,
        List<String> hashtags) {

    /** The message of an HTTP status from the error table. */
    String messageFor(String code) {
        String m = errorMessages.get(code);
        return m != null ? m : "HTTP " + code;
    }

    /** A synthetic release id for a placement, service and release number, from {@link #releaseIdFormat}. */
    String releaseId(Placement p, String stack, String service, long release) {
        return releaseIdFormat.replace("{env}", p.env()).replace("{account}", p.account()).replace("{region}", p.region())
                .replace("{application}", application).replace("{stack}", stack).replace("{service}", service)
                .replace("{release}", Long.toString(release));
    }
}
