import java.util.Objects;

/**
 * One port a dev service publishes on the host, and how to tell that it is healthy.
 * {@code path} is the HTTP path probed (empty for non-HTTP probes).
 */
record Endpoint(String service, String name, String host, int port, Probe probe, String path) {

    enum Probe {
        /** HTTP GET answers 2xx. */
        HTTP_OK,
        /** Any HTTP answer below 500 (a receiver that refuses GET but is listening). */
        HTTP_LISTENING,
        /** The PostgreSQL server answers an SSLRequest with 'S' or 'N'. */
        POSTGRES,
        /** A TCP connection is accepted (gRPC). */
        TCP
    }

    Endpoint {
        Objects.requireNonNull(probe, "Endpoint.probe");
        if (port < 1 || port > 65535) throw new IllegalArgumentException(service + " " + name + ": port " + port + " out of range");
    }

    String address() {
        return switch (probe) {
            case HTTP_OK, HTTP_LISTENING -> "http://" + host + ":" + port + path;
            case POSTGRES -> "postgresql://" + host + ":" + port;
            case TCP -> host + ":" + port;
        };
    }
}
