import java.net.URI;
import java.util.List;

/**
 * Tempo's own counts, from the /metrics page of its HTTP API (port 3200 by default, not the OTLP receiver's port):
 * spans the distributor received, and spans discarded after that (trace too large, live traces exceeded, rate
 * limited, ...) by reason. Tempo answers the OTLP request before an ingester discards, so a 200 alone does not
 * mean stored. Both counters carry a {@code tenant} label ({@code single-tenant} unless multi-tenancy is on).
 */
final class TempoCounters {
    /** Tempo's HTTP API port (server.http_listen_port), where /metrics is served. */
    static final int HTTP_PORT = 3200;

    private TempoCounters() {}

    /**
     * The counters on {@code metricsUrl} (a base URL gets {@code /metrics} appended), summed over every tenant,
     * or only {@code tenant}'s when it is not null.
     */
    static ServerCounters of(URI metricsUrl, String tenant) {
        String only = tenant == null || tenant.isBlank() ? "" : "{tenant=\"" + tenant + "\"}";
        return new ServerCounters(page(metricsUrl),
                List.of("tempo_distributor_spans_received_total" + only),
                List.of("tempo_discarded_spans_total" + only),
                List.of(), "reason");
    }

    /** Where Tempo serves /metrics when the OTLP receiver is at {@code otlpUrl}: the same host, port 3200. */
    static URI defaultMetricsUrl(URI otlpUrl) {
        String host = otlpUrl.getHost() == null ? "localhost" : otlpUrl.getHost();
        if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
        return URI.create("http://" + host + ":" + HTTP_PORT + "/metrics");
    }

    /** {@code url} or, when it names no page, its /metrics. */
    static URI page(URI url) {
        String s = url.toString();
        String path = url.getPath() == null ? "" : url.getPath();
        return path.isEmpty() || path.equals("/") ? URI.create(s.replaceAll("/+$", "") + "/metrics") : url;
    }
}
