import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker-compose.yml, its production override and the Tempo config, read statically (no Docker engine needed). */
class ComposeFileTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final List<String> STACK = List.of("postgres", "victoria", "victorialogs", "tempo", "grafana");

    static JsonNode yaml(String path) throws Exception {
        return YAML.readTree(KitLayout.ROOT.resolve(path).toFile());
    }

    static Map<String, JsonNode> services(String path) throws Exception {
        var out = new HashMap<String, JsonNode>();
        yaml(path).path("services").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Short-syntax volume "source:target[:options]". */
    record Mount(String service, String source, String target, String options) {
        static Mount parse(String service, String spec) {
            String[] p = spec.split(":");
            return new Mount(service, p[0], p[1], p.length > 2 ? p[2] : "");
        }

        boolean readOnly() { return List.of(options.split(",")).contains("ro"); }
    }

    static List<Mount> mounts(Map<String, JsonNode> services) {
        var out = new ArrayList<Mount>();
        services.forEach((name, s) -> s.path("volumes").forEach(v -> out.add(Mount.parse(name, v.asText()))));
        return out;
    }

    @Test
    void theStackHasEveryServiceTheKitNeeds() throws Exception {
        assertTrue(services("docker-compose.yml").keySet().containsAll(STACK), "services: " + services("docker-compose.yml").keySet());
    }

    @Test
    void everyStoreMayOpenAsManyFilesAsAYearOfDataNeeds() throws Exception {
        for (String file : List.of("docker-compose.yml", "docker-compose.production.yml")) {
            var services = services(file);
            for (String store : List.of("postgres", "victoria", "victorialogs", "tempo")) {
                JsonNode nofile = services.get(store).path("ulimits").path("nofile");
                assertTrue(nofile.isObject(), file + ": " + store + " sets no ulimits nofile (soft and hard), so the engine's default applies");
                long soft = nofile.path("soft").asLong(-1), hard = nofile.path("hard").asLong(-1);
                assertTrue(soft >= OpenFilesLimit.RECOMMENDED, file + ": " + store + " soft nofile " + soft + " is below what dev health asks for");
                assertTrue(hard >= soft, file + ": " + store + " hard nofile " + hard + " is below the soft " + soft);
            }
        }
    }

    @Test
    void everyImageIsPinnedToAVersion() throws Exception {
        services("docker-compose.yml").forEach((name, s) -> {
            String image = s.path("image").asText();
            int colon = image.lastIndexOf(':');
            assertTrue(colon > 0, name + ": image " + image + " has no tag");
            String tag = image.substring(colon + 1);
            assertNotEquals("latest", tag, name + ": image " + image + " is not pinned");
            assertTrue(tag.matches("v?\\d+(\\.\\d+)+([.-][A-Za-z0-9.-]+)?"), name + ": tag " + tag + " is not a version");
            assertFalse(image.contains("${"), name + ": image " + image + " depends on the environment");
        });
    }

    @Test
    void everyServiceHasAHealthcheck() throws Exception {
        services("docker-compose.yml").forEach((name, s) -> {
            JsonNode test = s.path("healthcheck").path("test");
            assertTrue(test.isArray() && test.size() >= 2, name + " has no healthcheck");
            assertNotEquals("NONE", test.get(0).asText(), name + " disables its healthcheck");
            assertFalse(s.path("healthcheck").path("disable").asBoolean(false), name + " disables its healthcheck");
        });
    }

    @Test
    void everyPublishedPortIsOnLoopbackOnly() throws Exception {
        int published = 0;
        for (var e : services("docker-compose.yml").entrySet()) {
            for (JsonNode port : e.getValue().path("ports")) {
                assertTrue(port.isTextual(), e.getKey() + ": use the short port syntax host-ip:host-port:container-port");
                assertTrue(port.asText().startsWith("127.0.0.1:"), e.getKey() + ": port " + port.asText() + " is not bound to 127.0.0.1");
                published++;
            }
        }
        assertEquals(8, published, "postgres, victoria, victorialogs, tempo (http, otlp grpc, otlp http), grafana, live");
    }

    @Test
    void dataIsBindMountedUnderDevDataWithSelinuxRelabelling() throws Exception {
        var services = services("docker-compose.yml");
        var mounts = mounts(services);
        for (Mount m : mounts) {
            assertTrue(List.of(m.options().split(",")).contains("z"), m + ": bind mount without :z");
            boolean config = m.source().startsWith("./config/");
            boolean runtime = m.source().startsWith("./.dev/data/") || m.source().startsWith("./.dev/logs/") || m.source().startsWith("./.dev/services/");
            // live mode runs the kit itself: its sources read-only, its caches and output in its .dev
            boolean kit = m.service().equals("live") && (m.source().equals("./") || m.source().equals("./.dev"));
            assertTrue(config || runtime || kit, m + ": mounts must come from ./config (read-only) or ./.dev");
            if (config || kit && m.source().equals("./")) assertTrue(m.readOnly(), m + " must be mounted read-only");
        }
        for (String s : STACK) {
            assertTrue(mounts.stream().anyMatch(m -> m.service().equals(s) && m.source().startsWith("./.dev/data/") && !m.readOnly()),
                    s + " keeps no data under .dev/data");
        }
        assertTrue(mounts.stream().anyMatch(m -> m.service().equals("grafana") && m.source().startsWith("./.dev/logs/")), "grafana logs go to .dev/logs");
        assertFalse(yaml("docker-compose.yml").has("volumes"), "no named volumes: data lives in .dev/data");
    }

    @Test
    void theDevStepKnowsTheSameDataDirectoriesAsCompose() throws Exception {
        var mounts = mounts(services("docker-compose.yml"));
        for (DevService s : DevService.all(DevEnv.load(Path.of("/nonexistent/.env")))) {
            assertTrue(mounts.stream().anyMatch(m -> m.service().equals(s.name()) && m.source().equals("./.dev/data/" + s.dataDir())),
                    s.name() + ": the dev step backs up .dev/data/" + s.dataDir() + " but compose mounts something else");
        }
    }

    @Test
    void productionOverrideMovesEveryDataMountToDataProduction() throws Exception {
        var dev = mounts(services("docker-compose.yml")).stream().filter(m -> m.source().startsWith("./.dev/data/")).toList();
        var prod = mounts(services("docker-compose.production.yml"));
        for (Mount d : dev) {
            String dir = d.source().substring("./.dev/data/".length());
            assertTrue(prod.contains(new Mount(d.service(), "./data/production/" + dir, d.target(), d.options())),
                    d.service() + ": production must mount ./data/production/" + dir + " at " + d.target() + ", has " + prod);
        }
        for (Mount p : prod) assertTrue(p.source().startsWith("./data/production/") || p.source().startsWith("./logs/"), p.toString());
        assertTrue(Files.readString(KitLayout.ROOT.resolve(".gitignore")).contains("data/production/"), "production data is gitignored");
    }

    @Test
    void credentialsComeFromTheEnvironmentAndEveryVariableIsInEnvExample() throws Exception {
        String compose = Files.readString(KitLayout.ROOT.resolve("docker-compose.yml"));
        var example = new Properties();
        try (var r = Files.newBufferedReader(KitLayout.ROOT.resolve(".env.example"))) {
            example.load(r);
        }
        var m = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(compose);
        int vars = 0;
        while (m.find()) {
            vars++;
            String v = m.group(1);
            if (v.equals("QAIRON_UID") || v.equals("QAIRON_GID")) continue; // set by ./jbang dev to the caller's ids
            assertTrue(example.containsKey(v), v + " is used by docker-compose.yml but missing from .env.example");
        }
        assertTrue(vars > 10);
        services("docker-compose.yml").forEach((name, s) -> s.path("environment").fields().forEachRemaining(e -> {
            if (e.getKey().matches(".*(PASSWORD|USER)$"))
                assertTrue(e.getValue().asText().startsWith("${"), name + ": " + e.getKey() + " is written into the compose file");
        }));
        assertTrue(Files.readString(KitLayout.ROOT.resolve(".gitignore")).lines().anyMatch(".env"::equals), ".env is gitignored");
    }

    @Test
    void victoriaMetricsKeepsTwoYearsAndVictoriaLogsRunsWithTheSeedsIngestFlags() throws Exception {
        var s = services("docker-compose.yml");
        var vm = new ArrayList<String>();
        s.get("victoria").path("command").forEach(c -> vm.add(c.asText()));
        assertTrue(vm.contains("-retentionPeriod=2y"), vm.toString());
        var vl = new ArrayList<String>();
        s.get("victorialogs").path("command").forEach(c -> vl.add(c.asText()));
        for (String flag : List.of("-maxConcurrentInserts=240", "-fs.maxConcurrency=1000", "-inmemoryDataFlushInterval=15s",
                "-memory.allowedPercent=60", "-retentionPeriod=2y"))
            assertTrue(vl.contains(flag), "victorialogs lacks " + flag + ": " + vl);
    }

    @Test
    void vmalertRunsTheGeneratedRulesAgainstEachStoreAndWritesAlertStatesToVictoriaMetrics() throws Exception {
        var s = services("docker-compose.yml");
        String vmTag = s.get("victoria").path("image").asText().replaceAll(".*:", "");
        var stores = Map.of("vmalert", Map.entry("rules.yml", "http://victoria:8428"), "vmalert-logs", Map.entry("rules-vlogs.yml", "http://victorialogs:9428"));
        for (var e : stores.entrySet()) {
            JsonNode v = s.get(e.getKey());
            assertNotNull(v, "docker-compose.yml has no " + e.getKey());
            assertEquals("victoriametrics/vmalert:" + vmTag, v.path("image").asText(), e.getKey() + ": vmalert of the VictoriaMetrics release");
            var flags = new ArrayList<String>();
            v.path("command").forEach(c -> flags.add(c.asText()));
            var mounts = mounts(Map.of(e.getKey(), v));
            assertTrue(mounts.contains(new Mount(e.getKey(), "./config/vmalert", "/etc/vmalert", "ro,z")), mounts.toString());
            String rule = e.getValue().getKey();
            assertTrue(flags.contains("-rule=/etc/vmalert/" + rule), flags.toString());
            assertTrue(Files.isRegularFile(KitLayout.ROOT.resolve("config/vmalert").resolve(rule)), "config/vmalert/" + rule + " is not generated");
            assertTrue(flags.contains("-datasource.url=" + e.getValue().getValue()), flags.toString());
            assertTrue(flags.contains("-remoteWrite.url=http://victoria:8428"), e.getKey() + ": ALERTS series must land in VictoriaMetrics: " + flags);
            assertTrue(flags.contains("-notifier.blackhole"), e.getKey() + ": no Alertmanager in the stack, so notifications go nowhere: " + flags);
        }
        var metricsRules = new ArrayList<String>();
        s.get("vmalert").path("command").forEach(c -> metricsRules.add(c.asText()));
        assertTrue(metricsRules.contains("-rule=/etc/vmalert/recording.yml"), "the dashboards' recorded history is kept up to date: " + metricsRules);
        assertTrue(Files.isRegularFile(KitLayout.ROOT.resolve("config/vmalert/recording.yml")));
        var vm = new ArrayList<String>();
        s.get("victoria").path("command").forEach(c -> vm.add(c.asText()));
        assertTrue(vm.contains("-vmalert.proxyURL=http://vmalert:8880"), vm.toString());
        assertTrue(Files.isRegularFile(KitLayout.ROOT.resolve("config/grafana/provisioning/alerting/qairon-alerts.yaml")),
                "Grafana's alert rules live in the mounted provisioning directory");
    }

    @Test
    void grafanaInstallsAPinnedVictoriaLogsPluginAndMountsTheProvisioning() throws Exception {
        JsonNode g = services("docker-compose.yml").get("grafana");
        String plugins = g.path("environment").path("GF_PLUGINS_PREINSTALL_SYNC").asText();
        assertTrue(plugins.matches(".*victoriametrics-logs-datasource@\\d+\\.\\d+\\.\\d+.*"), "plugin not pinned: " + plugins);
        var mounts = mounts(Map.of("grafana", g));
        assertTrue(mounts.contains(new Mount("grafana", "./config/grafana/provisioning", "/etc/grafana/provisioning", "ro,z")), mounts.toString());
        String provider = yaml("config/grafana/provisioning/dashboards/dashboards.yaml").path("providers").get(0).path("options").path("path").asText();
        assertTrue(mounts.stream().anyMatch(m -> m.source().equals("./config/grafana/dashboards") && m.target().equals(provider)),
                "the dashboard provider reads " + provider + ", which is not where config/grafana/dashboards is mounted");
    }

    @Test
    void tempoAcceptsStoresAndSearchesAYearOfHistoricalTraces() throws Exception {
        JsonNode t = yaml("config/tempo/tempo.yaml");
        assertEquals("8760h", t.at("/storage/trace/wal/ingestion_time_range_slack").asText());
        assertEquals("8760h", t.at("/query_frontend/search/max_duration").asText());
        assertEquals("local", t.at("/storage/trace/backend").asText());
        assertTrue(hours(t.at("/compactor/compaction/block_retention").asText()) >= 8760, "blocks must outlive a year of history");
        assertEquals("0.0.0.0:4317", t.at("/distributor/receivers/otlp/protocols/grpc/endpoint").asText());
        assertEquals("0.0.0.0:4318", t.at("/distributor/receivers/otlp/protocols/http/endpoint").asText());
        assertEquals(3200, t.at("/server/http_listen_port").asInt());
        assertTrue(t.at("/overrides/defaults/ingestion/rate_limit_bytes").asLong() >= 100_000_000L, "generous ingestion limits");
        var mounts = mounts(Map.of("tempo", services("docker-compose.yml").get("tempo")));
        assertTrue(mounts.contains(new Mount("tempo", "./config/tempo/tempo.yaml", "/etc/tempo/tempo.yaml", "ro,z")), mounts.toString());
    }

    private static long hours(String duration) {
        assertTrue(duration.endsWith("h"), duration);
        return Long.parseLong(duration.substring(0, duration.length() - 1));
    }

    @Test
    void liveModeRunsOnlyWithItsProfileAndItsCommandParsesAgainstTheLiveAlias() throws Exception {
        var services = services("docker-compose.yml");
        services.forEach((name, s) -> assertEquals(name.equals("live"), s.has("profiles"), name + ": only live mode waits for a profile"));
        JsonNode live = services.get("live");
        assertEquals(List.of("live"), List.of(live.path("profiles").get(0).asText()));
        assertEquals("20s", live.path("stop_grace_period").asText(), "docker stop must leave live mode its 10 s flush");
        String command = live.path("command").get(0).asText().replace("${QAIRON_LIVE_ARGS:-}", "--scenario realistic");
        assertTrue(command.startsWith("exec ./jbang live "), command);
        var args = command.substring("exec ./jbang live ".length()).trim().split("\\s+");
        var parsed = new picocli.CommandLine(new Live()).parseArgs(args);
        assertTrue(parsed.hasMatchedOption("--serve-metrics"), command);
        for (String store : List.of("victoria", "victorialogs", "tempo"))
            assertEquals("service_healthy", live.path("depends_on").path(store).path("condition").asText(), "live waits for " + store);
    }
}
