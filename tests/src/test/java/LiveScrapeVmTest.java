import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --serve-metrics} scraped by the real vmagent (Debian victoria-metrics package) every second and written to a
 * real VictoriaMetrics: the scraped counters are the generated requests exactly, over the whole run ({@code increase()},
 * {@code increase_pure()}, the last values) and over a window between two scrapes in the middle of it; the
 * OpenMetrics form carries exemplars of real slow or failed traces and is valid for VictoriaMetrics' own parser.
 */
class LiveScrapeVmTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void vmagentScrapesExactlyTheGeneratedRequests() throws Exception {
        Path dir = KitLayout.testDir("live-scrape");
        Path data = dir.resolve("data");
        try (var vm = VictoriaMetricsProcess.start(dir.resolve("vm"))) {
            var live = new LiveOptions();
            live.rate = 60.0;
            var s = LiveLaunch.settings(MonitoringTestData.MODEL, 9, live, null, "12s", 2, data, "seed", null, "native", "1s", 1);
            var run = new LiveRun(s, LiveClock.SYSTEM, new MonitoringFiles(data, 2, MonitoringFiles.streams(false, true)));
            try (var server = LiveServer.start(LiveServer.address("127.0.0.1:0"), run)) {
                Path config = dir.resolve("scrape.yml");
                Files.writeString(config, """
                        global:
                          scrape_interval: 1s
                        scrape_configs:
                          - job_name: live
                            honor_timestamps: true
                            static_configs:
                              - targets: ["127.0.0.1:%d"]
                        """.formatted(server.address().getPort()));
                int agentPort;
                try (var sock = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                    agentPort = sock.getLocalPort();
                }
                Path agentLog = dir.resolve("vmagent.log");
                Process agent = new ProcessBuilder("/usr/bin/vmagent", "-promscrape.config=" + config, "-remoteWrite.url=" + vm.url() + "/api/v1/write",
                        "-remoteWrite.tmpDataPath=" + dir.resolve("vmagent"), "-httpListenAddr=127.0.0.1:" + agentPort, "-loggerLevel=WARN")
                        .redirectErrorStream(true).redirectOutput(agentLog.toFile()).start();
                try {
                    var result = run.run(true);
                    assertEquals("--duration over", result.stopReason());

                    // the requests the run made, from its own logs: each request and child span line is one request counted
                    List<Long> times = new ArrayList<>();
                    Set<String> traces = new HashSet<>();
                    for (JsonNode l : MonitoringTestData.lines(data, "logs")) {
                        if (l.get("user_id").asText().equals("system")) continue;
                        times.add(MonitoringTestData.micros(l.get("timestamp").asText()));
                        traces.add(l.get("trace_id").asText());
                    }
                    long total = times.size();
                    assertEquals(result.spans(), total);
                    assertTrue(total > 1000, "a busy enough run: " + total);

                    // the last scrape after the end has every request; wait for vmagent to take it and write it
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                    double last = -1;
                    while (System.nanoTime() < deadline) {
                        assertTrue(agent.isAlive(), "vmagent exited: " + Files.readString(agentLog));
                        vm.flush();
                        last = scalar(vm, "sum(last_over_time(requests_total[10m]))", now());
                        if (last == total) break;
                        Thread.sleep(500);
                    }
                    assertEquals(total, last, "the last scraped counters add up to the generated requests; vmagent log:\n" + Files.readString(agentLog));
                    double end = now();
                    assertEquals(total, scalar(vm, "sum(increase(requests_total[10m]))", end), "increase() over the whole run");
                    assertEquals(total, scalar(vm, "sum(increase_pure(requests_total[10m]))", end), "increase_pure() over the whole run");
                    assertEquals(total, scalar(vm, "sum(last_over_time(request_duration_seconds_count[10m]))", end), "histogram count");

                    // a window between two scrapes in the middle: exactly the requests stamped inside it
                    List<Long> scrapes = new ArrayList<>(scrapeTimes(vm));
                    assertTrue(scrapes.size() >= 6, "vmagent scraped every second: " + scrapes);
                    long a = scrapes.get(scrapes.size() / 3), b = scrapes.get(2 * scrapes.size() / 3);
                    long inWindow = times.stream().filter(t -> t >= a * 1000 && t < b * 1000).count();
                    long before = times.stream().filter(t -> t < b * 1000).count();
                    assertTrue(inWindow > 0);
                    assertEquals(before, scalar(vm, "sum(last_over_time(requests_total[10m]))", b / 1000.0), "counters at a scrape = requests before it");
                    assertEquals(inWindow, scalar(vm, "sum(increase_pure(requests_total[" + (b - a) + "ms]))", b / 1000.0),
                            "increase between two scrapes = requests between them");
                    assertEquals(inWindow, scalar(vm, "sum(increase(requests_total[" + (b - a) + "ms]))", b / 1000.0), "increase() alike");

                    // the OpenMetrics form: exemplars of the run's own traces, valid for VictoriaMetrics' parser
                    var om = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
                            .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5").build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, om.statusCode());
                    assertTrue(om.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
                    String text = om.body();
                    assertTrue(text.endsWith("# EOF\n"));
                    assertTrue(text.contains("# TYPE requests counter\n") && text.contains("# TYPE request_duration_seconds histogram\n"));
                    var exemplar = java.util.regex.Pattern.compile("# \\{trace_id=\"([0-9a-f]{32})\"} ").matcher(text);
                    int exemplars = 0;
                    while (exemplar.find()) {
                        assertTrue(traces.contains(exemplar.group(1)), "exemplar of a generated trace: " + exemplar.group(1));
                        exemplars++;
                    }
                    assertTrue(exemplars > 10, "exemplars on the latency buckets: " + exemplars);
                    var plain = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
                    assertTrue(plain.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
                    assertFalse(plain.body().contains("# {"), "no exemplars in the Prometheus text format");
                    assertTrue(plain.body().contains("# TYPE requests_total counter\n"));
                    long samples = text.lines().filter(l -> !l.startsWith("#")).count();
                    var imported = HTTP.send(HttpRequest.newBuilder(URI.create(vm.url() + "/api/v1/import/prometheus"))
                            .POST(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(204, imported.statusCode(), imported.body());
                    assertEquals(0, counter(vm, "vm_rows_invalid_total{type=\"prometheus\"}"), "no OpenMetrics line refused");
                    long accepted = 0;
                    for (int i = 0; i < 100 && (accepted = counter(vm, "vm_rows_inserted_total{type=\"prometheus\"}")) < samples; i++) Thread.sleep(100);
                    assertEquals(samples, accepted, "every sample line of the OpenMetrics scrape taken");
                } finally {
                    agent.destroy();
                    if (!agent.waitFor(20, TimeUnit.SECONDS)) agent.destroyForcibly().waitFor();
                }
            }
        }
    }

    static double now() { return System.currentTimeMillis() / 1000.0; }

    static double scalar(VictoriaMetricsProcess vm, String promql, double time) throws Exception {
        String body = vm.get("/api/v1/query?nocache=1&query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time=" + String.format(Locale.ROOT, "%.3f", time));
        JsonNode result = MonitoringTestData.JSON.readTree(body).path("data").path("result");
        if (result.isEmpty()) return 0;
        return result.get(0).get("value").get(1).asDouble();
    }

    /** The timestamps (ms) vmagent stamped on the scraped samples: the endpoint's, one per scrape. */
    static TreeSet<Long> scrapeTimes(VictoriaMetricsProcess vm) throws Exception {
        var out = new TreeSet<Long>();
        String body = vm.get("/api/v1/export?match[]=" + URLEncoder.encode("requests_total", StandardCharsets.UTF_8));
        for (String line : body.split("\n")) {
            if (line.isBlank()) continue;
            JsonNode n = MonitoringTestData.JSON.readTree(line);
            for (int i = 0; i < n.get("timestamps").size(); i++) if (!n.get("values").get(i).isNull()) out.add(n.get("timestamps").get(i).asLong());
        }
        return out;
    }

    static long counter(VictoriaMetricsProcess vm, String name) {
        for (String line : vm.get("/metrics").split("\n")) if (line.startsWith(name + " ")) return (long) Double.parseDouble(line.substring(name.length() + 1));
        return 0;
    }
}
