import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** In-process stand-ins for the dev services' endpoints, and a way to run the dev step and read its output. */
final class DevFakes implements AutoCloseable {
    private final List<AutoCloseable> open = new ArrayList<>();
    /** Bytes the fake PostgreSQL received from each client, in order. */
    final List<byte[]> postgresReceived = Collections.synchronizedList(new ArrayList<>());

    /** An HTTP server answering {@code path} with {@code status} and {@code body}; returns its port. */
    int http(String path, int status, String body) {
        return pages(Map.of(path, new Page(status, body)));
    }

    /** A store answering /health with 200 and /metrics with {@code metrics} (a Prometheus text page); returns its port. */
    int store(String metrics) {
        return pages(Map.of("/health", new Page(200, "OK"), "/metrics", new Page(200, metrics)));
    }

    private record Page(int status, String body) {}

    private int pages(Map<String, Page> pages) {
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            pages.forEach((path, page) -> server.createContext(path, ex -> {
                byte[] b = page.body().getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(page.status(), b.length == 0 ? -1 : b.length);
                if (b.length > 0) ex.getResponseBody().write(b);
                ex.close();
            }));
            server.start();
            open.add(() -> server.stop(0));
            return server.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server speaking the start of the PostgreSQL protocol: reads the 8-byte SSLRequest, answers 'N'. */
    int postgres() {
        return socketServer(true);
    }

    /** A server that only accepts connections (stands in for OTLP gRPC). */
    int tcp() {
        return socketServer(false);
    }

    /** A port nothing listens on (bound once, then released). */
    static int closedPort() {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int socketServer(boolean postgres) {
        try {
            var server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
            var thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try (var client = server.accept()) {
                        if (postgres) {
                            byte[] request = client.getInputStream().readNBytes(8);
                            postgresReceived.add(request);
                            client.getOutputStream().write('N');
                            client.getOutputStream().flush();
                        }
                    } catch (IOException e) {
                        // closed: stop accepting
                    }
                }
            }, "fake-" + (postgres ? "postgres" : "tcp"));
            thread.setDaemon(true);
            thread.start();
            open.add(server);
            return server.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An env file naming these ports (unnamed keys get a closed port). */
    static Path envFile(Path dir, Map<String, Integer> ports) throws IOException {
        var all = new LinkedHashMap<String, Integer>();
        for (String key : List.of("QAIRON_PG_PORT", "QAIRON_VM_PORT", "QAIRON_VL_PORT", "QAIRON_TEMPO_PORT",
                "QAIRON_OTLP_HTTP_PORT", "QAIRON_OTLP_GRPC_PORT", "QAIRON_GRAFANA_PORT"))
            all.put(key, ports.containsKey(key) ? ports.get(key) : closedPort());
        var sb = new StringBuilder("# test ports\n");
        all.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        Path file = dir.resolve("test.env");
        Files.writeString(file, sb);
        return file;
    }

    /** The dev step's exit code and everything it printed. */
    record Run(int exitCode, String out) {}

    static synchronized Run dev(String... args) {
        var buffer = new ByteArrayOutputStream();
        PrintStream old = System.out, oldErr = System.err;
        var capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            int rc = new CommandLine(new Dev()).execute(args);
            return new Run(rc, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : open) c.close();
    }
}
