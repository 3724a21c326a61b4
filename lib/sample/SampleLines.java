import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Small, seeded stand-ins for the monitoring generator's output, byte-for-byte in its line formats (Python's
 * {@code ", "} and {@code ": "} separators, all 21 log keys, nulls included): request roots with one or two child
 * spans, an occasional failure, deployment lines, and the metric lines of each event. For tests and benchmarks of
 * the importers; the real data comes from the generator.
 */
final class SampleLines {
    /** One event's lines: its log line and its metric lines. */
    record Event(String log, List<String> metrics) {}

    private static final String[][] SERVICES = {
            {"content", "media"}, {"content", "posts"}, {"content", "reactions"}, {"user", "identity"},
            {"feed", "timeline"}, {"search", "hashtags"}, {"messaging", "chat"}, {"payments", "billing"}};
    private static final String[] ACTIONS = {"get_media", "create_post", "add_reaction", "login", "get_feed",
            "search_hashtags", "send_message", "charge_card", "view_profile", "delete_post"};
    private static final String[] REGIONS = {"us-east-1", "us-west-2"};
    private static final String[] ENVS = {"prod", "prod", "prod", "stg", "dev"};
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final SplittableRandom random;
    private final long endMicros;
    private final boolean extended;

    /**
     * @param seed     fixes every choice
     * @param end      the newest timestamp; events spread over the 30 days before it
     * @param extended add {@code "duration_ms"} to log lines, as the generator's {@code --log-format extended}
     */
    SampleLines(long seed, Instant end, boolean extended) {
        this.random = new SplittableRandom(seed);
        this.endMicros = end.getEpochSecond() * 1_000_000L + end.getNano() / 1000;
        this.extended = extended;
    }

    /** A root request and its child spans (one or two), each with its metric lines. */
    List<Event> request() {
        var out = new ArrayList<Event>();
        long t = endMicros - random.nextLong(30L * 86_400_000_000L);
        String trace = hex(32), root = hex(16), user = "user_" + hex(12);
        String action = ACTIONS[random.nextInt(ACTIONS.length)];
        boolean failed = random.nextInt(20) == 0;
        double latency = 5 + random.nextInt(90_000) / 100.0;
        String[] svc = SERVICES[random.nextInt(SERVICES.length)];
        out.add(event(t, svc, action, user, trace, root, null, failed, latency, "post"));
        int children = 1 + random.nextInt(2);
        for (int c = 0; c < children; c++) {
            String[] child = SERVICES[random.nextInt(SERVICES.length)];
            out.add(event(t + 2000L * (c + 1), child, "handle_" + action, user, trace, hex(16), root, false, latency / 3, "post"));
        }
        return out;
    }

    /** A deployment start line (user "system", no metrics), as the generator writes with a schedule. */
    String deployment() {
        long t = endMicros - random.nextLong(30L * 86_400_000_000L);
        String rel = releaseId(SERVICES[random.nextInt(SERVICES.length)]);
        String dep = rel.substring(0, rel.lastIndexOf(':'));
        String[] p = rel.split(":");
        return "{\"timestamp\": \"" + TS.format(Instant.ofEpochSecond(t / 1_000_000, (t % 1_000_000) * 1000)) + "\", \"level\": \"INFO\", "
                + "\"service\": \"" + p[9] + "\", \"stack\": \"" + p[8] + "\", \"action\": \"deployment_start\", \"user_id\": \"system\", "
                + "\"request_id\": \"deploy_" + hex(16) + "\", \"success\": true, \"message\": \"Deployment started: rolling restart for release " + rel + "\", "
                + "\"release_id\": \"" + rel + "\", \"trace_id\": \"" + hex(32) + "\", \"span_id\": \"" + hex(16) + "\", \"parent_span_id\": null, "
                + "\"target_user_id\": null, \"object_type\": \"deployment\", \"object_id\": \"" + dep + "\", \"error_code\": null, "
                + "\"error_message\": null, \"error_source\": null, \"error_type\": null, \"upstream_request_id\": null}";
    }

