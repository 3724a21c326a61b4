import java.util.List;
import java.util.Optional;

/**
 * One service of docker-compose.yml as the dev step sees it: its compose name, its data directory under the
 * data root (.dev/data or data/production), the endpoints it publishes on 127.0.0.1 and the path of its Prometheus
 * metrics page on the first endpoint's port (empty when it has none that reports the open-files limit).
 */
record DevService(String name, String dataDir, int containerPort, String what, List<Endpoint> endpoints, String metricsPath) {
    static final String HOST = "127.0.0.1";

    DevService {
        endpoints = List.copyOf(endpoints);
    }

    DevService(String name, String dataDir, int containerPort, String what, List<Endpoint> endpoints) {
        this(name, dataDir, containerPort, what, endpoints, "");
    }

    /** Where its open-files limit can be read, or null. */
    String metricsAddress() {
        if (metricsPath.isEmpty()) return null;
        Endpoint e = endpoints.get(0);
        return "http://" + e.host() + ":" + e.port() + metricsPath;
    }

    /** Every service, with the host ports from {@code env}, in start order. */
    static List<DevService> all(DevEnv env) {
        return List.of(
                new DevService("postgres", "postgres", 5432, "PostgreSQL, Qairon database",
                        List.of(new Endpoint("postgres", "sql", HOST, env.port("QAIRON_PG_PORT"), Endpoint.Probe.POSTGRES, ""))),
                new DevService("victoria", "victoria-metrics", 8428, "VictoriaMetrics, metrics",
                        List.of(new Endpoint("victoria", "http", HOST, env.port("QAIRON_VM_PORT"), Endpoint.Probe.HTTP_OK, "/health")), "/metrics"),
                new DevService("victorialogs", "victoria-logs", 9428, "VictoriaLogs, logs",
                        List.of(new Endpoint("victorialogs", "http", HOST, env.port("QAIRON_VL_PORT"), Endpoint.Probe.HTTP_OK, "/health")), "/metrics"),
                new DevService("tempo", "tempo", 3200, "Grafana Tempo, traces",
                        List.of(new Endpoint("tempo", "http", HOST, env.port("QAIRON_TEMPO_PORT"), Endpoint.Probe.HTTP_OK, "/ready"),
                                new Endpoint("tempo", "otlp-http", HOST, env.port("QAIRON_OTLP_HTTP_PORT"), Endpoint.Probe.HTTP_LISTENING, "/v1/traces"),
                                new Endpoint("tempo", "otlp-grpc", HOST, env.port("QAIRON_OTLP_GRPC_PORT"), Endpoint.Probe.TCP, "")), "/metrics"),
                new DevService("grafana", "grafana", 3000, "Grafana, dashboards",
                        List.of(new Endpoint("grafana", "http", HOST, env.port("QAIRON_GRAFANA_PORT"), Endpoint.Probe.HTTP_OK, "/api/health"))));
    }

    /** Live mode (compose profile live): not one of {@link #all}, started only by {@code dev up --live}. */
    static DevService live(DevEnv env) {
        return new DevService("live", "live", 9464, "live mode: the platform's metrics and drill API",
                List.of(new Endpoint("live", "http", HOST, env.port("QAIRON_LIVE_PORT"), Endpoint.Probe.HTTP_OK, "/metrics")));
    }

    static Optional<DevService> find(DevEnv env, String name) {
        return all(env).stream().filter(s -> s.name.equals(name) || s.dataDir.equals(name)).findFirst();
    }

    static List<String> names(DevEnv env) {
        return all(env).stream().map(DevService::name).toList();
    }
}
