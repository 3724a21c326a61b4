import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The flags every importer shares (a picocli mixin): batching, workers, retries, resume, bad-line policy.
 * Defaults here are the only ones; each store adds its own URL flag.
 */
final class DeliveryOptions {
    /** How request bodies are compressed. */
    enum Gzip { auto, always, never }

    @Option(names = "--workers", defaultValue = "8",
            description = "Most requests in flight; the importer starts lower and finds the server's pace (AIMD) under this ceiling. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--readers", defaultValue = "2",
            description = "Input files read in parallel. Default: ${DEFAULT-VALUE}.")
    int readers;

    @Option(names = "--batch-size", defaultValue = "10000",
            description = "Records per request at most. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--batch-mb", defaultValue = "16",
            description = "Uncompressed MiB per request at most (whichever of --batch-size and this comes first). Default: ${DEFAULT-VALUE}.")
    int batchMb;

    @Option(names = "--gzip", defaultValue = "auto",
            description = "Compress request bodies: ${COMPLETION-CANDIDATES}; auto = gzip unless the server is on this machine (loopback, where CPU costs more than bytes). Default: ${DEFAULT-VALUE}.")
    Gzip gzip;

    @Option(names = "--timeout", defaultValue = "60",
            description = "Seconds to wait for an answer before retrying. Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Option(names = "--attempts", defaultValue = "8",
            description = "Attempts per batch before it counts as failed (429, 5xx, timeouts and connection errors are retried). Default: ${DEFAULT-VALUE}.")
    int attempts;

    @Option(names = "--retry-delay-ms", defaultValue = "1000",
            description = "First retry delay; each next one is 1.7x longer (+-20%% jitter), capped at 30x this; a longer Retry-After wins up to the cap. Default: ${DEFAULT-VALUE}.")
    int retryDelayMs;

    @Option(names = "--resume",
            description = "Skip what the checkpoint says the server already acknowledged (after a killed or failed run) and continue.")
    boolean resume;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "Checkpoint file. Default: .dev/cache/<step>/<host>_<port>.tsv (several endpoints: their names joined by +; a tenant adds @<tenant>).")
    java.nio.file.Path checkpoint;

    @Option(names = "--fail-fast", description = "Stop at the first bad line or undeliverable batch.")
    boolean failFast;

    @Option(names = "--skip-bad", description = "Exit 0 even when bad input lines were skipped (they are still reported).")
    boolean skipBad;

    @Option(names = "--no-server-counters", negatable = false,
            description = "Do not read the server's /metrics counters before and after the run.")
    boolean noServerCounters;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Option(names = "--tenant", paramLabel = "TENANT",
            description = "Tenant of a multi-tenant store: accountID[:projectID] for VictoriaMetrics (cluster vminsert path /insert/<tenant>/prometheus) "
                    + "and VictoriaLogs (AccountID/ProjectID headers), an org id for Tempo (X-Scope-OrgID). Default: none (single-tenant).")
    String tenant;

    boolean gzipFor(java.net.URI url) { return gzipFor(gzip, url); }

    /** Whether bodies to {@code url} are gzipped under this policy: auto = unless the server is on this machine. */
    static boolean gzipFor(Gzip gzip, java.net.URI url) {
        return switch (gzip) {
            case always -> true;
            case never -> false;
            case auto -> {
                String h = url.getHost() == null ? "" : url.getHost();
                yield !(h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1"));
            }
        };
    }

    Backoff backoff() { return backoff(retryDelayMs, attempts); }

    static Backoff backoff(int retryDelayMs, int attempts) {
        return new Backoff(Duration.ofMillis(retryDelayMs), 1.7, Duration.ofMillis(Math.max(retryDelayMs, 30L * retryDelayMs)),
                attempts, 0.2, 1);
    }

    /** The sender's configuration for one plain endpoint (no tenant, no counters). */
    BatchSender.Config senderConfig(java.net.URI url) { return senderConfig(List.of(StoreEndpoint.plain(url, null))); }

    BatchSender.Config senderConfig(List<StoreEndpoint> endpoints) {
        return senderConfig(endpoints, workers, batchSize, batchMb, gzip, timeoutSeconds, attempts, retryDelayMs, failFast);
    }

    /**
     * The sender's configuration from the values of these flags (for callers with flags of their own names); gzip
     * follows the first endpoint.
     */
    static BatchSender.Config senderConfig(List<StoreEndpoint> endpoints, int workers, int batchSize, int batchMb, Gzip gzip,
                                           int timeoutSeconds, int attempts, int retryDelayMs, boolean failFast) {
        return new BatchSender.Config(endpoints, workers, Math.max(1, Math.min(workers, 2)), batchSize, (long) batchMb << 20,
                gzipFor(gzip, endpoints.get(0).base()), Duration.ofSeconds(timeoutSeconds), backoff(retryDelayMs, attempts), failFast);
    }

    /**
     * {@code --checkpoint}, or one file per store, tenant and set of endpoints: {@code .dev/cache/<step>/<host>_<port>.tsv}
     * for one endpoint, the endpoints' names joined by {@code +} for several (the acknowledged ranges hold whichever
     * endpoint took them, so a resumed run may use any of them).
     */
    java.nio.file.Path checkpointFor(String step, List<StoreEndpoint> endpoints) {
        if (checkpoint != null) return checkpoint;
        var names = new java.util.ArrayList<String>();
        for (StoreEndpoint e : endpoints) names.add(e.key());
        return java.nio.file.Path.of(".dev", "cache", step, String.join("+", names) + ".tsv");
    }
}