    private Event event(long micros, String[] svc, String action, String user, String trace, String span, String parent,
                        boolean failed, double latency, String objectType) {
        String rel = releaseId(svc);
        String ts = TS.format(Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000));
        boolean write = action.contains("create") || action.contains("add") || action.contains("send") || action.contains("delete");
        String code = failed ? "500" : null, msg = failed ? "Internal server error" : null;
        String message = failed ? action + " failed: Internal server error" : action + (write ? " completed successfully" : " returned data");
        String log = "{\"timestamp\": \"" + ts + "\", \"level\": \"" + (failed ? "ERROR" : "INFO") + "\", \"service\": \"" + svc[1]
                + "\", \"stack\": \"" + svc[0] + "\", \"action\": \"" + action + "\", \"user_id\": \"" + user + "\", \"request_id\": \"" + hex(32)
                + "\", \"success\": " + !failed + ", \"message\": \"" + message + "\", \"release_id\": \"" + rel + "\", \"trace_id\": \"" + trace
                + "\", \"span_id\": \"" + span + "\", \"parent_span_id\": " + q(parent) + ", \"target_user_id\": " + q(parent == null && random.nextBoolean() ? "user_" + hex(12) : null)
                + ", \"object_type\": \"" + objectType + "\", \"object_id\": \"" + objectType + "_" + hex(16) + "\", \"error_code\": " + q(code)
                + ", \"error_message\": " + q(msg) + ", \"error_source\": " + q(failed ? "self" : null) + ", \"error_type\": " + q(failed ? "server" : null)
                + ", \"upstream_request_id\": null" + (extended ? ", \"duration_ms\": " + fmt(latency) : "") + "}";
        var metrics = new ArrayList<String>();
        String persona = "persona_" + random.nextInt(100);
        String tags = "\"service\": \"" + svc[1] + "\", \"stack\": \"" + svc[0] + "\", \"action\": \"" + action + "\", \"success\": \"" + !failed
                + "\", \"is_write\": \"" + write + "\", \"persona\": \"" + persona + "\", \"release_id\": \"" + rel + "\", \"object_type\": \"" + objectType + "\"";
        double sec = micros / 1e6;
        String tsNum = String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
        metrics.add(metric("request_duration_ms", tsNum, fmt(latency), tags + (failed ? ", \"trace_id\": \"" + trace + "\"" : "")));
        metrics.add(metric("request_size_bytes", tsNum, fmt(100 + random.nextInt(5000)), tags));
        metrics.add(metric("response_size_bytes", tsNum, fmt(200 + random.nextInt(50000)), tags));
        metrics.add(metric("db_query_count", tsNum, fmt(random.nextInt(8)), tags));
        if (!write && !failed) metrics.add(metric("cache_hit", tsNum, fmt(random.nextInt(2)), tags));
        assert sec > 0;
        return new Event(log, metrics);
    }

    private static String metric(String name, String ts, String value, String tags) {
        return "{\"metric\": \"" + name + "\", \"ts\": " + ts + ", \"value\": " + value + ", \"tags\": {" + tags + "}}";
    }

    private String releaseId(String[] svc) {
        String env = ENVS[random.nextInt(ENVS.length)];
        String account = switch (env) { case "prod" -> "111111111111"; case "stg" -> "222222222222"; default -> "333333333333"; };
        return env + ":aws:" + account + ":" + REGIONS[random.nextInt(REGIONS.length)] + ":platform:eks:main:social:"
                + svc[0] + ":" + svc[1] + ":default:" + (50 + random.nextInt(250));
    }

    private String hex(int n) {
        var sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) sb.append(Character.forDigit(random.nextInt(16), 16));
        return sb.toString();
    }

    private static String q(String s) { return s == null ? "null" : "\"" + s + "\""; }

    /** Python's float repr for the values used here: always a fraction part. */
    private static String fmt(double v) {
        String s = Double.toString(Math.round(v * 100) / 100.0);
        return s.contains("E") ? String.format(Locale.ROOT, "%.2f", v) : s;
    }
}
