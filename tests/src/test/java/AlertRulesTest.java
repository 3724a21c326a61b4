import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated alert rules against the real Debian vmalert and VictoriaMetrics. The native metrics of a 3-hour run
 * with one infrastructure incident at a 95 % failure rate, replayed through vmalert: the error-ratio alert fires for
 * the services the incident failed, each within the rule's {@code for} plus two evaluation intervals of the incident's
 * start, and for no other service or time; the same window without incidents fires nothing although the rule has
 * data to judge. The rules file passes {@code vmalert -dryRun} (a broken one does not), and the Grafana provisioning
 * parses, refers to provisioned data sources and carries the same rules as the vmalert files.
 */
class AlertRulesTest {
    static final Path RULES = KitLayout.ROOT.resolve("config/vmalert/rules.yml");
    static final Path VLOGS_RULES = KitLayout.ROOT.resolve("config/vmalert/rules-vlogs.yml");
    static final Path GRAFANA = KitLayout.ROOT.resolve("config/grafana/provisioning/alerting/qairon-alerts.yaml");
    static final String ERROR_RATIO = "QaironServiceErrorRatioHigh";
    static final Instant FROM = Instant.parse("2026-05-31T21:00:00Z"), TO = Instant.parse("2026-06-01T00:00:00Z");

    static Path dir;
    static VictoriaMetricsProcess incidentVm, quietVm;
    static Path incidentData, quietData;
    static JsonNode incident;

    @BeforeAll
    static void generateImportAndReplay() throws Exception {
        dir = KitLayout.testDir("alert-rules");
        // one incident in the window: the shipped model with incidents frequent enough for 3 hours and 45 minutes long;
        // --incident-intensity makes its failure rate the cap (0.95)
        Path model = dir.resolve("model");
        Files.createDirectories(model);
        for (String f : PlatformModelLoader.FILES) Files.copy(MonitoringTestData.MODEL.resolve(f), model.resolve(f));
        ObjectNode infra = (ObjectNode) MonitoringTestData.JSON.readTree(model.resolve("infrastructure.json").toFile());
        ((ObjectNode) infra.get("incidents")).putArray("per_component_per_year").add(240).add(240);
        ((ObjectNode) infra.get("incidents")).putArray("duration_minutes").add(45).add(45);
        MonitoringTestData.JSON.writeValue(model.resolve("infrastructure.json").toFile(), infra);

        incidentData = generate(model, dir.resolve("incident"), 5, 2000.0);
        quietData = generate(MonitoringTestData.MODEL, dir.resolve("quiet"), 42, null);
        JsonNode incidents = MonitoringTestData.JSON.readTree(incidentData.resolve("incidents.json").toFile()).get("incidents");
        assertEquals(1, incidents.size(), "seed 5 puts one incident in the window: " + incidents);
        incident = incidents.get(0);
        assertTrue(incident.get("failure_rate").asDouble() >= 0.9, incident.toString());
        assertEquals(0, MonitoringTestData.JSON.readTree(quietData.resolve("incidents.json").toFile()).get("incidents").size(),
                "seed 42 has no incident in the window");

        incidentVm = VictoriaMetricsProcess.start(dir.resolve("vm-incident"));
        quietVm = VictoriaMetricsProcess.start(dir.resolve("vm-quiet"));
        for (var run : List.of(Map.entry(incidentVm, incidentData), Map.entry(quietVm, quietData))) {
            importNative(run.getKey(), run.getValue());
            assertEquals(0, replay(run.getKey(), RULES, run.getValue().resolve("vmalert.log")), "vmalert replay failed, see "
                    + run.getValue().resolve("vmalert.log"));
            run.getKey().flush();
        }
    }

    @AfterAll
    static void stop() {
        if (incidentVm != null) incidentVm.close();
        if (quietVm != null) quietVm.close();
    }

