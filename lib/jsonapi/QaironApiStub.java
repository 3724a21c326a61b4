import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * An in-memory stand-in for the Qairon REST API on a loopback port, answering as QAIRON-REST.md describes: exact
 * {@code application/vnd.api+json} content type (415), JSON:API bodies ({@code data} missing or unknown attribute:
 * 400, wrong {@code type}: 409), ids built from parent keys (a missing part: 500 HTML page), parents must exist
 * (400 {@code Integrity Error} naming {@code ForeignKeyViolation}), duplicates are 400 {@code UniqueViolation},
 * 201 with {@code Location}; to-many links through {@code GET /<owner>/<id>/<relation>} and
 * {@code POST|PATCH .../relationships/<relation>} (204). {@link Faults} injects 500s, 429s with Retry-After and
 * dropped connections, deterministically per request and never more than {@code maxInARow} times for the same one,
 * so a client that retries always gets through. For tests and benchmarks; not a Qairon.
 */
final class QaironApiStub implements AutoCloseable {

    /** Chances per request; {@code lostAfterApply} applies the request and then drops the connection. */
    record Faults(double serverError, double tooManyRequests, double reset, double lostAfterApply, int maxInARow, long seed) {
        static final Faults NONE = new Faults(0, 0, 0, 0, 0, 0);
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, String> RELATIONS = Map.of("service/repos", "repo", "deployment/zones", "zone",
            "subnet/fleets", "fleet", "deployment_target/fleets", "fleet");
    private static final Set<String> NATIVE_ID = Set.of("provider", "region", "zone", "partition", "network", "subnet",
            "deployment_target", "fleet");

    private final HttpServer server;
    private final Map<String, Map<String, ObjectNode>> rows = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> links = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
    private volatile Faults faults = Faults.NONE;

    private QaironApiStub(HttpServer server) {
        this.server = server;
        for (var t : JsonApiTable.ALL) if (!t.isLink()) rows.put(t.resource(), new ConcurrentHashMap<>());
    }

    static QaironApiStub start() {
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
            var stub = new QaironApiStub(server);
            server.createContext("/", stub::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return stub;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Qairon stub: " + e.getMessage(), e);
        }
    }

    QaironApiStub withFaults(Faults f) {
        this.faults = f;
        return this;
    }

    URI uri() { return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort()); }

    /** The stored attributes of one row, as they arrived (client ids included); null when absent. */
    ObjectNode row(String resource, String id) { return rows.get(resource).get(id); }

    int count(String resource) { return rows.get(resource).size(); }

    /** Ids linked under {@code owner/<id>/<relation>}. */
    Set<String> linked(String owner, String id, String relation) { return Set.copyOf(related(owner, id, relation)); }

