import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Turns the ground truth into questions that the run's data can answer, each with its evidence computed from the
 * same logs the stores hold. A question is asked only when the data shows it: an incident that caused no error, or
 * a deploy window without errors, gets none; a cascade only when the caller's cascaded errors in the window all
 * come from one upstream; a release only when it holds most of the deployment's errors in its window.
 */
final class QuestionGenerator {
    private final GroundTruth truth;
    private final LogScan scan;
    private final long scrapeMicros;
    private final Map<String, LogError> byRequest = new HashMap<>();

    QuestionGenerator(GroundTruth truth, LogScan scan, long scrapeMicros) {
        if (scrapeMicros <= 0) throw new IllegalArgumentException("scrape interval must be positive");
        this.truth = truth;
        this.scan = scan;
        this.scrapeMicros = scrapeMicros;
        for (LogError e : scan.errors) if (e.requestId() != null) byRequest.put(e.requestId(), e);
    }

    List<RcaQuestion> questions() {
        var out = new ArrayList<RcaQuestion>();
        for (GroundTruth.Incident i : truth.incidents()) {
            component(i, out);
            upstream(i, out);
        }
        int n = 0;
        for (GroundTruth.Deployment d : truth.deployments()) release(d, n++, out);
        out.sort(Comparator.comparingLong(RcaQuestion::startMicros).thenComparing(RcaQuestion::id));
        return out;
    }

    private void component(GroundTruth.Incident i, List<RcaQuestion> out) {
        String source = "infrastructure:" + i.component();
        var direct = errors(i.startMicros(), i.endMicros(), e -> source.equals(e.errorSource()));
        if (direct.isEmpty()) return;
        var services = new TreeSet<String>();
        direct.forEach(e -> services.add(e.serviceKey()));
        long a = Math.floorDiv(i.startMicros(), scrapeMicros) * scrapeMicros, b = -Math.floorDiv(-i.endMicros(), scrapeMicros) * scrapeMicros;
        var evidence = List.of(
                new Evidence(Evidence.Store.victorialogs, logsQl(i.startMicros(), i.endMicros(), "error_source:=" + quote(source))
                        + " | stats by (stack, service) count() errors", i.startMicros(), i.endMicros(), rows(direct, "stack", "service")),
                new Evidence(Evidence.Store.victoriametrics, "sum by (stack, service) (increase_prometheus(errors_total{error_type=" + quote(i.errorType())
                        + "}[" + range(a, b) + "])) > 0", a, b,
                        rows(errors(a, b, e -> e.errorType().equals(i.errorType())), "stack", "service")),
                new Evidence(Evidence.Store.tempo, "{ span.error_source = " + quote(source) + " }", i.startMicros(), i.endMicros(), List.of()));
        out.add(new RcaQuestion("incident-" + i.id() + "-component", "component",
                "Between " + GroundTruth.iso(i.startMicros()) + " and " + GroundTruth.iso(i.endMicros()) + ", " + String.join(", ", services)
                        + " failed with " + i.errorType() + " errors (" + direct.size() + " in the logs). Which hidden infrastructure component made them fail?",
                i.component(), i.startMicros(), i.endMicros(), "incidents[id=" + i.id() + "]", evidence));
    }

    private void upstream(GroundTruth.Incident i, List<RcaQuestion> out) {
        String source = "infrastructure:" + i.component();
        var callers = new TreeMap<String, TreeSet<String>>();
        for (LogError e : errors(i.startMicros(), i.endMicros(), LogError::cascaded)) {
            LogError up = byRequest.get(e.upstreamRequestId());
            if (up != null && source.equals(up.errorSource())) callers.computeIfAbsent(e.serviceKey(), k -> new TreeSet<>()).add(up.serviceKey());
        }
        for (var c : callers.entrySet()) {
            String caller = c.getKey(), upstreamService = c.getValue().first();
            var cascaded = errors(i.startMicros(), i.endMicros(), e -> e.cascaded() && e.serviceKey().equals(caller));
            var rows = rows(cascaded, "error_source");
            if (c.getValue().size() != 1 || rows.size() != 1) continue; // more than one upstream: no single answer
            String[] cs = caller.split(":", 2), us = upstreamService.split(":", 2);
            var evidence = List.of(
                    new Evidence(Evidence.Store.victorialogs, logsQl(i.startMicros(), i.endMicros(), "stack:=" + quote(cs[0]) + " service:=" + quote(cs[1])
                            + " upstream_request_id:*") + " | stats by (error_source) count() errors", i.startMicros(), i.endMicros(), rows),
                    new Evidence(Evidence.Store.tempo, "{ span.stack = " + quote(cs[0]) + " && span.service = " + quote(cs[1]) + " && status = error } > "
                            + "{ span.stack = " + quote(us[0]) + " && span.service = " + quote(us[1]) + " && status = error }",
                            i.startMicros(), i.endMicros(), List.of()));
            out.add(new RcaQuestion("incident-" + i.id() + "-upstream-" + caller, "upstream",
                    "Between " + GroundTruth.iso(i.startMicros()) + " and " + GroundTruth.iso(i.endMicros()) + ", " + caller + " failed "
                            + cascaded.size() + " times because a service it calls failed. Which upstream service did the cascade come from?",
                    upstreamService, i.startMicros(), i.endMicros(), "incidents[id=" + i.id() + "].cascade_callers", evidence));
        }
    }

