import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags of {@code generate-monitoring --to} (a picocli mixin): where the output goes, the stores' URLs, and the
 * importers' delivery flags under names that do not clash with the generator's own ({@code --send-workers} is the
 * importers' {@code --workers}). Defaults are the importers' defaults.
 */
final class StreamOptions {
    @Option(names = "--to", split = ",", defaultValue = "files", paramLabel = "DEST",
            description = "Where the output goes, comma-separated, any subset: files (the --output directory), vm (VictoriaMetrics: raw and native metrics, "
                    + "as import-vm), vl (VictoriaLogs: logs, as import-vl), tempo (Tempo: logs as spans, as export-tempo), otlp (any OTLP/HTTP receiver, "
                    + "e.g. an OpenTelemetry Collector: logs, traces, raw metrics as gauges, native ones as sums and histograms with exemplars). "
                    + "Stores get the data directly, "
                    + "no files in between. null alone: generate and encode everything, then throw it away (for benchmarks of the generator). "
                    + "Default: ${DEFAULT-VALUE}.")
    List<String> to;

    @Option(names = "--vm-url", split = ",", paramLabel = "URL", defaultValue = "http://localhost:8428",
            description = "VictoriaMetrics base URL(s), for --to vm; several share the batches (see the importers). Default: ${DEFAULT-VALUE}.")
    List<URI> vmUrls;

    @Option(names = "--vl-url", split = ",", paramLabel = "URL", defaultValue = "http://localhost:9428",
            description = "VictoriaLogs base URL(s), for --to vl. Default: ${DEFAULT-VALUE}.")
    List<URI> vlUrls;

    @Option(names = "--tempo-url", split = ",", paramLabel = "URL", defaultValue = "http://localhost:4318",
            description = "Tempo OTLP/HTTP receiver base URL(s), for --to tempo. Default: ${DEFAULT-VALUE}.")
    List<URI> tempoUrls;

    @Option(names = "--otlp-url", split = ",", paramLabel = "URL", defaultValue = "http://localhost:4318",
            description = "OTLP/HTTP receiver base URL(s), for --to otlp: protobuf to <URL>/v1/logs, /v1/traces and /v1/metrics. Default: ${DEFAULT-VALUE}.")
    List<URI> otlpUrls;

    @Option(names = "--otlp-header", paramLabel = "NAME=VALUE",
            description = "A header sent with every OTLP request, e.g. 'Authorization=Bearer x' for a vendor's receiver; repeatable. "
                    + "Values are never printed. Default: none.")
    List<String> otlpHeaders;

    @Option(names = "--tenant", paramLabel = "ACCOUNT[:PROJECT]",
            description = "Tenant for --to vm (vminsert path /insert/<tenant>/prometheus) and vl (AccountID/ProjectID headers). Default: none.")
    String tenant;

    @Option(names = "--tempo-tenant", paramLabel = "ORG",
            description = "Tempo org id for --to tempo (X-Scope-OrgID). Default: none.")
    String tempoTenant;

    @Mixin
    TempoCounterOptions tempoCounters;

    @Option(names = "--send-workers", defaultValue = "8", paramLabel = "N",
            description = "Most requests in flight per store (the importers' --workers): it starts lower and finds the store's pace under this ceiling. Default: ${DEFAULT-VALUE}.")
    int sendWorkers;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Records per request at most. Default: 10000 (Tempo: 2000 spans; OTLP: 5000).")
    Integer batchSize;

    @Option(names = "--batch-mb", paramLabel = "MiB",
            description = "Uncompressed MiB per request at most. Default: 16 (Tempo: 4, its default message limit; OTLP: 4, the Collector's gRPC default "
                    + "that many pipelines keep after the receiver).")
    Integer batchMb;

    @Option(names = "--gzip", defaultValue = "auto",
            description = "Compress request bodies: ${COMPLETION-CANDIDATES}; auto = gzip unless the store is on this machine. Default: ${DEFAULT-VALUE}.")
    DeliveryOptions.Gzip gzip;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS", description = "Seconds to wait for an answer before retrying. Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Option(names = "--attempts", defaultValue = "8",
            description = "Attempts per batch before it counts as not delivered (429, 5xx, timeouts and connection errors are retried). Default: ${DEFAULT-VALUE}.")
    int attempts;

    @Option(names = "--retry-delay-ms", defaultValue = "1000",
            description = "First retry delay; each next one is 1.7x longer (+-20%% jitter), capped at 30x this. Default: ${DEFAULT-VALUE}.")
    int retryDelayMs;

    @Option(names = "--fail-fast", description = "Stop generating at the first batch a store does not take.")
    boolean failFast;

    @Option(names = "--no-server-counters", negatable = false,
            description = "Do not read the stores' /metrics counters before and after (the stores are still probed before generating).")
    boolean noServerCounters;

    /** {@code --to null}: everything encoded and thrown away; throws IllegalArgumentException when named with anything else. */
    boolean discard() {
        boolean discard = to.stream().anyMatch(d -> d.trim().equalsIgnoreCase("null"));
        if (discard && to.size() > 1)
            throw new IllegalArgumentException("--to null throws everything away; it goes alone, got " + String.join(",", to));
        return discard;
    }

    /** Whether files are written too. */
    boolean files() { return to.stream().anyMatch(d -> d.trim().equalsIgnoreCase("files")); }

    /** The stores named in --to; throws IllegalArgumentException naming an unknown destination or a flag out of range. */
    Set<MonitoringStores.Store> stores() {
        atLeastOne("--send-workers", sendWorkers);
        atLeastOne("--attempts", attempts);
        atLeastOne("--timeout", timeoutSeconds);
        if (batchSize != null) atLeastOne("--batch-size", batchSize);
        if (batchMb != null) atLeastOne("--batch-mb", batchMb);
        if (retryDelayMs < 0) throw new IllegalArgumentException("--retry-delay-ms must be >= 0, got " + retryDelayMs);
        var out = EnumSet.noneOf(MonitoringStores.Store.class);
        for (String d : to) {
            String name = d.trim().toLowerCase(Locale.ROOT);
            if (name.equals("files") || name.equals("null")) continue;
            out.add(MonitoringStores.Store.named(name));
        }
        for (MonitoringStores.Store s : out) endpoints(s); // a bad tenant or URL list fails before anything is generated
        return out;
    }

    private static void atLeastOne(String flag, int value) {
        if (value < 1) throw new IllegalArgumentException(flag + " must be >= 1, got " + value);
    }

    /** The store's endpoints with the tenant; IllegalArgumentException for a bad tenant or a URL given twice. */
    List<StoreEndpoint> endpoints(MonitoringStores.Store store) {
        return switch (store) {
            case VM -> StoreEndpoint.all(vmUrls, tenant, VmImportLine::endpoint);
            case VL -> StoreEndpoint.all(vlUrls, tenant, VlJsonLine::endpoint);
            case TEMPO -> StoreEndpoint.all(tempoUrls, tempoTenant,
                    (base, orgId) -> OtlpTraceBody.endpoint(base, orgId).withCounters(tempoCounters.counters(base, orgId)));
            case OTLP -> {
                var headers = new java.util.ArrayList<StoreEndpoint.Header>();
                if (otlpHeaders != null) for (String h : otlpHeaders) headers.add(OtlpHttp.header(h));
                yield StoreEndpoint.all(otlpUrls, null, (base, none) -> OtlpHttp.endpoint(base, headers));
            }
        };
    }

    BatchSender.Config senderConfig(MonitoringStores.Store store) {
        boolean tempo = store == MonitoringStores.Store.TEMPO, otlp = store == MonitoringStores.Store.OTLP;
        int size = batchSize != null ? batchSize : tempo ? 2000 : otlp ? 5000 : 10_000;
        int mb = batchMb != null ? batchMb : tempo || otlp ? 4 : 16;
        return DeliveryOptions.senderConfig(endpoints(store), sendWorkers, size, mb, gzip, timeoutSeconds, attempts, retryDelayMs, failFast);
    }
}
