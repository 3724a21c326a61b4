import java.util.concurrent.ConcurrentHashMap;

/**
 * The deployment labels of native series: the single-word release tags of {@link ReleaseId} without {@code release},
 * plus {@code deployment_id}, the one composite dashboards select a deployment by.
 * <ul>
 * <li>No {@code release} or {@code release_id}: a deploy changes no series (each release would otherwise start a new
 * set of series, 13.7k label sets instead of 1.1k for 100000 events).
 * <li>No other composite ids ({@code provider_id} ... {@code service_id}): they join labels the series already carry
 * ({@code label_join} rebuilds them), and VictoriaMetrics writes per-day index rows for every label of every series
 * on every day it has samples. A year of sparse counters has about ten samples per series-day, so those rows, not
 * the samples, bound the import: six fewer labels import about 1.4x faster.
 * </ul>
 * {@code service} and {@code stack} are written by the series themselves. One shared instance per deployment id,
 * whichever worker asks first.
 */
final class NativeLabels {
    /**
     * One deployment: its id, its labels as a JSON fragment {@code ,"environment":"prod",...}, and a small number for
     * lookups (given in the order deployments are first met, so it may differ between runs; it never reaches output).
     */
    record Deployment(String id, byte[] json, int number) {}

    private static final java.util.concurrent.atomic.AtomicInteger NUMBERS = new java.util.concurrent.atomic.AtomicInteger();
    private static final ConcurrentHashMap<String, Deployment> BY_RELEASE = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, Deployment> BY_DEPLOYMENT = new ConcurrentHashMap<>();

    private NativeLabels() {}

    static Deployment of(String releaseId) {
        Deployment d = BY_RELEASE.get(releaseId);
        if (d != null) return d;
        ReleaseId r = ReleaseId.parse(releaseId);
        d = BY_DEPLOYMENT.computeIfAbsent(r.deploymentId(), id -> new Deployment(id, fragment(r), NUMBERS.getAndIncrement()));
        BY_RELEASE.putIfAbsent(releaseId, d);
        return d;
    }

    private static byte[] fragment(ReleaseId r) {
        var sb = new StringBuilder(400);
        for (var e : r.tags().entrySet()) {
            String k = e.getKey();
            if (k.equals("release") || k.equals("service") || k.equals("stack")) continue;
            if (ReleaseId.COMPOSITE_NAMES.contains(k) && !k.equals("deployment_id")) continue;
            sb.append(",\"").append(k).append("\":\"").append(new String(JsonLineBuffer.escaped(e.getValue()),
                    java.nio.charset.StandardCharsets.UTF_8)).append('"');
        }
        return sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
