import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The error-ratio alert end to end on wall time: two {@code ./jbang live} runs at once, each pushing its native metrics
 * every 5 s into its own real VictoriaMetrics, each watched by the real Debian vmalert (normal mode, alert states
 * written back into the store). The run with an injected {@code redis_feed} incident at 95 % fires
 * {@code QaironServiceErrorRatioHigh} for the services the incident fails (its ground truth's
 * {@code affected_services}), each no earlier than the rule's {@code for} after and no later than {@code for} plus two
 * evaluation intervals after the first moment the 5m window held the rule's minimums (read back from the store), plus
 * VictoriaMetrics' query latency offset; nothing fires for a service the incident did not fail or cascade into. The
 * run without one has no ALERTS of the rule at all, although it had the traffic and failed requests to judge.
 * <p>
 * The rules are the shipped {@code config/vmalert/rules.yml} with only the group's interval changed, 1m to 10s, so
 * that the test takes 3 to 4 minutes; the expression and {@code for: 2m} are the shipped ones.
 */
class LiveAlertTest {
    static final String ALERT = AlertRulesTest.ERROR_RATIO;
    static final String COMPONENT = "redis_feed";
    static final Duration INTERVAL = Duration.ofSeconds(10);
    /**
     * VictoriaMetrics' default {@code -search.latencyOffset}: a query for "now" is answered as of 30 s ago, so vmalert
     * sees a crossing that much later (the shipped 1m interval hides it, a 10s one does not).
     */
    static final Duration LATENCY_OFFSET = Duration.ofSeconds(30);
    /** Waiting for the alert gives up this long after the latest moment it is due (a clear failure, not a timing claim). */
    static final Duration GRACE = Duration.ofMinutes(3);

    record Run(Path out, Process process, Path log) {}

    record Vmalert(Process process, int port) {}

