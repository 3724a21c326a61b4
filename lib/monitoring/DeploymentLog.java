import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The {@code deployment_start} / {@code deployment_complete} log lines of every window, by time: user
 * {@code system}, request id {@code deploy_} + 16 hex shared by the pair, object the deployment id, no metrics.
 */
final class DeploymentLog {
    private DeploymentLog() {}

    /** Writes all lines in pieces of about 1 MB to {@code sink}; returns the number of lines. */
    static long write(GenerationPlan plan, Consumer<JsonLineBuffer> sink) {
        List<DeploymentWindow> windows = plan.deployments.windows;
        int n = windows.size();
        long[] events = new long[2 * n]; // index = window * 2 + (0 start | 1 complete), sorted by time
        long[] times = new long[2 * n];
        Integer[] order = new Integer[2 * n];
        for (int i = 0; i < n; i++) {
            times[2 * i] = windows.get(i).startMicros();
            times[2 * i + 1] = windows.get(i).endMicros();
        }
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> times[x] != times[y] ? Long.compare(times[x], times[y]) : Integer.compare(x, y));
        for (int i = 0; i < order.length; i++) events[i] = order[i];
        var buf = new JsonLineBuffer(1 << 20);
        for (long e : events) {
            int w = (int) (e >> 1);
            append(buf, plan, w, windows.get(w), (e & 1) == 1);
            if (buf.length > (1 << 20) - 4096) {
                sink.accept(buf);
                buf.clear();
            }
        }
        if (buf.length > 0) sink.accept(buf);
        return events.length;
    }

    /**
     * Appends the start or complete line of window {@code win}, the {@code w}-th of the run (its ids are drawn from
     * that number: live mode numbers the windows it adds after the planned ones).
     */
    static void append(JsonLineBuffer buf, GenerationPlan plan, int w, DeploymentWindow win, boolean complete) {
        var rng = new SplittableRandom(Seeds.mix(plan.cfg.seed(), 0xd3b1000000L + w));
        long request = rng.nextLong();
        if (complete) rng.nextLong();
        long traceHi = rng.nextLong(), traceLo = rng.nextLong(), span = rng.nextLong();
        if (!complete) { rng.nextLong(); rng.nextLong(); rng.nextLong(); }
        String rel = win.releaseId();
        buf.ascii("{\"timestamp\": \"").isoMicros(complete ? win.endMicros() : win.startMicros())
                .ascii("\", \"level\": \"INFO\", \"service\": ").put(JsonLineBuffer.quoted(win.service()))
                .ascii(", \"stack\": ").put(JsonLineBuffer.quoted(win.stack()))
                .ascii(complete ? ", \"action\": \"deployment_complete\"" : ", \"action\": \"deployment_start\"")
                .ascii(", \"user_id\": \"system\", \"request_id\": \"deploy_").hex(request, 16)
                .ascii("\", \"success\": true, \"message\": ")
                .put(JsonLineBuffer.quoted(complete ? "Deployment complete: release " + rel + " fully rolled out"
                        : "Deployment started: rolling restart for release " + rel))
                .ascii(", \"release_id\": ").put(JsonLineBuffer.quoted(rel))
                .ascii(", \"trace_id\": \"").hex(traceHi, 16).hex(traceLo, 16).ascii("\", \"span_id\": \"").hex(span, 16)
                .ascii("\", \"parent_span_id\": null, \"target_user_id\": null, \"object_type\": \"deployment\", \"object_id\": ")
                .put(JsonLineBuffer.quoted(win.deploymentId()))
                .ascii(", \"error_code\": null, \"error_message\": null, \"error_source\": null, \"error_type\": null, \"upstream_request_id\": null}\n");
    }
}
