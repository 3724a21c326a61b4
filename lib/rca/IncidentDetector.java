import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The baseline: finds incidents in the logs alone, never in the platform model. Errors are grouped by signature
 * (error type and message with identifiers masked, so one failure looks the same on every service and through
 * its callers); a signature's errors close in time ({@code mergeGap}) form a candidate, kept when that many errors
 * are unlikely from the signature's rate over the run (Poisson tail at most {@code alpha}). The services in one
 * candidate failed together, so they get one hidden cause: a deployment when their deployments took a new release
 * shortly before ({@code deployLookback}; one finding per release, each tested against its own deployment's errors),
 * otherwise an infrastructure component (and, when callers failed through it, the same cause as a dependency cascade
 * blaming the upstream they name), or a dependency when only callers report it. The component's name is read
 * from the failing lines' {@code error_source} when they give one (a service logging the resource it failed on);
 * the grouping, the windows and the cause kind never use it.
 */
final class IncidentDetector {

    /** Detector settings; the defaults are the ones the README's figures were measured with. */
    record Settings(long mergeGapMicros, double alpha, long deployLookbackMicros) {
        Settings {
            if (mergeGapMicros <= 0) throw new IllegalArgumentException("merge gap must be positive");
            if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
            if (deployLookbackMicros < 0) throw new IllegalArgumentException("deploy lookback must not be negative");
        }
    }

    private final Settings settings;
    private final Map<String, Long> signatureCounts = new java.util.HashMap<>(); // signature + deployment -> errors in the run

    IncidentDetector(Settings settings) { this.settings = settings; }

    List<Detection> detect(LogScan scan) {
        var bySignature = new TreeMap<String, List<LogError>>();
        signatureCounts.clear();
        for (LogError e : scan.errors) {
            bySignature.computeIfAbsent(e.signature(), k -> new ArrayList<>()).add(e);
            signatureCounts.merge(e.signature() + "\n" + e.deploymentId(), 1L, Long::sum);
        }
        var findings = new ArrayList<Detection>();
        long requests = Math.max(1, scan.requests);
        for (var errorsOfSignature : bySignature.values()) {
            double rate = (double) errorsOfSignature.size() / requests;
            var cluster = new ArrayList<LogError>();
            for (LogError e : errorsOfSignature) {
                if (!cluster.isEmpty() && e.timeMicros() - cluster.getLast().timeMicros() > settings.mergeGapMicros()) {
                    candidate(cluster, rate, scan, findings);
                    cluster = new ArrayList<>();
                }
                cluster.add(e);
            }
            candidate(cluster, rate, scan, findings);
        }
        findings.sort(Comparator.comparingLong(Detection::startMicros).thenComparing(f -> f.kind().name())
                .thenComparing(f -> String.valueOf(f.component()) + f.service() + f.releaseId()));
        return findings;
    }

    private void candidate(List<LogError> cluster, double rate, LogScan scan, List<Detection> out) {
        var roots = cluster.stream().filter(e -> !e.cascaded()).toList();
        if (deployments(roots, scan, out)) return;
        long first = cluster.getFirst().timeMicros(), last = cluster.getLast().timeMicros();
        long half = settings.mergeGapMicros() / 2;
        BiFunction<Long, Long, Double> expectedBetween = (from, to) -> rate * Math.max(1, scan.requestsBetween(from - half, to + half));
        double log10p = poissonTailLog10(cluster.size(), expectedBetween.apply(first, last));
        if (log10p > Math.log10(settings.alpha())) return;
        long detected = detectedAt(cluster, expectedBetween);
        int services = (int) cluster.stream().map(LogError::serviceKey).distinct().count();
        long start = first, end = last + 1; // a window holds its last error
        if (!roots.isEmpty()) {
            String component = mostCommon(roots, e -> e.errorSource() != null && e.errorSource().startsWith("infrastructure:")
                    ? e.errorSource().substring("infrastructure:".length()) : null);
            String blamed = component != null ? component : roots.getFirst().signature();
            out.add(new Detection(start, end, detected, CauseKind.INFRASTRUCTURE, blamed, mostCommon(roots, LogError::serviceKey), null,
                    -log10p,
                    cluster.size(), services));
            // callers failed through it too: the same cause seen as a dependency cascade, blaming the upstream they name
            var cascaded = cluster.stream().filter(LogError::cascaded).toList();
            if (!cascaded.isEmpty())
                out.add(new Detection(cascaded.getFirst().timeMicros(), cascaded.getLast().timeMicros() + 1,
                        Math.max(detected, cascaded.getFirst().timeMicros()), CauseKind.DEPENDENCY, blamed,
                        mostCommon(cascaded, LogError::upstreamService), null, -log10p, cascaded.size(),
                        (int) cascaded.stream().map(LogError::serviceKey).distinct().count()));
        } else {
            out.add(new Detection(start, end, detected, CauseKind.DEPENDENCY, null, mostCommon(cluster, LogError::upstreamService), null, -log10p,
                    cluster.size(), services));
        }
    }

    /**
     * When most root errors fall on deployments that took a new release within the lookback, one finding per such
     * release, each tested against its own deployment: that many errors of the signature there, in so short a time,
     * against the deployment's count of them over the whole run spread evenly. True when the group was a deployment
     * group (its findings, if significant, added).
     */
    private boolean deployments(List<LogError> roots, LogScan scan, List<Detection> out) {
        var byRelease = new TreeMap<String, List<LogError>>();
        var changes = new TreeMap<String, ReleaseChange>();
        for (LogError e : roots) {
            ReleaseChange c = deployedBefore(e, scan);
            if (c == null) continue;
            byRelease.computeIfAbsent(c.releaseId(), k -> new ArrayList<>()).add(e);
            changes.put(c.releaseId(), c);
        }
        int matched = byRelease.values().stream().mapToInt(List::size).sum();
        if (roots.isEmpty() || 2 * matched < roots.size()) return false;
        long span = Math.max(60_000_000L, (scan.requestsPerMinute.lastKey() - scan.requestsPerMinute.firstKey() + 1) * 60_000_000L);
        for (var g : byRelease.entrySet()) {
            List<LogError> errors = g.getValue();
            LogError any = errors.getFirst();
            long first = errors.getFirst().timeMicros(), last = errors.getLast().timeMicros();
            long onDeployment = signatureCounts.getOrDefault(any.signature() + "\n" + any.deploymentId(), (long) errors.size());
            BiFunction<Long, Long, Double> expectedBetween =
                    (from, to) -> onDeployment * (double) Math.min(span, to - from + settings.mergeGapMicros()) / span;
            double log10p = poissonTailLog10(errors.size(), expectedBetween.apply(first, last));
            if (log10p > Math.log10(settings.alpha())) continue;
            out.add(new Detection(first, last + 1, detectedAt(errors, expectedBetween), CauseKind.DEPLOYMENT, null,
                    changes.get(g.getKey()).serviceKey(), g.getKey(), -log10p,
                    errors.size(), 1));
        }
        return true;
    }

    /** The time of the first error at which the errors so far were already unlikely enough to report. */
    private long detectedAt(List<LogError> errors, BiFunction<Long, Long, Double> expectedBetween) {
        long first = errors.getFirst().timeMicros();
        double limit = Math.log10(settings.alpha());
        for (int k = 0; k < errors.size(); k++) {
            long t = errors.get(k).timeMicros();
            if (poissonTailLog10(k + 1, expectedBetween.apply(first, t)) <= limit) return t;
        }
        return errors.getLast().timeMicros();
    }

    /** The release that went live on the error's deployment within the lookback before it, the latest one; null if none. */
    private ReleaseChange deployedBefore(LogError e, LogScan scan) {
        String dep = e.deploymentId();
        if (dep == null) return null;
        ReleaseChange found = null;
        for (ReleaseChange c : scan.changesOn(dep)) {
            if (c.atMicros() > e.timeMicros()) break;
            if (c.atMicros() >= e.timeMicros() - settings.deployLookbackMicros()) found = c;
        }
        return found;
    }

    private static String mostCommon(List<LogError> errors, Function<LogError, String> key) {
        var counts = new TreeMap<String, Integer>();
        for (LogError e : errors) {
            String k = key.apply(e);
            if (k != null) counts.merge(k, 1, Integer::sum);
        }
        String best = null;
        for (Map.Entry<String, Integer> c : counts.entrySet()) if (best == null || c.getValue() > counts.get(best)) best = c.getKey();
        return best;
    }

    /** log10 of P(X >= k) for X ~ Poisson(lambda), summed in log space so tiny tails do not underflow. */
    static double poissonTailLog10(int k, double lambda) {
        if (k <= 0) return 0;
        if (lambda <= 0) return Double.NEGATIVE_INFINITY;
        double logTerm = -lambda + k * Math.log(lambda);
        for (int i = 2; i <= k; i++) logTerm -= Math.log(i);
        double sum = 1, term = 1;
        for (int i = k + 1; i < k + 100_000; i++) {
            term *= lambda / i;
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return Math.min(0, (logTerm + Math.log(sum)) / Math.log(10));
    }
}
