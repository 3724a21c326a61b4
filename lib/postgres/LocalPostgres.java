import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server from Debian's binaries ({@code /usr/lib/postgresql/<newest>/bin}) with its data in a
 * directory of ours, listening on loopback only (no Unix socket). {@link #start} initialises the directory when it is
 * empty, reuses a server that already runs from it, or starts one; the database {@value #DATABASE} is created when
 * missing. As root, every server command runs as the {@code postgres} user (runuser) and the data directory is
 * given to that user; otherwise as the current user. Settings suit bulk loads of regenerable data
 * (wal_level=minimal, synchronous_commit=off); {@link #stop} shuts it down (fast mode).
 */
final class LocalPostgres implements AutoCloseable {
    static final String DATABASE = "qairon";
    static final String SUPERUSER = "postgres";
    static final Path DEFAULT_DATA = Path.of(".dev/data/postgres");
    static final int DEFAULT_PORT = 5432;

    private final Path bin;
    private final Path data;
    private final int port;
    private final boolean startedHere;
    private final boolean stopOnClose;

    private LocalPostgres(Path bin, Path data, int port, boolean startedHere, boolean stopOnClose) {
        this.bin = bin;
        this.data = data;
        this.port = port;
        this.startedHere = startedHere;
        this.stopOnClose = stopOnClose;
    }

    /** The dev server: data in {@code dataDir}, port {@code preferredPort} if free; left running on close. */
    static LocalPostgres start(Path dataDir, int preferredPort) {
        return start(dataDir, preferredPort, false);
    }

    /** A server for one test or benchmark: data in {@code dataDir}, a free loopback port, stopped on close. */
    static LocalPostgres throwaway(Path dataDir) {
        return start(dataDir, 0, true);
    }

    private static LocalPostgres start(Path dataDir, int preferredPort, boolean stopOnClose) {
        Path bin = binDir();
        Path data = dataDir.toAbsolutePath().normalize();
        try {
            if (!Files.isRegularFile(data.resolve("PG_VERSION"))) initialise(bin, data);
            Integer running = runningPort(bin, data);
            if (running != null) {
                var pg = new LocalPostgres(bin, data, running, false, stopOnClose);
                pg.ensureDatabase();
                return pg;
            }
            int port = preferredPort > 0 && portFree(preferredPort) ? preferredPort : freePort();
            run(bin, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", data.resolve("server.log").toString(),
                    "-o", "-p " + port, "-w", "-t", "120", "start"), "start PostgreSQL (log: " + data.resolve("server.log") + ")");
            var pg = new LocalPostgres(bin, data, port, true, stopOnClose);
            pg.ensureDatabase();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(data + ": " + e.getMessage(), e);
        }
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin} that has pg_ctl and initdb. */
    static Path binDir() {
        Path root = Path.of("/usr/lib/postgresql");
        try (var versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("pg_ctl")) && Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> versionOf(b.getParent())))
                    .orElseThrow(() -> new IllegalStateException(root + " has no version with bin/pg_ctl — install it: apt-get install postgresql"));
        } catch (IOException e) {
            throw new IllegalStateException(root + " not found — install PostgreSQL: apt-get install postgresql", e);
        }
    }

    private static int versionOf(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString().replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void initialise(Path bin, Path data) throws IOException {
        Files.createDirectories(data);
        try (var entries = Files.list(data)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalStateException(data + " is not empty and not a PostgreSQL data directory — remove it or point elsewhere");
            }
        }
        if (asRoot()) giveToPostgres(data);
        run(bin, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER, "--auth=trust",
                "--encoding=UTF8", "--locale=C"), "initialise " + data);
        String settings = """

                # qairon-kit: loopback only, no Unix socket, bulk-load friendly (the data can always be regenerated)
                listen_addresses = '127.0.0.1'
                unix_socket_directories = ''
                wal_level = minimal
                max_wal_senders = 0
                synchronous_commit = off
                shared_buffers = 256MB
                maintenance_work_mem = 512MB
                max_wal_size = 8GB
                checkpoint_timeout = 30min
                """;
        Path conf = data.resolve("postgresql.conf");
        Files.writeString(conf, Files.readString(conf) + settings, StandardCharsets.UTF_8);
    }

    /** The port of a server already running from {@code data}, or null. */
    private static Integer runningPort(Path bin, Path data) throws IOException {
        Path pid = data.resolve("postmaster.pid");
        if (!Files.isRegularFile(pid)) return null;
        int status = exec(bin, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "status"), null);
        if (status != 0) return null;
        var lines = Files.readAllLines(pid);
        return lines.size() > 3 ? Integer.parseInt(lines.get(3).trim()) : null;
    }

    private void ensureDatabase() {
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", SUPERUSER, "");
             var st = c.createStatement()) {
            try (var rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) return;
            }
            st.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at 127.0.0.1:" + port + ": cannot create database " + DATABASE + ": " + e.getMessage(), e);
        }
    }

    DatabaseUrl url() { return new DatabaseUrl("jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE, SUPERUSER, null); }

    int port() { return port; }

    Path dataDir() { return data; }

    /** Whether this call started the server (false: it was already running and is reused). */
    boolean startedHere() { return startedHere; }

    String version() { return bin.getParent().getFileName().toString(); }

    void stop() {
        try {
            run(bin, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "120", "stop"),
                    "stop PostgreSQL");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (stopOnClose) stop();
    }

    private static void run(Path bin, List<String> command, String what) throws IOException {
        var output = new StringBuilder();
        int status = exec(bin, command, output);
        if (status != 0) {
            throw new IllegalStateException("could not " + what + " (exit " + status + "): " + output.toString().strip());
        }
    }

    private static int exec(Path bin, List<String> command, StringBuilder output) throws IOException {
        var full = new ArrayList<String>();
        if (asRoot()) full.addAll(List.of("runuser", "-u", SUPERUSER, "--"));
        full.addAll(command);
        var p = new ProcessBuilder(full).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (output != null) output.append(out);
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 5 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
        return p.exitValue();
    }

    static boolean asRoot() { return "root".equals(System.getProperty("user.name")); }

    private static void giveToPostgres(Path dir) throws IOException {
        var lookup = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName(SUPERUSER);
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(SUPERUSER);
        var view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        view.setOwner(user);
        view.setGroup(group);
    }

    private static boolean portFree(int port) {
        try (var s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
