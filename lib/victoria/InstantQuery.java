import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * One MetricsQL instant query that answers a single number ({@code sum(...)}, {@code min(...)}): VictoriaMetrics'
 * {@code /api/v1/query} (or vmselect's {@code /select/<tenant>/prometheus/api/v1/query} under a cluster URL).
 */
final class InstantQuery {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private InstantQuery() {}

    /** The query's value at {@code time}; NaN when it has no series. Errors name the query and the answer. */
    static double scalar(URI base, String query, Instant time, Duration timeout) {
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        var uri = URI.create(root + "api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time=" + time.getEpochSecond());
        try {
            var r = HTTP.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException(query + ": HTTP " + r.statusCode() + " " + brief(r.body()));
            JsonNode result = JSON.readTree(r.body()).path("data").path("result");
            if (!result.isArray()) throw new IllegalStateException(query + ": not a Prometheus query answer: " + brief(r.body()));
            if (result.isEmpty()) return Double.NaN;
            if (result.size() > 1) throw new IllegalStateException(query + ": " + result.size() + " series, expected one");
            return Double.parseDouble(result.get(0).path("value").path(1).asText());
        } catch (IOException e) {
            throw new UncheckedIOException(uri.getHost() + ":" + uri.getPort() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String brief(String body) {
        String one = body.strip().replaceAll("\\s+", " ");
        return one.length() > 300 ? one.substring(0, 300) + "..." : one;
    }
}