    @Test
    void anInjectedIncidentFiresTheErrorRatioAlertAndAQuietRunFiresNothing() throws Exception {
        Path dir = KitLayout.testDir("live-alert");
        Path rules = shortIntervalRules(dir.resolve("rules.yml"));
        JsonNode rule = AlertRulesTest.rule(ALERT);
        String expr = rule.path("expr").asText();
        Duration forDuration = AlertRulesTest.duration(rule.path("for").asText());
        prepareLaunch(dir);

        var processes = new ArrayList<Process>();
        try (var incidentVm = VictoriaMetricsProcess.start(dir.resolve("vm-incident"));
             var quietVm = VictoriaMetricsProcess.start(dir.resolve("vm-quiet"))) {
            try {
                processes.add(vmalert(rules, incidentVm, dir.resolve("vmalert-incident.log")).process());
                Vmalert quietAlert = vmalert(rules, quietVm, dir.resolve("vmalert-quiet.log"));
                processes.add(quietAlert.process());
                Run incidentRun = live(dir.resolve("incident"), incidentVm, "--inject", COMPONENT + ":0.95@0s+10m");
                processes.add(incidentRun.process());
                Run quietRun = live(dir.resolve("quiet"), quietVm);
                processes.add(quietRun.process());

                JsonNode incident = awaitTruth(incidentRun, "incident_start");
                awaitTruth(quietRun, "live_start");
                assertEquals(COMPONENT, incident.get("component").asText());
                assertTrue(incident.get("injected").asBoolean());
                Instant injected = Instant.parse(incident.get("start").asText());
                var affected = new TreeSet<>(LiveRunTest.strings(incident.get("affected_services")));
                var callers = new TreeSet<>(LiveRunTest.strings(incident.get("cascade_callers")));
                // prod has most of the traffic: every one of the component's services reaches the minimums there within seconds
                var required = new TreeSet<String>();
                for (String s : affected) required.add("prod/" + s);

                // wait until the alert fired for all of them (vmalert writes its states into the store every few seconds)
                Instant giveUp = injected.plus(LATENCY_OFFSET).plus(forDuration).plus(INTERVAL.multipliedBy(2)).plus(GRACE);
                Map<String, Instant> firing;
                while (true) {
                    for (Process p : processes) assertTrue(p.isAlive(), "a process ended early: " + p.info().commandLine().orElse("?") + "\n"
                            + tail(dir.resolve("vmalert-incident.log")) + tail(incidentRun.log()) + tail(quietRun.log()));
                    incidentVm.flush();
                    firing = firstTimes(incidentVm, "ALERTS{alertname=\"" + ALERT + "\",alertstate=\"firing\"}", injected);
                    if (firing.keySet().containsAll(required)) break;
                    if (Instant.now().isAfter(giveUp)) {
                        var missing = new TreeSet<>(required);
                        missing.removeAll(firing.keySet());
                        fail(ALERT + " did not fire for " + missing + " by " + giveUp + " (" + COMPONENT + " failing 95 % since " + injected
                                + "); firing: " + firing + "; the rule's first crossings: " + crossings(incidentVm, expr, injected, Instant.now())
                                + "\nvmalert log:\n" + tail(dir.resolve("vmalert-incident.log")));
                    }
                    Thread.sleep(2000);
                }

                // the live runs end on SIGTERM with everything delivered
                for (Run r : List.of(incidentRun, quietRun)) {
                    r.process().destroy();
                    assertTrue(r.process().waitFor(60, TimeUnit.SECONDS), "live did not end after SIGTERM");
                    String text = Files.readString(r.log());
                    assertEquals(0, r.process().exitValue(), text);
                    assertTrue(text.contains("live: stopped by a signal after"), text);
                }
                incidentVm.flush();
                quietVm.flush();
                // what was written back until now; an alert due before this has had time to arrive (vmalert flushes every 1 s)
                Instant checked = Instant.now().minusSeconds(5);

                // the first moment each (environment, service) met the rule, from the stored series at 1 s steps; points
                // closer to now than the latency offset are left out (VictoriaMetrics adjusts them)
                Map<String, Instant> crossed = crossings(incidentVm, expr, injected.minusSeconds(60), Instant.now().minus(LATENCY_OFFSET).minusSeconds(1));
                firing = firstTimes(incidentVm, "ALERTS{alertname=\"" + ALERT + "\",alertstate=\"firing\"}", injected);
                var judged = new TreeSet<String>();
                for (var c : crossed.entrySet()) {
                    String key = c.getKey(), service = key.substring(key.indexOf('/') + 1);
                    if (!affected.contains(service)) continue;
                    Instant due = c.getValue().plus(LATENCY_OFFSET).plus(forDuration).plus(INTERVAL.multipliedBy(2));
                    Instant first = firing.get(key);
                    if (first == null) {
                        assertTrue(due.isAfter(checked), key + " met the rule at " + c.getValue() + " but did not fire by " + due + " (checked "
                                + checked + ")");
                        continue;
                    }
                    judged.add(key);
                    assertFalse(first.isAfter(due), key + " first fired at " + first + ", later than " + due + ": crossed at " + c.getValue()
                            + " + latency offset " + LATENCY_OFFSET + " + for " + forDuration + " + 2 x " + INTERVAL);
                    assertFalse(first.isBefore(c.getValue().plus(forDuration).minusSeconds(1)),
                            key + " first fired at " + first + ", before for " + forDuration + " had passed since it met the rule at " + c.getValue());
                    assertFalse(c.getValue().isBefore(injected), key + " met the rule at " + c.getValue() + ", before the incident at " + injected);
                }
                assertTrue(judged.containsAll(required), "judged " + judged + ", crossings " + crossed);

                // nothing pending or firing for a service the incident did not fail or cascade into
                for (String key : firstTimes(incidentVm, "{__name__=\"ALERTS\",alertname=\"" + ALERT + "\"}", injected.minus(Duration.ofMinutes(10))).keySet()) {
                    String service = key.substring(key.indexOf('/') + 1);
                    assertTrue(affected.contains(service) || callers.contains(service), key + " alerted but " + COMPONENT + " fails " + affected
                            + " (callers " + callers + ")");
                }

                // the quiet run: no incident, no alert state of the rule at all ...
                for (JsonNode e : truth(quietRun)) assertNotEquals("incident_start", e.get("event").asText(), "the quiet run had an incident: " + e);
                assertEquals(Map.of(), firstTimes(quietVm, "{__name__=~\"ALERTS.*\",alertname=\"" + ALERT + "\"}", injected.minus(Duration.ofMinutes(10))),
                        "the run without an incident raised " + ALERT);
                // ... not for want of input: vmalert evaluated the rule all along over busy services with failures
                double evaluations = metric(quietAlert, "vmalert_iteration_total", "");
                assertTrue(evaluations >= forDuration.dividedBy(INTERVAL), "vmalert evaluated the group only " + evaluations + " times");
                assertEquals(0, metric(quietAlert, "vmalert_alerting_rules_errors_total", "alertname=\"" + ALERT + "\""), "evaluation errors:\n"
                        + tail(dir.resolve("vmalert-quiet.log")));
                double at = checked.minus(LATENCY_OFFSET).getEpochSecond();
                double busy = LiveScrapeVmTest.scalar(quietVm, "count(sum by (environment, stack, service) (increase(requests_total[5m])) >= 20)", at);
                double failed = LiveScrapeVmTest.scalar(quietVm, "sum(increase(requests_total{success=\"false\"}[5m]))", at);
                assertTrue(busy >= 10, "only " + busy + " services of the quiet run had 20 requests in 5 minutes");
                assertTrue(failed >= 5, "the quiet run failed only " + failed + " requests");
            } finally {
                for (Process p : processes.reversed()) stop(p);
            }
        }
    }

