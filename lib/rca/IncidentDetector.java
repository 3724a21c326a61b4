import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The baseline: finds incidents in the logs alone, never in the platform model. Errors are grouped by signature
 * (error type and message with identifiers masked, so one failure looks the same on every service and through
 * its callers); a signature's errors close in time ({@code mergeGap}) form a candidate, kept when that many errors
 * are unlikely from the signature's rate over the run (Poisson tail at most {@code alpha}). The services in one
 * candidate failed together, so they get one hidden cause: a deployment when their deployments took a new release
 * shortly before ({@code deployLookback}), otherwise an infrastructure component, or a dependency when only callers
 * report it.
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

    IncidentDetector(Settings settings) { this.settings = settings; }

    List<Finding> detect(LogScan scan) {
        var bySignature = new TreeMap<String, List<LogError>>();
        for (LogError e : scan.errors) bySignature.computeIfAbsent(e.signature(), k -> new ArrayList<>()).add(e);
        var findings = new ArrayList<Finding>();
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
        findings.sort(Comparator.comparingLong(Finding::startMicros).thenComparing(f -> f.cause().name())
                .thenComparing(f -> String.valueOf(f.component()) + f.service() + f.releaseId()));
        return findings;
    }

    private void candidate(List<LogError> cluster, double rate, LogScan scan, List<Finding> out) {
        long first = cluster.getFirst().timeMicros(), last = cluster.getLast().timeMicros();
        long half = settings.mergeGapMicros() / 2;
        double expected = rate * Math.max(1, scan.requestsBetween(first - half, last + half));
        double log10p = poissonTailLog10(cluster.size(), expected);
        if (log10p > Math.log10(settings.alpha())) return;
        var roots = cluster.stream().filter(e -> !e.cascaded()).toList();
        int services = (int) cluster.stream().map(LogError::serviceKey).distinct().count();
        long start = first, end = last + 1; // a window holds its last error
        ReleaseChange release = deployedBefore(roots, scan);
        Finding f;
        if (release != null) {
            f = new Finding(start, end, Finding.Cause.deployment, null, release.serviceKey(), release.releaseId(), -log10p, cluster.size(), services);
        } else if (!roots.isEmpty()) {
            String component = mostCommon(roots, e -> e.errorSource() != null && e.errorSource().startsWith("infrastructure:")
                    ? e.errorSource().substring("infrastructure:".length()) : null);
            f = new Finding(start, end, Finding.Cause.infrastructure, component != null ? component : roots.getFirst().signature(),
                    mostCommon(roots, LogError::serviceKey), null, -log10p, cluster.size(), services);
        } else {
            f = new Finding(start, end, Finding.Cause.dependency, null, mostCommon(cluster, LogError::upstreamService), null, -log10p,
                    cluster.size(), services);
        }
        out.add(f);
    }

    /** The release that went live on the failing deployments within the lookback, when most root errors have one. */
    private ReleaseChange deployedBefore(List<LogError> roots, LogScan scan) {
        if (roots.isEmpty()) return null;
        var votes = new TreeMap<String, Integer>();
        var changes = new TreeMap<String, ReleaseChange>();
        for (LogError e : roots) {
            String dep = e.deploymentId();
            if (dep == null) continue;
            for (ReleaseChange c : scan.changesOn(dep)) {
                if (c.atMicros() > e.timeMicros()) break;
                if (c.atMicros() >= e.timeMicros() - settings.deployLookbackMicros()) {
                    votes.merge(c.releaseId(), 1, Integer::sum);
                    changes.put(c.releaseId(), c);
                }
            }
        }
        String best = null;
        for (var v : votes.entrySet()) if (best == null || v.getValue() > votes.get(best)) best = v.getKey();
        return best != null && 2 * votes.get(best) >= roots.size() ? changes.get(best) : null;
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
