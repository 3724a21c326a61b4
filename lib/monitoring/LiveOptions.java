import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The flags only live mode has (a picocli mixin of {@code generate-monitoring} and {@code live}). */
final class LiveOptions {
    @Option(names = "--rate", paramLabel = "ROOTS_PER_S",
            description = "Root requests per second, paced by a token bucket (child spans come on top, ~2.7x in all); with --scenario its base rate, "
                    + "the personas' hour-of-week weights applied at the current wall time. Default: the scenario's (realistic 2, stress 10).")
    Double rate;

    @Option(names = "--users", paramLabel = "N", description = "Simulated users (default: the scenario's, else 1000).")
    Integer users;

    @Option(names = "--serve-metrics", paramLabel = "HOST:PORT",
            description = "Serve the native metrics as the services would expose them, OpenMetrics text with exemplars (Prometheus text to "
                    + "scrapers that do not ask for OpenMetrics), at http://HOST:PORT/metrics, and the drill API on the same port: "
                    + "GET/POST /incidents, DELETE /incidents/{id}, POST /deployments. Port 0 picks a free one. Default: not served.")
    String serveMetrics;

    @Option(names = "--inject", paramLabel = "COMPONENT[:RATE][@START][+DURATION]",
            description = "Incident drill, repeatable: break an infrastructure component START after the start (default at once) for DURATION "
                    + "(default " + Drill.DEFAULT_DURATION + "), failing RATE of its services' requests (default " + Drill.DEFAULT_RATE
                    + "); callers fail through it at cascade_amplification x RATE (at most 0.95). E.g. redis_feed:0.2@1m+5m.")
    List<String> inject = new ArrayList<>();
}