    /** The shipped rules with the group's interval set to {@link #INTERVAL}, and nothing else changed. */
    static Path shortIntervalRules(Path to) throws Exception {
        String group = AlertRulesTest.ruleGroup(ALERT).path("name").asText();
        JsonNode doc = AlertRulesTest.yaml(AlertRulesTest.RULES);
        for (JsonNode g : doc.path("groups")) if (g.path("name").asText().equals(group)) ((ObjectNode) g).put("interval", INTERVAL.toSeconds() + "s");
        ComposeFileTest.YAML.writeValue(to.toFile(), doc);
        JsonNode shipped = AlertRulesTest.yaml(AlertRulesTest.RULES), copy = AlertRulesTest.yaml(to);
        assertNotEquals(shipped, copy);
        for (JsonNode g : shipped.path("groups")) if (g.path("name").asText().equals(group)) ((ObjectNode) g).put("interval", INTERVAL.toSeconds() + "s");
        assertEquals(shipped, copy, "only the interval differs");
        return to;
    }

    /** Makes JBang build the script and its launch once, so that the two runs do not both do it at the same moment. */
    static void prepareLaunch(Path dir) throws Exception {
        Path log = dir.resolve("prepare.log");
        var p = new ProcessBuilder(KitLayout.ROOT.resolve("jbang").toString(), "live", "--help").directory(KitLayout.ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "jbang live --help did not end");
        assertEquals(0, p.exitValue(), Files.readString(log));
    }

