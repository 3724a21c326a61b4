import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `dev health` against in-process servers on the ports of an env file: no Docker engine involved. */
class DevHealthTest {

    private static String row(String out, String service, String endpoint) {
        return out.lines().filter(l -> l.matches("\\s+" + service + "\\s+" + endpoint + "\\s.*")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + service + " " + endpoint + " in:\n" + out));
    }

    @Test
    void everyEndpointIsUpWhenEveryServiceAnswers() throws Exception {
        try (var fakes = new DevFakes()) {
            var env = DevFakes.envFile(KitLayout.testDir("dev-health-up"), Map.of(
                    "QAIRON_PG_PORT", fakes.postgres(),
                    "QAIRON_VM_PORT", fakes.http("/health", 200, "OK"),
                    "QAIRON_VL_PORT", fakes.http("/health", 200, "OK"),
                    "QAIRON_TEMPO_PORT", fakes.http("/ready", 200, "ready"),
                    "QAIRON_OTLP_HTTP_PORT", fakes.http("/v1/traces", 405, ""),
                    "QAIRON_OTLP_GRPC_PORT", fakes.tcp(),
                    "QAIRON_GRAFANA_PORT", fakes.http("/api/health", 200, "{\"database\": \"ok\", \"version\": \"12.2.0\"}")));
            var run = DevFakes.dev("--env-file", env.toString(), "health");
            assertEquals(0, run.exitCode(), run.out());
            assertTrue(run.out().lines().findFirst().orElse("").matches("dev: done in \\d+\\.\\d s, 7 of 7 endpoints healthy"), run.out());
            for (String[] e : new String[][] {{"postgres", "sql"}, {"victoria", "http"}, {"victorialogs", "http"}, {"tempo", "http"},
                    {"tempo", "otlp-http"}, {"tempo", "otlp-grpc"}, {"grafana", "http"}})
                assertTrue(row(run.out(), e[0], e[1]).contains(" up "), run.out());
            assertTrue(row(run.out(), "grafana", "http").contains("HTTP 200 {\"database\": \"ok\""), run.out());
            assertTrue(row(run.out(), "tempo", "otlp-http").contains("HTTP 405"), "a receiver refusing GET is listening");
            assertFalse(fakes.postgresReceived.isEmpty(), "the PostgreSQL probe never connected");
            assertArrayEquals(new byte[] {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x2f}, fakes.postgresReceived.get(0),
                    "the probe sends a PostgreSQL SSLRequest, got " + Arrays.toString(fakes.postgresReceived.get(0)));
        }
    }

    @Test
    void aFailingSilentOrWrongServiceIsDownWithTheReason() throws Exception {
        try (var fakes = new DevFakes()) {
            var env = DevFakes.envFile(KitLayout.testDir("dev-health-down"), Map.of(
                    "QAIRON_PG_PORT", fakes.tcp(), // accepts, then hangs up: not PostgreSQL
                    "QAIRON_VM_PORT", fakes.http("/health", 200, "OK"),
                    "QAIRON_VL_PORT", fakes.http("/health", 200, "OK"),
                    "QAIRON_TEMPO_PORT", fakes.http("/ready", 503, "Ingester not ready"),
                    "QAIRON_OTLP_HTTP_PORT", fakes.http("/v1/traces", 405, ""),
                    "QAIRON_OTLP_GRPC_PORT", fakes.tcp()));
            var run = DevFakes.dev("--env-file", env.toString(), "--probe-timeout", "2000", "health");
            assertEquals(1, run.exitCode(), run.out());
            assertTrue(run.out().startsWith("dev: done in"), run.out());
            assertTrue(run.out().lines().findFirst().orElseThrow().endsWith("4 of 7 endpoints healthy"), run.out());
            assertTrue(row(run.out(), "tempo", "http").contains("DOWN") && row(run.out(), "tempo", "http").contains("HTTP 503 Ingester not ready"), run.out());
            assertTrue(row(run.out(), "grafana", "http").contains("DOWN") && row(run.out(), "grafana", "http").contains("connection refused"), run.out());
            assertTrue(row(run.out(), "postgres", "sql").contains("DOWN") && row(run.out(), "postgres", "sql").contains("not PostgreSQL"), run.out());
            assertTrue(row(run.out(), "victoria", "http").contains(" up "), run.out());
            assertTrue(run.out().contains("./jbang dev up"), "says what to do next");
        }
    }

    @Test
    void aStoreAllowingFewOpenFilesIsWarnedAboutAndOneAllowingManyIsNot() throws Exception {
        try (var fakes = new DevFakes()) {
            var env = DevFakes.envFile(KitLayout.testDir("dev-health-nofile"), Map.of(
                    "QAIRON_VM_PORT", fakes.store("# HELP process_max_fds\nprocess_max_fds 1048576\nprocess_open_fds 20\n"),
                    "QAIRON_VL_PORT", fakes.store("vl_rows_ingested_total{type=\"jsonline\"} 5\nprocess_max_fds 1024\nprocess_open_fds 1000\n")));
            var run = DevFakes.dev("--env-file", env.toString(), "health", "victoria", "victorialogs");
            assertEquals(0, run.exitCode(), "a warning, not a failure: " + run.out());
            assertTrue(run.out().lines().findFirst().orElseThrow().endsWith("2 of 2 endpoints healthy, 1 store with a low open-files limit"), run.out());
            var warnings = run.out().lines().filter(l -> l.contains("warning:")).toList();
            assertEquals(1, warnings.size(), run.out());
            assertTrue(warnings.get(0).contains("victorialogs allows only 1,024 open files"), warnings.get(0));
            assertTrue(warnings.get(0).contains("1,000 open now") && warnings.get(0).contains("ulimits nofile"), warnings.get(0));
        }
    }

    @Test
    void aRealVictoriaMetricsStartedWithALowLimitIsWarnedAbout() throws Exception {
        try (var vm = VictoriaMetricsProcess.start(KitLayout.testDir("dev-health-nofile-vm"), 4096)) {
            var env = DevFakes.envFile(KitLayout.testDir("dev-health-nofile-vm"), Map.of("QAIRON_VM_PORT", vm.url().getPort()));
            var run = DevFakes.dev("--env-file", env.toString(), "health", "victoria");
            assertEquals(0, run.exitCode(), run.out());
            assertTrue(run.out().lines().findFirst().orElseThrow().endsWith("1 of 1 endpoints healthy, 1 store with a low open-files limit"), run.out());
            assertTrue(run.out().contains("warning: victoria allows only 4,096 open files"), run.out());
        }
    }

    @Test
    void healthOfOneServiceChecksOnlyItsEndpoints() throws Exception {
        try (var fakes = new DevFakes()) {
            var env = DevFakes.envFile(KitLayout.testDir("dev-health-one"), Map.of(
                    "QAIRON_TEMPO_PORT", fakes.http("/ready", 200, "ready"),
                    "QAIRON_OTLP_HTTP_PORT", fakes.http("/v1/traces", 405, ""),
                    "QAIRON_OTLP_GRPC_PORT", fakes.tcp()));
            var run = DevFakes.dev("--env-file", env.toString(), "health", "tempo");
            assertEquals(0, run.exitCode(), run.out());
            assertTrue(run.out().lines().findFirst().orElseThrow().endsWith("3 of 3 endpoints healthy"), run.out());
            assertFalse(run.out().contains("grafana"), run.out());
        }
    }

    @Test
    void anUnknownServiceIsAUsageError() throws Exception {
        var run = DevFakes.dev("health", "prometheus");
        assertEquals(2, run.exitCode(), run.out());
        assertTrue(run.out().contains("unknown service prometheus, expected one of [postgres, victoria, victorialogs, tempo, grafana]"), run.out());
    }
}
