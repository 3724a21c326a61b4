import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.LongConsumer;

/**
 * Loads JSON:API document files into a Qairon REST API ({@code <base>/api/rest/v1/<resource>}), one table at a time
 * in load order, each table's rows sent by up to {@code workers} concurrent requests (virtual threads).
 * <ul>
 * <li>Plain rows: {@code POST /<resource>}. 201 = created; 400 naming {@code UniqueViolation} = the row is already
 *     there (reruns are idempotent); any other answer is a failure with the server's message (a missing parent comes
 *     back as 400 {@code ForeignKeyViolation}, a wrong {@code type} as 409).</li>
 * <li>Association rows: grouped by owner; {@code GET /<owner>/<id>/<relation>}, then one
 *     {@code PATCH /<owner>/<id>/relationships/<relation>} with the present plus the missing links (idempotent, so a
 *     retry can never add a link twice). Links already present count as existing.</li>
 * <li>{@code deployment_targets_fleets} rows are only checked: a fleet already under its target is existing, any
 *     other row is skipped (counted), because the API cannot write that table without moving the fleet.</li>
 * <li>No answer, 429 and 5xx are retried with {@link Backoff} (Retry-After honoured); other answers are final.</li>
 * </ul>
 * Every row ends created, existing or failed; failures go to the {@link LoadFailureReport}.
 */
final class QaironRestLoader {

    /** Where and how hard to send. */
    record Config(URI base, int workers, Backoff backoff, Duration timeout) {
        Config {
            if (workers < 1) throw new IllegalArgumentException("workers must be at least 1, got " + workers);
            String s = base.toString();
            if (s.endsWith("/")) base = URI.create(s.substring(0, s.length() - 1));
        }
    }

    static final String MEDIA_TYPE = "application/vnd.api+json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Config config;
    private final LoadStats stats;
    private final LoadFailureReport report;
    private final LongConsumer rowsDone;
    private final HttpClient http;
    private final Semaphore inFlight;
    /** Rows in a row that ended without any answer; at {@link #UNREACHABLE_LIMIT} the load stops. */
    private final java.util.concurrent.atomic.AtomicInteger unanswered = new java.util.concurrent.atomic.AtomicInteger();
    private volatile String stopped;
    static final int UNREACHABLE_LIMIT = 20;

    QaironRestLoader(Config config, LoadStats stats, LoadFailureReport report, LongConsumer rowsDone) {
        this.config = config;
        this.stats = stats;
        this.report = report;
        this.rowsDone = rowsDone;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.inFlight = new Semaphore(config.workers());
    }