    static Path generate(Path model, Path out, long seed, Double intensity) {
        var req = MonitoringGeneration.request(model, 30_000L, 3_000, out, seed, 2, 2, null, "jsonl", "seed", null, "2026-06-01", null, "3h",
                "native", "15s");
        if (intensity != null) req = req.withIncidentIntensity(intensity);
        MonitoringGeneration.run(req, true);
        return out;
    }

    static void importNative(VictoriaMetricsProcess vm, Path data) {
        var out = new ByteArrayOutputStream();
        var run = new ImportRun<>("import-vm", vm.url(), "samples", "native_metrics_*.jsonl*", new VmImportLine(), VmImportLine.format(),
                VmImportLine.counters(vm.url()));
        var r = run.execute(List.of(data.toString()), ImportTestData.options("--quiet", "--checkpoint", data.resolve("cp.tsv").toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(0, r.exitCode(), out.toString(StandardCharsets.UTF_8));
        vm.flush();
    }

    static Path vmalert() {
        return VictoriaMetricsProcess.binary().resolveSibling("vmalert");
    }

    /**
     * vmalert in replay mode over the window, ALERTS written back into the same store. Debian's vmalert (1.79)
     * queries with the -datasource.queryStep as the step of its range queries, so it is set to the rules' interval.
     */
    static int replay(VictoriaMetricsProcess vm, Path rules, Path log) throws Exception {
        var p = new ProcessBuilder(vmalert().toString(), "-rule=" + rules, "-datasource.url=" + vm.url(), "-remoteWrite.url=" + vm.url(),
                "-replay.timeFrom=" + FROM, "-replay.timeTo=" + TO, "-replay.disableProgressBar", "-replay.rulesDelay=0s",
                "-datasource.queryStep=" + ruleGroup(ERROR_RATIO).path("interval").asText(), "-httpListenAddr=127.0.0.1:0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "vmalert replay did not finish");
        return p.exitValue();
    }

    static int dryRun(Path rules, Path log) throws Exception {
        var p = new ProcessBuilder(vmalert().toString(), "-dryRun", "-rule=" + rules).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        return p.exitValue();
    }

    static JsonNode yaml(Path file) throws Exception {
        return ComposeFileTest.YAML.readTree(file.toFile());
    }

    /** The vmalert group holding an alert. */
    static JsonNode ruleGroup(String alert) throws Exception {
        for (JsonNode g : yaml(RULES).path("groups"))
            for (JsonNode r : g.path("rules")) if (r.path("alert").asText().equals(alert)) return g;
        throw new AssertionError(alert + " not in " + RULES);
    }

    static JsonNode rule(String alert) throws Exception {
        for (JsonNode r : ruleGroup(alert).path("rules")) if (r.path("alert").asText().equals(alert)) return r;
        throw new AssertionError(alert);
    }

    /** A Prometheus-style duration: 0s, 90s, 5m, 1h. */
    static Duration duration(String d) {
        return Duration.parse("PT" + d.toUpperCase(java.util.Locale.ROOT));
    }

    /** One series of an export: its labels and sample times. */
    record Series(Map<String, String> labels, List<Instant> times) {
        String service() { return labels.get("stack") + ":" + labels.get("service"); }
        String key() { return labels.get("environment") + "/" + service(); }
    }

    static List<Series> export(VictoriaMetricsProcess vm, String selector) throws Exception {
        String body = vm.get("/api/v1/export?match[]=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)
                + "&start=" + FROM.minusSeconds(3600).getEpochSecond() + "&end=" + TO.plusSeconds(3600).getEpochSecond());
        var out = new ArrayList<Series>();
        for (String line : body.split("\n")) {
            if (line.isBlank()) continue;
            JsonNode s = MonitoringTestData.JSON.readTree(line);
            var labels = new TreeMap<String, String>();
            s.get("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            var times = new ArrayList<Instant>();
            s.get("timestamps").forEach(t -> times.add(Instant.ofEpochMilli(t.asLong())));
            out.add(new Series(labels, times));
        }
        return out;
    }

    static Instant instant(JsonNode n) {
        return Instant.parse(n.asText());
    }

    /** Requests (log lines of the service, root or child) per environment/stack:service in [from, to). */
    static Map<String, Integer> requests(Path data, Instant from, Instant to) {
        var out = new HashMap<String, Integer>();
        for (JsonNode l : MonitoringTestData.lines(data, "logs")) {
            Instant t = Instant.parse(l.get("timestamp").asText());
            if (t.isBefore(from) || !t.isBefore(to)) continue;
            String env = l.get("release_id").asText().split(":")[0];
            out.merge(env + "/" + l.get("stack").asText() + ":" + l.get("service").asText(), 1, Integer::sum);
        }
        return out;
    }

    @Test
    void theErrorRatioAlertFiresForTheFailingServicesWithinForPlusTwoIntervals() throws Exception {
        Duration interval = duration(ruleGroup(ERROR_RATIO).path("interval").asText());
        Duration forDuration = duration(rule(ERROR_RATIO).path("for").asText());
        Instant start = instant(incident.get("start")), end = instant(incident.get("end"));
        var failing = new TreeSet<String>();
        incident.get("affected_services").forEach(s -> failing.add(s.asText()));
        var cascades = new TreeSet<String>();
        incident.get("cascade_callers").forEach(s -> cascades.add(s.asText()));

        var firing = export(incidentVm, "ALERTS{alertname=\"" + ERROR_RATIO + "\",alertstate=\"firing\"}");
        assertFalse(firing.isEmpty(), "no firing " + ERROR_RATIO + " after the replay of an incident at rate " + incident.get("failure_rate"));
        // nothing else fires, and nothing outside the incident (its failures leave the 5m window a window later)
        Instant latest = end.plus(Duration.ofMinutes(5)).plus(interval.multipliedBy(2));
        for (Series s : firing) {
            assertTrue(failing.contains(s.service()) || cascades.contains(s.service()),
                    s.key() + " fired but the incident failed " + failing + " (callers " + cascades + ")");
            for (Instant t : s.times())
                assertTrue(!t.isBefore(start) && !t.isAfter(latest), s.key() + " firing at " + t + ", outside the incident " + start + " .. " + end);
        }
        // every failing service busy enough to be judged right away fires in time
        Instant deadline = start.plus(forDuration).plus(interval.multipliedBy(2));
        var firstFiring = new HashMap<String, Instant>();
        for (Series s : firing) firstFiring.merge(s.key(), s.times().get(0), (a, b) -> a.isBefore(b) ? a : b);
        var busy = new TreeSet<String>();
        requests(incidentData, start, start.plus(Duration.ofMinutes(5))).forEach((k, n) -> {
            if (n >= 30 && failing.contains(k.substring(k.indexOf('/') + 1))) busy.add(k);
        });
        assertTrue(busy.size() >= 2, "too few failing services with traffic to check: " + busy);
        for (String k : busy) {
            Instant first = firstFiring.get(k);
            assertNotNull(first, k + " failed at rate " + incident.get("failure_rate") + " from " + start + " but " + ERROR_RATIO + " never fired");
            assertFalse(first.isAfter(deadline), k + " fired at " + first + ", later than " + deadline + " (start + for " + forDuration
                    + " + 2 x " + interval + ")");
        }
    }

    @Test
    void aRunWithoutIncidentsFiresNoErrorRatioAlert() throws Exception {
        assertEquals(List.of(), export(quietVm, "{__name__=~\"ALERTS.*\",alertname=\"" + ERROR_RATIO + "\"}").stream().map(Series::key).toList());
        // not for want of anything to judge: the rule was replayed over services that served and failed requests
        assertTrue(Files.readString(quietData.resolve("vmalert.log")).contains(ERROR_RATIO), "vmalert did not replay " + ERROR_RATIO);
        long failed = MonitoringTestData.lines(quietData, "logs").stream().filter(l -> !l.path("success").asBoolean(true)).count();
        assertTrue(failed >= 100, "the quiet run failed only " + failed + " requests");
        long busy = requests(quietData, FROM, FROM.plus(Duration.ofMinutes(5))).values().stream().filter(n -> n >= 20).count();
        assertTrue(busy >= 10, "only " + busy + " services with 20 requests in 5 minutes");
    }

    @Test
    void vmalertAcceptsTheRulesFileAndRejectsABrokenOne() throws Exception {
        Path log = dir.resolve("dry-run.log");
        assertEquals(0, dryRun(RULES, log), Files.readString(log));
        Path broken = dir.resolve("broken-rules.yml");
        Files.writeString(broken, Files.readString(RULES).replace("increase(requests_total{success=\"false\"}", "increase(requests_total{success=\"false\""));
        assertNotEquals(Files.readString(RULES), Files.readString(broken));
        assertNotEquals(0, dryRun(broken, dir.resolve("dry-run-broken.log")), "vmalert -dryRun took an unparsable expression");
    }

    static JsonNode grafanaRule(String title) throws Exception {
        for (JsonNode g : yaml(GRAFANA).path("groups"))
            for (JsonNode r : g.path("rules")) if (r.path("title").asText().equals(title)) return r;
        throw new AssertionError(title + " not in " + GRAFANA);
    }

    @Test
    void theGrafanaProvisioningParsesAndUsesTheProvisionedDataSources() throws Exception {
        JsonNode doc = yaml(GRAFANA);
        assertEquals(1, doc.path("apiVersion").asInt());
        var provisioned = DashboardsTest.provisioned();
        String folder = yaml(KitLayout.ROOT.resolve("config/grafana/provisioning/dashboards/dashboards.yaml")).at("/providers/0/folder").asText();
        var uids = new HashSet<String>();
        int rules = 0;
        for (JsonNode g : doc.path("groups")) {
            assertEquals(1, g.path("orgId").asInt());
            assertEquals(folder, g.path("folder").asText(), "alert rules go to the dashboards' folder");
            assertFalse(duration(g.path("interval").asText()).isZero(), g.toString());
            for (JsonNode r : g.path("rules")) {
                String where = g.path("name").asText() + "/" + r.path("title").asText();
                String uid = r.path("uid").asText();
                assertTrue(!uid.isEmpty() && uid.length() <= 40 && uids.add(uid), where + ": uid " + uid);
                var refs = new HashSet<String>();
                for (JsonNode q : r.path("data")) {
                    refs.add(q.path("refId").asText());
                    String ds = q.path("datasourceUid").asText();
                    if (ds.equals("__expr__")) {
                        assertTrue(refs.contains(q.at("/model/expression").asText()), where + ": " + q.path("refId") + " reads a query defined after it");
                        continue;
                    }
                    assertTrue(provisioned.containsKey(ds), where + ": data source " + ds + " is not provisioned " + provisioned.keySet());
                    assertEquals(ds, q.at("/model/datasource/uid").asText(), where);
                    assertEquals(provisioned.get(ds), q.at("/model/datasource/type").asText(), where + ": type of " + ds);
                    assertTrue(q.at("/relativeTimeRange/from").asInt() > 0, where + ": no time range");
                }
                assertTrue(refs.contains(r.path("condition").asText()), where + ": condition " + r.path("condition") + " is not a query");
                assertFalse(r.path("for").asText().isEmpty(), where);
                assertFalse(r.path("labels").path("severity").asText().isEmpty(), where);
                assertFalse(r.path("annotations").path("summary").asText().isEmpty(), where);
                rules++;
            }
        }
        assertEquals(3, rules);
        assertTrue(uids.containsAll(Set.of("qairon-service-error-ratio", "qairon-service-p99-latency", "qairon-infrastructure-error-burst")), uids.toString());
    }

    @Test
    void grafanaAndVmalertCarryTheSameRules() throws Exception {
        var vmalertRules = new TreeMap<String, JsonNode>();
        var groups = new TreeMap<String, JsonNode>();
        for (Path f : List.of(RULES, VLOGS_RULES))
            for (JsonNode g : yaml(f).path("groups"))
                for (JsonNode r : g.path("rules")) {
                    vmalertRules.put(r.path("alert").asText(), r);
                    groups.put(r.path("alert").asText(), g);
                }
        var grafanaGroups = new HashMap<String, JsonNode>();
        var grafanaRules = new TreeMap<String, JsonNode>();
        for (JsonNode g : yaml(GRAFANA).path("groups"))
            for (JsonNode r : g.path("rules")) {
                grafanaRules.put(r.path("title").asText(), r);
                grafanaGroups.put(r.path("title").asText(), g);
            }
        assertEquals(vmalertRules.keySet(), grafanaRules.keySet());
        for (String alert : vmalertRules.keySet()) {
            JsonNode v = vmalertRules.get(alert), g = grafanaRules.get(alert);
            JsonNode vg = groups.get(alert), gg = grafanaGroups.get(alert);
            assertEquals(vg.path("name").asText(), gg.path("name").asText(), alert);
            assertEquals(duration(vg.path("interval").asText()), duration(gg.path("interval").asText()), alert + ": interval");
            assertEquals(duration(v.path("for").asText()), duration(g.path("for").asText()), alert + ": for");
            assertEquals(v.path("labels"), g.path("labels"), alert + ": labels");
            assertEquals(v.at("/annotations/description"), g.at("/annotations/description"), alert);
            String value = g.at("/data/0/model/expr").asText();
            String threshold = g.at("/data/2/model/conditions/0/evaluator/params/0").asText();
            assertEquals("gt", g.at("/data/2/model/conditions/0/evaluator/type").asText());
            assertEquals("last", g.at("/data/1/model/reducer").asText());
            boolean logs = vg.path("type").asText().equals("vlogs");
            assertEquals(logs ? "qairon-vl" : "qairon-vm", g.at("/data/0/datasourceUid").asText(), alert);
            if (logs) {
                String field = value.substring(value.lastIndexOf(" as ") + 4);
                assertEquals(value + " | filter " + field + ":>" + threshold, v.path("expr").asText(), alert);
                assertEquals("stats", g.at("/data/0/model/queryType").asText());
                assertEquals(duration(vg.path("interval").asText()).toSeconds(), g.at("/data/0/relativeTimeRange/from").asLong(),
                        alert + ": Grafana counts the lines of one group interval, as vmalert does");
            } else {
                assertEquals("(" + value + ") > " + threshold, v.path("expr").asText(), alert);
                assertTrue(g.at("/data/0/model/instant").asBoolean(), alert);
            }
        }
        assertEquals(Set.of("vlogs"), Set.copyOf(yaml(VLOGS_RULES).findValuesAsText("type")), "rules-vlogs.yml holds only vlogs groups");
        assertTrue(yaml(RULES).findValuesAsText("type").isEmpty(), "rules.yml is for Debian's vmalert, which knows no vlogs groups");
    }

    @Test
    void theLogsRuleReadsFieldsTheLogsCarry() throws Exception {
        String expr = rule("QaironInfrastructureErrorBurst", VLOGS_RULES).path("expr").asText();
        assertTrue(expr.startsWith("error_source:infrastructure* | stats by (environment, error_source) count() as errors | filter errors:>"), expr);
        // error_source is a log field the generator writes; environment is a release tag the importers add from release_id
        JsonNode line = MonitoringTestData.lines(incidentData, "logs").stream()
                .filter(l -> l.path("error_source").asText().startsWith("infrastructure:")).findFirst().orElseThrow();
        assertEquals("infrastructure:" + incident.get("component").asText(), line.get("error_source").asText());
        assertTrue(ReleaseId.PART_NAMES.contains("environment"), "environment is one of the release tags");
    }

    static JsonNode rule(String alert, Path file) throws Exception {
        for (JsonNode g : yaml(file).path("groups"))
            for (JsonNode r : g.path("rules")) if (r.path("alert").asText().equals(alert)) return r;
        throw new AssertionError(alert + " not in " + file);
    }
}