    static Run live(Path out, VictoriaMetricsProcess vm, String... extra) throws Exception {
        Files.createDirectories(out);
        var command = new ArrayList<>(List.of(KitLayout.ROOT.resolve("jbang").toString(), "live", "--rate", "25", "--duration", "15m",
                "--metrics", "native", "--scrape-interval", "5s", "--to", "vm", "--vm-url", vm.url().toString(), "-o", out.resolve("data").toString(),
                "--quiet"));
        command.addAll(List.of(extra));
        Path log = out.resolve("live.log");
        var p = new ProcessBuilder(command).directory(KitLayout.ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Run(out.resolve("data"), p, log);
    }

    /** vmalert 1.79 in normal mode; it has no -notifier.blackhole, so its notifications go to a port nothing listens on. */
    static Vmalert vmalert(Path rules, VictoriaMetricsProcess vm, Path log) throws Exception {
        int port;
        try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        var p = new ProcessBuilder(AlertRulesTest.vmalert().toString(), "-rule=" + rules, "-datasource.url=" + vm.url(), "-remoteWrite.url=" + vm.url(),
                "-remoteWrite.flushInterval=1s", "-notifier.url=http://127.0.0.1:9", "-httpListenAddr=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Vmalert(p, port);
    }

    /** The sum of a counter on vmalert's /metrics over its label sets that contain {@code labels}. */
    static double metric(Vmalert vmalert, String name, String labels) throws Exception {
        var r = LiveScrapeVmTest.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + vmalert.port() + "/metrics"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        for (String line : r.body().split("\n"))
            if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && line.contains(labels))
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        return sum;
    }

    static List<JsonNode> truth(Run r) throws Exception {
        var out = new ArrayList<JsonNode>();
        Path f = r.out().resolve("incidents.jsonl");
        if (!Files.exists(f)) return out;
        for (String line : Files.readAllLines(f)) if (line.endsWith("}")) out.add(MonitoringTestData.JSON.readTree(line));
        return out;
    }

    /** Waits for the first ground-truth line of {@code event}. */
    static JsonNode awaitTruth(Run r, String event) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (true) {
            for (JsonNode e : truth(r)) if (e.get("event").asText().equals(event)) return e;
            assertTrue(r.process().isAlive(), "live ended early:\n" + Files.readString(r.log()));
            assertTrue(System.nanoTime() < deadline, "no " + event + " in " + r.out().resolve("incidents.jsonl") + ":\n" + Files.readString(r.log()));
            Thread.sleep(200);
        }
    }

    /** The first sample time of each environment/stack:service among the series matching {@code selector}. */
    static Map<String, Instant> firstTimes(VictoriaMetricsProcess vm, String selector, Instant from) throws Exception {
        String body = vm.get("/api/v1/export?match[]=" + URLEncoder.encode(selector, StandardCharsets.UTF_8) + "&start=" + from.getEpochSecond()
                + "&end=" + Instant.now().plusSeconds(60).getEpochSecond());
        var out = new TreeMap<String, Instant>();
        for (String line : body.split("\n")) {
            if (line.isBlank()) continue;
            JsonNode s = MonitoringTestData.JSON.readTree(line);
            JsonNode m = s.get("metric");
            String key = m.path("environment").asText() + "/" + m.path("stack").asText() + ":" + m.path("service").asText();
            for (JsonNode t : s.get("timestamps")) out.merge(key, Instant.ofEpochMilli(t.asLong()), (a, b) -> a.isBefore(b) ? a : b);
        }
        return out;
    }

    /** The first time in [from, to], at 1 s steps, at which the rule's expression held for each environment/stack:service. */
    static Map<String, Instant> crossings(VictoriaMetricsProcess vm, String expr, Instant from, Instant to) throws Exception {
        var out = new TreeMap<String, Instant>();
        if (!to.isAfter(from)) return out;
        String body = vm.get("/api/v1/query_range?nocache=1&step=1s&query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)
                + "&start=" + from.getEpochSecond() + "&end=" + to.getEpochSecond());
        for (JsonNode s : MonitoringTestData.JSON.readTree(body).path("data").path("result")) {
            JsonNode m = s.get("metric");
            String key = m.path("environment").asText() + "/" + m.path("stack").asText() + ":" + m.path("service").asText();
            for (JsonNode v : s.get("values")) out.merge(key, Instant.ofEpochSecond(v.get(0).asLong()), (a, b) -> a.isBefore(b) ? a : b);
        }
        return out;
    }

    static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return log.getFileName() + ":\n" + s.substring(Math.max(0, s.length() - 3000)) + "\n";
        } catch (Exception e) {
            return log + ": (none)\n";
        }
    }

    static void stop(Process p) throws InterruptedException {
        if (!p.isAlive()) return;
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
    }
}