    /**
     * Fails before any work when {@code <base>/up} does not answer 2xx. The probe carries the same
     * X-Forwarded-Proto as the data requests: Qairon redirects every plain-HTTP request without it, /up included.
     */
    void ping() {
        URI up = URI.create(config.base() + "/up");
        try {
            var r = http.send(HttpRequest.newBuilder(up).timeout(config.timeout()).header("X-Forwarded-Proto", "https").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 == 3) {
                throw new IllegalStateException(up + " answered " + r.statusCode() + ", redirected to "
                        + r.headers().firstValue("Location").orElse("?") + " even with X-Forwarded-Proto: https - pass the API's own --url");
            }
            if (r.statusCode() / 100 != 2) throw new IllegalStateException(up + " answered " + r.statusCode() + " - is this a Qairon API? pass --url");
        } catch (IOException e) {
            throw new IllegalStateException(up + " did not answer (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ") - start Qairon or pass --url", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Why the load stopped early (the server stopped answering), or null while it goes on. */
    String stopped() { return stopped; }

    /** Sends every document of {@code file} as rows of {@code table}; returns when each has its outcome. */
    void load(JsonApiTable table, Path file) throws InterruptedException {
        try (var reader = new JsonApiDocumentReader(file)) {
            if (table.isLink()) loadLinks(table, reader);
            else loadRows(table, reader);
        } catch (JsonApiDocumentReader.BrokenFileException e) {
            stats.read(table.resource());
            stats.failed(table.resource(), 1);
            report.failed(e.where, "", 0, e.reason);
        } finally {
            inFlight.acquire(config.workers()); // wait for the table's last requests: the next table depends on it
            inFlight.release(config.workers());
        }
    }

    // ---- plain rows -------------------------------------------------------------------------------------------

    private void loadRows(JsonApiTable table, JsonApiDocumentReader reader) throws InterruptedException {
        URI target = URI.create(config.base() + "/api/rest/v1/" + table.resource());
        for (var e : reader) {
            if (stopped != null) return;
            stats.read(table.resource());
            String id = rowId(table, e.node());
            if (!e.node().path("data").isObject()) {
                fail(table, e.where(), id, 0, "not a JSON:API document: no \"data\" object", 1);
                rowsDone.accept(1);
                continue;
            }
            byte[] body;
            try {
                body = MAPPER.writeValueAsBytes(e.node());
            } catch (IOException ex) {
                fail(table, e.where(), id, 0, "cannot serialise: " + ex.getMessage(), 1);
                rowsDone.accept(1);
                continue;
            }
            inFlight.acquire();
            Thread.ofVirtual().start(() -> {
                try {
                    Answer a = send(HttpRequest.newBuilder(target).POST(HttpRequest.BodyPublishers.ofByteArray(body)), true);
                    if (a.status == 201) {
                        stats.created(table.resource(), 1);
                    } else if (a.status == 400 && a.body != null && a.body.contains("UniqueViolation")) {
                        stats.existing(table.resource(), 1);
                    } else {
                        fail(table, e.where(), id, a.status, a.message(), 1);
                    }
                } catch (RuntimeException ex) {
                    fail(table, e.where(), id, 0, "loader error: " + ex, 1);
                } finally {
                    rowsDone.accept(1);
                    inFlight.release();
                }
            });
        }
    }

    /** The id the row will have: the client's own for lookup tables, else built like the server does. */
    static String rowId(JsonApiTable table, JsonNode doc) {
        JsonNode data = doc.path("data");
        JsonNode attributes = data.path("attributes");
        if (data.hasNonNull("id")) return data.get("id").asText();
        if (attributes.hasNonNull("id")) return attributes.get("id").asText();
        if (table.isLink()) {
            return attributes.path(table.link().ownerColumn()).asText("") + " -> " + attributes.path(table.link().relatedColumn()).asText("");
        }
        var values = new HashMap<String, String>();
        attributes.properties().forEach(en -> values.put(en.getKey(), en.getValue().asText()));
        String id = table.idOf(values);
        return id == null ? "" : id;
    }

    // ---- association rows -------------------------------------------------------------------------------------

    private record LinkRow(String where, String related) {}

    private void loadLinks(JsonApiTable table, JsonApiDocumentReader reader) throws InterruptedException {
        var link = table.link();
        var byOwner = new LinkedHashMap<String, List<LinkRow>>();
        for (var e : reader) {
            stats.read(table.resource());
            JsonNode attributes = e.node().path("data").path("attributes");
            String owner = attributes.path(link.ownerColumn()).asText("");
            String related = attributes.path(link.relatedColumn()).asText("");
            if (owner.isEmpty() || related.isEmpty()) {
                fail(table, e.where(), owner + " -> " + related, 0, "association document needs both "
                        + link.ownerColumn() + " and " + link.relatedColumn(), 1);
                rowsDone.accept(1);
                continue;
            }
            byOwner.computeIfAbsent(owner, o -> new ArrayList<>()).add(new LinkRow(e.where(), related));
        }
        for (var group : byOwner.entrySet()) {
            if (stopped != null) {
                for (var r : group.getValue()) fail(table, r.where, group.getKey() + " -> " + r.related, 0, "not sent: " + stopped, 1);
                continue;
            }
            inFlight.acquire();
            Thread.ofVirtual().start(() -> {
                try {
                    linkOwner(table, group.getKey(), group.getValue());
                } catch (RuntimeException ex) {
                    for (var r : group.getValue()) fail(table, r.where, group.getKey() + " -> " + r.related, 0, "loader error: " + ex, 1);
                } finally {
                    rowsDone.accept(group.getValue().size());
                    inFlight.release();
                }
            });
        }
    }

    private void linkOwner(JsonApiTable table, String owner, List<LinkRow> rows) {
        var link = table.link();
        String ownerPath = config.base() + "/api/rest/v1/" + link.owner() + "/" + pathSegment(owner);
        Answer got = send(HttpRequest.newBuilder(URI.create(ownerPath + "/" + link.relation())).GET(), false);
        if (got.status != 200) {
            for (var r : rows) fail(table, r.where, owner + " -> " + r.related, got.status, "GET " + link.owner() + "/" + owner + "/" + link.relation() + ": " + got.message(), 1);
            return;
        }
        Set<String> present = new LinkedHashSet<>();
        try {
            for (JsonNode d : MAPPER.readTree(got.body).path("data")) present.add(d.path("id").asText());
        } catch (IOException e) {
            for (var r : rows) fail(table, r.where, owner + " -> " + r.related, got.status, "GET answer is not JSON: " + e.getMessage(), 1);
            return;
        }
        var missing = new ArrayList<LinkRow>();
        var adding = new LinkedHashSet<String>();
        long existing = 0;
        for (var r : rows) {
            if (present.contains(r.related) || !adding.add(r.related)) existing++;
            else missing.add(r);
        }
        if (existing > 0) stats.existing(table.resource(), existing);
        if (missing.isEmpty()) return;
        if (!link.writable()) {
            stats.skipped(missing.size());
            return;
        }
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode data = body.putArray("data");
        for (String id : present) data.addObject().put("type", link.relatedType()).put("id", id);
        for (String id : adding) data.addObject().put("type", link.relatedType()).put("id", id);
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        Answer put = send(HttpRequest.newBuilder(URI.create(ownerPath + "/relationships/" + link.relation()))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)), true);
        if (put.status == 204 || put.status == 200) {
            stats.created(table.resource(), missing.size());
        } else {
            for (var r : missing) fail(table, r.where, owner + " -> " + r.related, put.status, "PATCH " + link.owner() + "/" + owner + "/relationships/" + link.relation() + ": " + put.message(), 1);
        }
    }

