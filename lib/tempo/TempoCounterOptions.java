import java.net.URI;
import picocli.CommandLine.Option;

/** Where Tempo's own counters are read (a picocli mixin): export-tempo's and generate-monitoring --to tempo's flags. */
final class TempoCounterOptions {
    @Option(names = "--tempo-metrics-url", paramLabel = "URL",
            description = "Tempo's /metrics page (or its HTTP API base URL), read before and after: spans received and spans discarded "
                    + "after the 200, by reason. Default: port " + TempoCounters.HTTP_PORT + " on the host of the OTLP URL.")
    URI metricsUrl;

    /** The counters of tenant {@code tenant} (null: the sum over all) for a Tempo whose OTLP receiver is at {@code otlpUrl}. */
    ServerCounters counters(URI otlpUrl, String tenant) {
        return TempoCounters.of(metricsUrl != null ? metricsUrl : TempoCounters.defaultMetricsUrl(otlpUrl), tenant);
    }
}