    /** How many answers of each kind were given, e.g. {@code "POST 201"}, {@code "POST reset"}. */
    Map<String, Long> answers() {
        var out = new java.util.TreeMap<String, Long>();
        answers.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override
    public void close() { server.stop(0); }

    // ---- dispatch ---------------------------------------------------------------------------------------------

    private record Reply(int status, String contentType, String body, String location, String retryAfter) {}

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getRawPath();
            String fault = path.startsWith("/up") ? null : fault(method + " " + path + " " + Arrays.hashCode(body));
            if (fault != null && !fault.equals("lost")) {
                tally(method + " " + fault);
                if (fault.equals("reset")) return; // closed without an answer
                send(ex, fault.equals("429") ? new Reply(429, "text/plain", "Too Many Requests", null, "0")
                        : html(500, "Internal Server Error"));
                return;
            }
            Reply reply = route(ex, method, path, body);
            if ("lost".equals(fault)) {
                tally(method + " lost-after-" + reply.status);
                return;
            }
            tally(method + " " + reply.status);
            send(ex, reply);
        }
    }

    private String fault(String key) {
        Faults f = faults;
        if (f == Faults.NONE) return null;
        int attempt = seen.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        if (attempt > f.maxInARow()) return null;
        double u = new SplittableRandom(f.seed() * 1_000_003L + key.hashCode() * 31L + attempt).nextDouble();
        if ((u -= f.serverError()) < 0) return "500";
        if ((u -= f.tooManyRequests()) < 0) return "429";
        if ((u -= f.reset()) < 0) return "reset";
        if ((u -= f.lostAfterApply()) < 0) return "lost";
        return null;
    }

    private void tally(String what) { answers.computeIfAbsent(what, k -> new LongAdder()).increment(); }

    private Reply route(HttpExchange ex, String method, String rawPath, byte[] body) {
        // Qairon in production redirects every plain-HTTP request without the proxy's header, /up included
        String forwarded = ex.getRequestHeaders().getFirst("X-Forwarded-Proto");
        if (!"https".equals(forwarded)) {
            return new Reply(302, "text/html", "", "https://" + ex.getRequestHeaders().getFirst("Host") + rawPath, null);
        }
        if (rawPath.equals("/up") || rawPath.equals("/up/")) return new Reply(200, "text/plain", "hello", null, null);
        if (!rawPath.startsWith("/api/rest/v1/")) return error(404, "Not Found", "no such route " + rawPath);
        var segs = new ArrayList<String>();
        for (String s : rawPath.substring("/api/rest/v1/".length()).split("/")) {
            if (!s.isEmpty()) segs.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        if (segs.isEmpty() || !rows.containsKey(segs.get(0))) return error(404, "Not Found", "unknown resource " + rawPath);
        String accept = ex.getRequestHeaders().getFirst("Accept");
        if (accept != null && !Arrays.stream(accept.split(",")).map(String::strip).anyMatch(a -> a.equals(QaironRestLoader.MEDIA_TYPE) || a.equals("*/*"))) {
            return error(406, "Not Acceptable", "Accept must include " + QaironRestLoader.MEDIA_TYPE);
        }
        boolean writes = method.equals("POST") || method.equals("PATCH");
        if (writes && !QaironRestLoader.MEDIA_TYPE.equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
            return error(415, "Unsupported Media Type", "Content-Type must be exactly " + QaironRestLoader.MEDIA_TYPE);
        }
        String res = segs.get(0);
        if (segs.size() == 1 && method.equals("POST")) return create(res, body);
        if (segs.size() == 2 && method.equals("GET")) {
            ObjectNode row = rows.get(res).get(segs.get(1));
            return row == null ? error(404, "Not Found", "No object found with ID " + segs.get(1)) : ok(200, resourceObject(res, segs.get(1), row));
        }
        if (segs.size() == 3 && method.equals("GET")) return relatedList(res, segs.get(1), segs.get(2));
        if (segs.size() == 4 && segs.get(2).equals("relationships") && writes) return linkWrite(res, segs.get(1), segs.get(3), method, body);
        return error(405, "Method Not Allowed", method + " " + rawPath);
    }

    // ---- create -----------------------------------------------------------------------------------------------

    private Reply create(String res, byte[] body) {
        JsonNode doc;
        try {
            doc = MAPPER.readTree(body);
        } catch (IOException e) {
            return error(400, "Bad Request", "Unable to decode data");
        }
        JsonNode data = doc == null ? null : doc.get("data");
        if (data == null || !data.isObject()) return error(400, "Bad Request", "missing \"data\" element");
        if (!res.equals(data.path("type").asText(null))) {
            return error(409, "Conflict", "expected type '" + res + "' but got type '" + data.path("type").asText("") + "'");
        }
        var table = JsonApiTable.byResource(res).orElseThrow();
        JsonNode attrsIn = data.path("attributes");
        if (!attrsIn.isMissingNode() && !attrsIn.isObject()) return error(400, "Bad Request", "attributes must be an object");
        ObjectNode attrs = attrsIn.isObject() ? ((ObjectNode) attrsIn).deepCopy() : MAPPER.createObjectNode();
        for (var e : attrs.properties()) {
            String name = e.getKey();
            if (!allowed(table, name)) return error(400, "Bad Request", "Model does not have field '" + name + "'");
            JsonNode v = e.getValue();
            boolean okType = switch (name) {
                case "build_num" -> v.isIntegralNumber();
                case "value" -> v.isNumber();
                default -> v.isTextual() || v.isNull();
            };
            if (!okType) return error(400, "Bad Request", "invalid value for '" + name + "': " + v);
        }
        if (data.hasNonNull("id") && !attrs.has("id")) attrs.put("id", data.get("id").asText());
        var values = new java.util.HashMap<String, String>();
        attrs.properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
        if (table.idRule().contains("tag") && !attrs.has("tag")) attrs.put("tag", "default");
        String id = table.idOf(values);
        if (id == null) {
            if (table.clientId()) {
                return error(400, "Integrity Error", "(psycopg2.errors.NotNullViolation) null value in column \"id\" of relation \""
                        + res + "\" violates not-null constraint");
            }
            return html(500, "Internal Server Error");
        }
        for (String column : table.columns()) {
            String ref = table.referencedResource(column);
            if (ref == null || column.equals("id") || !attrs.hasNonNull(column)) continue;
            String parent = attrs.get(column).asText();
            if (!rows.get(ref).containsKey(parent)) {
                return error(400, "Integrity Error", "(psycopg2.errors.ForeignKeyViolation) insert or update on table \"" + res
                        + "\" violates foreign key constraint \"" + res + "_" + column + "_fkey\"\nDETAIL:  Key (" + column + ")=("
                        + parent + ") is not present in table \"" + ref + "\".");
            }
        }
        if (rows.get(res).putIfAbsent(id, attrs) != null) {
            return error(400, "Integrity Error", "(psycopg2.errors.UniqueViolation) duplicate key value violates unique constraint \""
                    + res + "_pkey\"\nDETAIL:  Key (id)=(" + id + ") already exists.");
        }
        var reply = ok(201, resourceObject(res, id, attrs));
        return new Reply(201, reply.contentType, reply.body, uri() + "/api/rest/v1/" + res + "/" + id, null);
    }

    private static boolean allowed(JsonApiTable table, String name) {
        if (name.equals("id") || name.equals("defaults") || name.equals("created_at")) return true;
        if (name.equals("native_id") && NATIVE_ID.contains(table.resource())) return true;
        if (name.equals("artifact_name") && table.resource().equals("service")) return true;
        return table.columns().contains(name);
    }

    private ObjectNode resourceObject(String res, String id, ObjectNode attrs) {
        var table = JsonApiTable.byResource(res).orElseThrow();
        ObjectNode data = MAPPER.createObjectNode().put("id", id).put("type", res);
        ObjectNode a = data.putObject("attributes");
        ObjectNode rel = data.putObject("relationships");
        attrs.properties().forEach(e -> {
            String ref = table.referencedResource(e.getKey());
            if (e.getKey().equals("id")) return;
            if (ref != null) {
                rel.putObject(e.getKey().substring(0, e.getKey().length() - 3)).putObject("data").put("type", ref).put("id", e.getValue().asText());
            } else {
                a.set(e.getKey(), e.getValue());
            }
        });
        return data;
    }

    // ---- links ------------------------------------------------------------------------------------------------

    private Set<String> related(String owner, String id, String relation) {
        if (owner.equals("deployment_target") && relation.equals("fleets")) {
            var out = new LinkedHashSet<String>();
            rows.get("fleet").forEach((fid, f) -> { if (id.equals(f.path("deployment_target_id").asText())) out.add(fid); });
            return out;
        }
        return links.computeIfAbsent(owner + "/" + id + "/" + relation, k -> Collections.synchronizedSet(new LinkedHashSet<>()));
    }

    private Reply relatedList(String owner, String id, String relation) {
        String type = RELATIONS.get(owner + "/" + relation);
        if (type == null) return error(400, "Bad Request", "no relation " + relation + " on " + owner);
        if (!rows.get(owner).containsKey(id)) return error(404, "Not Found", "No object of type " + owner + " found with ID " + id);
        ObjectNode doc = MAPPER.createObjectNode();
        var arr = doc.putArray("data");
        Set<String> ids = related(owner, id, relation);
        synchronized (ids) {
            for (String r : ids) arr.add(resourceObject(type, r, rows.get(type).getOrDefault(r, MAPPER.createObjectNode())));
        }
        doc.putObject("meta").put("total", arr.size());
        doc.putObject("jsonapi").put("version", "1.0");
        return new Reply(200, QaironRestLoader.MEDIA_TYPE, doc.toString(), null, null);
    }

    private Reply linkWrite(String owner, String id, String relation, String method, byte[] body) {
        String type = RELATIONS.get(owner + "/" + relation);
        if (type == null) return error(400, "Bad Request", "no relation " + relation + " on " + owner);
        if (!rows.get(owner).containsKey(id)) return error(404, "Not Found", "No object of type " + owner + " found with ID " + id);
        JsonNode data;
        try {
            data = MAPPER.readTree(body).path("data");
        } catch (IOException e) {
            return error(400, "Bad Request", "Unable to decode data");
        }
        if (!data.isArray()) return error(400, "Bad Request", "to-many relationship data must be a list");
        var ids = new ArrayList<String>();
        for (JsonNode d : data) {
            if (!type.equals(d.path("type").asText())) return error(409, "Conflict", "expected type '" + type + "' but got '" + d.path("type").asText() + "'");
            String rid = d.path("id").asText("");
            if (!rows.get(type).containsKey(rid)) return error(404, "Not Found", "No object of type " + type + " found with ID " + rid);
            ids.add(rid);
        }
        if (owner.equals("deployment_target")) {
            for (String f : ids) rows.get("fleet").get(f).put("deployment_target_id", id);
        } else {
            Set<String> set = related(owner, id, relation);
            synchronized (set) {
                if (method.equals("PATCH")) set.clear();
                set.addAll(new HashSet<>(ids));
            }
        }
        return new Reply(204, null, null, null, null);
    }

    // ---- answers ----------------------------------------------------------------------------------------------

    private static Reply ok(int status, ObjectNode data) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.putObject("jsonapi").put("version", "1.0");
        doc.set("data", data);
        return new Reply(status, QaironRestLoader.MEDIA_TYPE, doc.toString(), null, null);
    }

    private static Reply error(int status, String title, String detail) {
        ObjectNode doc = MAPPER.createObjectNode();
        ObjectNode e = doc.putArray("errors").addObject();
        e.put("status", Integer.toString(status)).put("title", title).put("detail", detail);
        doc.putObject("jsonapi").put("version", "1.0");
        return new Reply(status, QaironRestLoader.MEDIA_TYPE, doc.toString(), null, null);
    }

    private static Reply html(int status, String title) {
        return new Reply(status, "text/html; charset=utf-8", "<!doctype html>\n<html lang=en>\n<title>" + status + " " + title
                + "</title>\n<h1>" + title + "</h1>\n", null, null);
    }

    private static void send(HttpExchange ex, Reply r) throws IOException {
        if (r.contentType != null) ex.getResponseHeaders().set("Content-Type", r.contentType);
        if (r.location != null) ex.getResponseHeaders().set("Location", r.location);
        if (r.retryAfter != null) ex.getResponseHeaders().set("Retry-After", r.retryAfter);
        byte[] bytes = r.body == null ? new byte[0] : r.body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(r.status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) ex.getResponseBody().write(bytes);
    }

    /** Every row the stub holds, per resource, for assertions. */
    Map<String, List<String>> ids() {
        var out = new java.util.TreeMap<String, List<String>>();
        rows.forEach((k, v) -> out.put(k, List.copyOf(v.keySet())));
        return out;
    }
}