    // ---- HTTP -------------------------------------------------------------------------------------------------

    /** One answer after retries; status 0 means no answer came ({@code error} says why). */
    record Answer(int status, String body, String location, String error) {
        String message() {
            if (error != null) return error;
            if (status / 100 == 3) return "redirected to " + location + " (plain HTTP needs X-Forwarded-Proto: https)";
            String b = body == null ? "" : body.strip();
            String text = b;
            if (b.startsWith("{")) {
                try {
                    JsonNode first = MAPPER.readTree(b).path("errors").path(0);
                    if (!first.isMissingNode()) {
                        text = first.path("title").asText("") + (first.hasNonNull("detail") ? ": " + first.path("detail").asText() : "");
                    }
                } catch (IOException ignored) {
                    // not JSON after all: keep the raw text
                }
            } else if (b.startsWith("<")) {
                int t = b.indexOf("<title>"), te = b.indexOf("</title>");
                text = "HTML error page" + (t >= 0 && te > t ? ": " + b.substring(t + 7, te).strip() : "");
            }
            text = text.replaceAll("\\s+", " ");
            return text.length() > 300 ? text.substring(0, 300) + "..." : text;
        }
    }

    private Answer send(HttpRequest.Builder builder, boolean hasBody) {
        builder.timeout(config.timeout()).header("Accept", MEDIA_TYPE).header("X-Forwarded-Proto", "https");
        if (hasBody) builder.header("Content-Type", MEDIA_TYPE);
        HttpRequest request = builder.build();
        Backoff backoff = config.backoff();
        for (int attempt = 1; ; attempt++) {
            stats.request();
            Answer answer;
            Duration retryAfter = null;
            String cause;
            try {
                var r = http.send(request, HttpResponse.BodyHandlers.ofString());
                unanswered.set(0);
                answer = new Answer(r.statusCode(), r.body(), r.headers().firstValue("Location").orElse(null), null);
                if (r.statusCode() != 429 && r.statusCode() < 500) return answer;
                retryAfter = Backoff.retryAfter(r.headers().firstValue("Retry-After").orElse(null));
                cause = Integer.toString(r.statusCode());
            } catch (IOException e) {
                answer = new Answer(0, null, null, "no answer from " + request.uri() + " after " + attempt + " attempt"
                        + (attempt == 1 ? "" : "s") + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
                cause = "connection";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(0, null, null, "interrupted");
            }
            if (attempt >= backoff.maxAttempts() || stopped != null) {
                if (answer.status == 0 && unanswered.incrementAndGet() >= UNREACHABLE_LIMIT && stopped == null) {
                    stopped = config.base() + " gave no answer for " + UNREACHABLE_LIMIT + " rows in a row, each after "
                            + backoff.maxAttempts() + " attempts - stopped; start it again and rerun (loaded rows count as existing)";
                }
                return answer;
            }
            stats.retried(cause);
            try {
                Thread.sleep(backoff.delay(attempt, retryAfter));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return answer;
            }
        }
    }

    private void fail(JsonApiTable table, String where, String id, int status, String message, long rows) {
        stats.failed(table.resource(), rows);
        report.failed(where, id, status, message);
    }

    /** Ids go into paths as they are (colons included); anything outside the URI path alphabet is percent-encoded. */
    static String pathSegment(String id) {
        var sb = new StringBuilder(id.length());
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~:@!$&'()*+,;=".indexOf(c) >= 0) sb.append(c);
            else sb.append('%').append(String.format("%02X", b & 0xff));
        }
        return sb.toString();
    }
}