    private void release(GroundTruth.Deployment d, int index, List<RcaQuestion> out) {
        String source = "deployment:" + d.releaseId();
        if (errors(d.startMicros(), d.endMicros(), e -> source.equals(e.errorSource())).isEmpty()) return;
        var onDeployment = errors(d.startMicros(), d.endMicros(), e -> d.deploymentId().equals(e.deploymentId()) && "ERROR".equals(e.level()));
        var rows = rows(onDeployment, "release_id");
        Evidence.Row top = rows.stream().max(Comparator.comparingLong(Evidence.Row::value)).orElseThrow();
        if (!d.releaseId().equals(top.labels().get("release_id")) || rows.stream().filter(r -> r.value() == top.value()).count() > 1) return;
        long a = Math.floorDiv(d.startMicros(), scrapeMicros) * scrapeMicros, b = -Math.floorDiv(-d.endMicros(), scrapeMicros) * scrapeMicros;
        var server = errors(a, b, e -> d.deploymentId().equals(e.deploymentId()) && e.errorType().equals("server"));
        var evidence = List.of(
                new Evidence(Evidence.Store.victorialogs, logsQl(d.startMicros(), d.endMicros(), "deployment_id:=" + quote(d.deploymentId())
                        + " level:=\"ERROR\"") + " | stats by (release_id) count() errors", d.startMicros(), d.endMicros(), rows),
                new Evidence(Evidence.Store.victoriametrics, "sum(increase_prometheus(errors_total{deployment_id=" + quote(d.deploymentId())
                        + ",error_type=\"server\"}[" + range(a, b) + "])) > 0", a, b,
                        List.of(new Evidence.Row(new TreeMap<>(), server.size()))),
                new Evidence(Evidence.Store.tempo, "{ resource.service.version = " + quote(d.releaseId()) + " && status = error }",
                        d.startMicros(), d.endMicros(), List.of()));
        out.add(new RcaQuestion("deployment-" + index + "-release", "release",
                "Between " + GroundTruth.iso(d.startMicros()) + " and " + GroundTruth.iso(d.endMicros()) + ", " + d.stack() + ":" + d.service()
                        + " on " + d.deploymentId() + " logged " + onDeployment.size() + " errors. Which release raised them?",
                d.releaseId(), d.startMicros(), d.endMicros(), "deployment_windows[" + index + "]", evidence));
    }

    /**
     * The lookbehind of a MetricsQL window [a, b) on the scrape grid, one scrape interval longer than b - a: the native
     * counters hold their value at a (sampled at the start of any interval in which they change), so last minus first
     * sample over (a - interval, b] counts exactly the events of [a, b), on any VictoriaMetrics version, whereas
     * increase() would look for a sample before the window, which an older VictoriaMetrics guesses for sparse series.
     */
    private String range(long a, long b) { return (b - a + scrapeMicros) / 1_000_000 + "s"; }

    private List<LogError> errors(long from, long to, Predicate<LogError> keep) {
        var out = new ArrayList<LogError>();
        for (LogError e : scan.errors) if (e.timeMicros() >= from && e.timeMicros() < to && keep.test(e)) out.add(e);
        return out;
    }

    /** Counts per value of the named log fields, as {@code stats by (...) count()} would give them, sorted. */
    private static List<Evidence.Row> rows(List<LogError> errors, String... fields) {
        var counts = new TreeMap<String, Evidence.Row>();
        for (LogError e : errors) {
            SortedMap<String, String> labels = new TreeMap<>();
            for (String f : fields) labels.put(f, field(e, f));
            counts.merge(labels.toString(), new Evidence.Row(labels, 1), (x, y) -> new Evidence.Row(x.labels(), x.value() + 1));
        }
        return List.copyOf(counts.values());
    }

    private static String field(LogError e, String name) {
        return switch (name) {
            case "stack" -> e.stack();
            case "service" -> e.service();
            case "error_source" -> e.errorSource();
            case "release_id" -> e.releaseId();
            default -> throw new IllegalArgumentException("no log field " + name);
        };
    }

    private static String logsQl(long from, long to, String filters) {
        return "_time:[" + GroundTruth.iso(from) + ", " + GroundTruth.iso(to) + ") " + filters;
    }

    /** A double-quoted string literal, as LogsQL, MetricsQL and TraceQL all read it. */
    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
