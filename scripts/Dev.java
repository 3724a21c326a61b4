///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DEPS info.picocli:picocli:4.7.7
//DEPS org.apache.commons:commons-compress:1.28.0
//SOURCES ../lib/cli/KitVersion.java ../lib/dev/ChildProcess.java ../lib/dev/DevEnv.java ../lib/dev/Endpoint.java
//SOURCES ../lib/dev/DevService.java ../lib/dev/HealthProbe.java ../lib/dev/OpenFilesLimit.java ../lib/dev/Compose.java
//SOURCES ../lib/dev/DataArchive.java ../lib/dev/KindCluster.java
//DESCRIPTION The kit's single entry point for the dev services: up, down, status, health, logs, clean, ports,
//DESCRIPTION seed-db, reset-db, backup, restore; cluster up|down|status for a kind cluster running deploy/k8s.
//DESCRIPTION Example: ./jbang dev up && ./jbang dev health

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "dev", mixinStandardHelpOptions = true, versionProvider = KitVersion.class, subcommandsRepeatable = false,
        subcommands = Dev.Cluster.class,
        description = {"Start, stop, check, clean, back up and restore the dev services of docker-compose.yml",
                "(PostgreSQL, VictoriaMetrics, VictoriaLogs, Tempo, Grafana). Data lives in .dev/data/<service>",
                "(--production: data/production/<service>). Without a Docker engine, health still checks the endpoints."})
class Dev {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--production", scope = CommandLine.ScopeType.INHERIT,
            description = "Use docker-compose.production.yml: data under data/production instead of .dev/data.")
    boolean production;

    @Option(names = "--env-file", paramLabel = "FILE", defaultValue = ".env", scope = CommandLine.ScopeType.INHERIT,
            description = "Ports and credentials, KEY=VALUE (default: ${DEFAULT-VALUE}; missing means the defaults of .env.example).")
    Path envFile;

    @Option(names = "--data-dir", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = "Data root for clean, backup and restore (default: .dev/data, or data/production with --production).")
    Path dataDir;

    @Option(names = "--probe-timeout", paramLabel = "MS", defaultValue = "3000", scope = CommandLine.ScopeType.INHERIT,
            description = "How long one health probe waits for an answer (default: ${DEFAULT-VALUE} ms).")
    int probeTimeoutMs;

    private final Path root = Path.of("").toAbsolutePath();
    private final long t0 = System.nanoTime();

    public static void main(String... args) {
        System.exit(new CommandLine(new Dev()).execute(args));
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Start all services or the named ones, then wait until they are healthy.")
    int up(@Parameters(arity = "0..*", paramLabel = "SERVICE") List<String> services,
           @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "180", description = "Give up waiting for health after this long (default: ${DEFAULT-VALUE}).") int waitSeconds,
           @Option(names = "--live", description = "Also start live mode beside them (compose profile live: the live alias with QAIRON_LIVE_ARGS from .env, "
                   + "into the stores, its /metrics and drill API on QAIRON_LIVE_PORT).") boolean live)
            throws IOException, InterruptedException {
        var selected = new ArrayList<>(select(services));
        if (live) selected.add(DevService.live(env()));
        var compose = compose();
        if (noEngine(compose, "up")) return 1;
        if (!Files.exists(envFile) && Files.exists(root.resolve(".env.example"))) {
            Files.copy(root.resolve(".env.example"), envFile);
            System.out.println("dev: created " + envFile + " from .env.example (edit it for ports and credentials)");
        }
        for (DevService s : selected) Files.createDirectories(dataRoot().resolve(s.dataDir()));
        Files.createDirectories(root.resolve(production ? "logs/grafana" : ".dev/logs/grafana"));
        Files.createDirectories(root.resolve(".dev/services/probe"));
        var args = new ArrayList<>(live ? List.of("--profile", "live", "up", "-d") : List.of("up", "-d"));
        if (services != null) args.addAll(names(selected));
        if (!compose.run(args).ok()) return done(1, "docker compose up failed, see its output above; ./jbang dev logs shows the services' logs");
        var endpoints = endpoints(selected);
        List<HealthProbe.Health> health;
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        while (true) {
            health = probe().checkAll(endpoints);
            if (health.stream().allMatch(HealthProbe.Health::ok) || System.nanoTime() > deadline) break;
            Thread.sleep(2000);
        }
        long up = health.stream().filter(HealthProbe.Health::ok).count();
        int rc = done(up == health.size() ? 0 : 1, up + " of " + health.size() + " endpoints healthy" + (up == health.size() ? "" : " after " + waitSeconds + " s"));
        System.out.print(HealthProbe.table(health));
        System.out.println("  Grafana  http://127.0.0.1:" + env().port("QAIRON_GRAFANA_PORT") + "  (login from " + envFile + ")");
        System.out.println("  data     " + shown(dataRoot()));
        return rc;
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop and remove the containers; the data directories stay.")
    int down() {
        var compose = compose();
        if (noEngine(compose, "down")) return 1;
        int rc = compose.run(List.of("--profile", "live", "down")).exitCode(); // with the profile, or live mode keeps running
        return done(rc == 0 ? 0 : 1, rc == 0 ? "services stopped, data kept in " + shown(dataRoot()) : "docker compose down failed");
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Containers (when a Docker engine answers) and the health of every endpoint.")
    int status() {
        var compose = compose();
        String problem = compose.engineProblem();
        var health = probe().checkAll(endpoints(DevService.all(env())));
        long up = health.stream().filter(HealthProbe.Health::ok).count();
        done(0, up + " of " + health.size() + " endpoints healthy" + (problem == null ? "" : ", no Docker engine"));
        if (problem == null) compose.run(List.of("ps", "-a"));
        else System.out.println("  no Docker engine: " + problem + "; showing endpoints of services started another way");
        System.out.print(HealthProbe.table(health));
        return up == health.size() ? 0 : 1;
    }

    @Command(name = "health", mixinStandardHelpOptions = true,
            description = {"A table of every endpoint's health; exit 1 when any is down.",
                    "Warns (exit unchanged) when a running store allows fewer than 65536 open files (process_max_fds on its /metrics)."})
    int health(@Parameters(arity = "0..*", paramLabel = "SERVICE") List<String> services) {
        var selected = select(services);
        var probe = probe();
        var health = probe.checkAll(endpoints(selected));
        // only the running stores are asked for their limit (a down one would only cost another timeout)
        var running = selected.stream().filter(s -> health.stream().anyMatch(h -> h.ok() && h.endpoint().equals(s.endpoints().get(0)))).toList();
        var lowLimits = probe.openFilesLimits(running).stream().filter(OpenFilesLimit::low).toList();
        long up = health.stream().filter(HealthProbe.Health::ok).count();
        int rc = done(up == health.size() ? 0 : 1, up + " of " + health.size() + " endpoints healthy"
                + (lowLimits.isEmpty() ? "" : ", " + lowLimits.size() + (lowLimits.size() == 1 ? " store" : " stores") + " with a low open-files limit"));
        System.out.print(HealthProbe.table(health));
        for (var limit : lowLimits) System.out.println("  " + limit.warning());
        if (up < health.size()) System.out.println("  start the services with ./jbang dev up, or fix the ports in " + envFile);
        return rc;
    }

    @Command(name = "logs", mixinStandardHelpOptions = true, description = "Show the services' logs (docker compose logs); Grafana also writes to .dev/logs/grafana.")
    int logs(@Parameters(arity = "0..1", paramLabel = "SERVICE") String service,
             @Option(names = {"-f", "--follow"}, description = "Keep following new lines.") boolean follow,
             @Option(names = "--tail", paramLabel = "N", defaultValue = "200", description = "Lines per service (default: ${DEFAULT-VALUE}).") int tail,
             @Option(names = "--save", description = "Write the lines to .dev/logs/<service|all>.log instead of the terminal.") boolean save)
            throws IOException {
        var compose = compose();
        if (noEngine(compose, "logs")) return 1;
        var args = new ArrayList<>(List.of("logs", "--tail", String.valueOf(tail), "--timestamps"));
        String name = service == null ? "all" : select(List.of(service)).get(0).name();
        if (service != null) args.add(name);
        if (!save) {
            if (follow) args.add(args.size() - (service == null ? 0 : 1), "--follow");
            return compose.run(args).ok() ? 0 : 1;
        }
        args.add(args.size() - (service == null ? 0 : 1), "--no-color");
        var run = compose.capture(args);
        Path file = root.resolve(".dev/logs/" + name + ".log");
        Files.createDirectories(file.getParent());
        Path part = file.resolveSibling("." + file.getFileName() + ".part");
        Files.writeString(part, run.output());
        Files.move(part, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return done(run.ok() ? 0 : 1, run.output().lines().count() + " log lines of " + name + " saved to " + shown(file));
    }

    @Command(name = "clean", mixinStandardHelpOptions = true, description = "Delete the data (and logs) of one service or all; asks first unless --yes.")
    int clean(@Parameters(arity = "0..1", paramLabel = "SERVICE") String service,
              @Option(names = {"-y", "--yes"}, description = "Do not ask.") boolean yes) throws IOException {
        var selected = select(service == null ? null : List.of(service));
        var targets = new ArrayList<Path>();
        for (DevService s : selected) targets.add(dataRoot().resolve(s.dataDir()));
        if (dataDir == null && (service == null || service.equals("grafana"))) targets.add(root.resolve(production ? "logs/grafana" : ".dev/logs/grafana"));
        if (dataDir == null && service == null) targets.add(root.resolve(".dev/services/probe"));
        targets.removeIf(p -> !Files.exists(p));
        if (targets.isEmpty()) return done(0, "nothing to delete");
        long bytes = 0;
        for (Path p : targets) bytes += size(p);
        String what = targets.stream().map(this::shown).collect(Collectors.joining(", "));
        if (!confirm(yes, "Delete " + what + " (" + mb(bytes) + ")?")) return done(2, "nothing deleted: run with --yes to delete without asking");
        var compose = compose();
        if (compose.engineProblem() == null) {
            var args = new ArrayList<>(List.of("rm", "--stop", "--force"));
            if (service != null) args.addAll(names(selected));
            compose.run(args);
        }
        for (Path p : targets) DataArchive.deleteTree(p);
        return done(0, "deleted " + what + ", " + mb(bytes) + " freed");
    }

    @Command(name = "ports", mixinStandardHelpOptions = true, description = "The host ports every service publishes (127.0.0.1 only).")
    int ports() {
        done(0, DevService.all(env()).stream().mapToInt(s -> s.endpoints().size()).sum() + " endpoints on 127.0.0.1, ports from " + envFile);
        System.out.printf("  %-13s %-10s %-6s %-40s %s%n", "SERVICE", "ENDPOINT", "PORT", "ADDRESS", "WHAT");
        for (DevService s : DevService.all(env()))
            for (Endpoint e : s.endpoints())
                System.out.printf("  %-13s %-10s %-6d %-40s %s%n", s.name(), e.name(), e.port(), e.address(), s.what());
        return 0;
    }

    @Command(name = "seed-db", mixinStandardHelpOptions = true, description = "Load the Qairon fixtures into PostgreSQL (./jbang generate-fixtures); extra arguments go to that step.")
    int seedDb(@Parameters(arity = "0..*", paramLabel = "ARG") List<String> args) {
        return fixtures(false, args);
    }

    @Command(name = "reset-db", mixinStandardHelpOptions = true, description = "Empty the Qairon tables and load the fixtures again (./jbang generate-fixtures --reset).")
    int resetDb(@Parameters(arity = "0..*", paramLabel = "ARG") List<String> args) {
        return fixtures(true, args);
    }

    @Command(name = "backup", mixinStandardHelpOptions = true, description = "Archive the data of one service or all into a tar.gz; running containers are stopped for the copy and started again.")
    int backup(@Parameters(arity = "0..1", paramLabel = "SERVICE") String service,
               @Option(names = "--to", paramLabel = "FILE", description = "Archive to write (default: .dev/backups/qairon-<service|all>-<time>.tar.gz).") Path to,
               @Option(names = "--live", description = "Copy even though endpoints answer (only when you know they do not use this data).") boolean live)
            throws IOException {
        var selected = select(service == null ? null : List.of(service));
        if (to == null) to = root.resolve(".dev/backups/qairon-" + (service == null ? "all" : selected.get(0).name()) + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".tar.gz");
        var stopped = stopForCopy(selected, live, "backup");
        if (stopped == null) return 1;
        try {
            var summary = DataArchive.backup(dataRoot(), selected.stream().map(DevService::dataDir).toList(), to);
            if (summary.dirs().isEmpty()) {
                Files.deleteIfExists(to);
                return done(1, "nothing to back up: no data directory of " + names(selected) + " in " + shown(dataRoot()));
            }
            done(0, summary.files() + " files, " + mb(summary.bytes()) + " of " + summary.dirs() + " archived");
            System.out.println("  to       " + to + " (" + mb(Files.size(to)) + ")");
            System.out.println("  restore  ./jbang dev" + (production ? " --production" : "") + " restore " + to);
            return 0;
        } finally {
            restart(stopped);
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true, description = "Replace service data directories with those in an archive made by backup; asks first unless --yes.")
    int restore(@Parameters(paramLabel = "FILE") Path archive,
                @Option(names = {"-y", "--yes"}, description = "Do not ask.") boolean yes,
                @Option(names = "--live", description = "Restore even though endpoints answer (only when you know they do not use this data).") boolean live)
            throws IOException {
        if (!Files.isRegularFile(archive)) throw new ParameterException(spec.commandLine(), archive + ": no such archive");
        var all = DevService.all(env());
        if (!confirm(yes, "Replace the data in " + shown(dataRoot()) + " with " + archive + "?"))
            return done(2, "nothing restored: run with --yes to restore without asking");
        var stopped = stopForCopy(all, live, "restore");
        if (stopped == null) return 1;
        try {
            var summary = DataArchive.restore(archive, dataRoot(), all.stream().map(DevService::dataDir).collect(Collectors.toSet()));
            return done(0, summary.files() + " files, " + mb(summary.bytes()) + " restored into " + summary.dirs());
        } catch (IOException e) {
            return done(1, e.getMessage());
        } finally {
            restart(stopped);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private int fixtures(boolean reset, List<String> extra) {
        var env = env();
        var pg = probe().check(DevService.find(env, "postgres").orElseThrow().endpoints().get(0));
        if (!pg.ok()) return done(1, "PostgreSQL at " + pg.endpoint().address() + " is not answering (" + pg.detail() + ") — start it with ./jbang dev up postgres");
        try {
            if (!Files.readString(root.resolve("jbang-catalog.json")).contains("\"generate-fixtures\""))
                return done(1, "the generate-fixtures step is not in jbang-catalog.json — update the kit");
        } catch (IOException e) {
            return done(1, "jbang-catalog.json: " + e.getMessage());
        }
        var cmd = new ArrayList<>(List.of(root.resolve("jbang").toString(), "generate-fixtures"));
        if (reset) cmd.add("--reset");
        if (extra != null) cmd.addAll(extra);
        String url = "jdbc:postgresql://" + DevService.HOST + ":" + env.port("QAIRON_PG_PORT") + "/" + env.get("QAIRON_DB_NAME");
        var run = ChildProcess.inherit(root, Map.of("QAIRON_DB_URL", url, "QAIRON_DB_USER", env.get("QAIRON_DB_USER"),
                "QAIRON_DB_PASSWORD", env.get("QAIRON_DB_PASSWORD")), cmd);
        return done(run.ok() ? 0 : 1, (reset ? "reset-db" : "seed-db") + (run.ok() ? " finished" : " failed (exit " + run.exitCode() + ")") + " against " + url);
    }

    /**
     * Makes sure nothing writes the data while it is copied. With a Docker engine: stops the running containers
     * among {@code services} and returns them (to start again). Without: refuses while an endpoint answers,
     * unless {@code live}. Null means refused.
     */
    private List<String> stopForCopy(List<DevService> services, boolean live, String verb) {
        var compose = compose();
        if (compose.engineProblem() == null) {
            var ps = compose.capture(List.of("ps", "--services", "--status", "running"));
            var running = ps.output().lines().map(String::strip).filter(names(services)::contains).toList();
            if (!running.isEmpty()) {
                System.out.println("dev: stopping " + running + " for the " + verb);
                var args = new ArrayList<>(List.of("stop"));
                args.addAll(running);
                if (!compose.run(args).ok()) { done(1, "could not stop " + running + "; nothing copied"); return null; }
            }
            return running;
        }
        var answering = probe().checkAll(endpoints(services)).stream().filter(HealthProbe.Health::ok).toList();
        if (!answering.isEmpty() && !live) {
            done(1, verb + " refused: " + answering.stream().map(h -> h.endpoint().service() + " " + h.endpoint().address()).distinct().toList()
                    + " still answer and may be writing " + shown(dataRoot()) + " — stop them first, or pass --live if they use other data");
            return null;
        }
        return List.of();
    }

    private void restart(List<String> stopped) {
        if (stopped == null || stopped.isEmpty()) return;
        var args = new ArrayList<>(List.of("start"));
        args.addAll(stopped);
        if (compose().run(args).ok()) System.out.println("  started  " + stopped + " again");
        else System.out.println("  could not start " + stopped + " again — run ./jbang dev up");
    }

    private boolean noEngine(Compose compose, String verb) {
        String problem = compose.engineProblem();
        if (problem == null) return false;
        done(1, "cannot " + verb + ": " + problem);
        System.out.println("  install and start Docker (with the compose plugin), or start the services another way;");
        System.out.println("  ./jbang dev health checks the endpoints either way");
        return true;
    }

    private boolean confirm(boolean yes, String question) {
        if (yes) return true;
        var console = System.console();
        if (console == null) {
            System.err.println("dev: " + question + " — no terminal to ask; pass --yes");
            return false;
        }
        String answer = console.readLine("%s [y/N] ", question);
        return answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
    }

    private List<DevService> select(List<String> services) {
        var env = env();
        if (services == null || services.isEmpty()) return DevService.all(env);
        var out = new ArrayList<DevService>();
        for (String name : services) {
            out.add(DevService.find(env, name).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    "unknown service " + name + ", expected one of " + DevService.names(env))));
        }
        return out;
    }

    private static List<String> names(List<DevService> services) {
        return services.stream().map(DevService::name).toList();
    }

    private static List<Endpoint> endpoints(List<DevService> services) {
        return services.stream().flatMap(s -> s.endpoints().stream()).toList();
    }

    private DevEnv env() {
        return DevEnv.load(envFile);
    }

    private HealthProbe probe() {
        return new HealthProbe(Duration.ofMillis(probeTimeoutMs));
    }

    private Compose compose() {
        var env = new java.util.HashMap<String, String>();
        String uid = ChildProcess.capture(root, Map.of(), List.of("id", "-u")).output().strip();
        String gid = ChildProcess.capture(root, Map.of(), List.of("id", "-g")).output().strip();
        if (uid.matches("\\d+")) env.put("QAIRON_UID", uid);
        if (gid.matches("\\d+")) env.put("QAIRON_GID", gid);
        if (!envFile.toAbsolutePath().equals(root.resolve(".env"))) env.putAll(DevEnv.load(envFile).values());
        return new Compose(root, production, env);
    }

    private Path dataRoot() {
        if (dataDir != null) return dataDir.toAbsolutePath();
        return root.resolve(production ? "data/production" : ".dev/data");
    }

    private String shown(Path p) {
        return p.startsWith(root) ? root.relativize(p).toString() : p.toString();
    }

    private int done(int rc, String headline) {
        System.out.printf("dev: done in %.1f s, %s%n", (System.nanoTime() - t0) / 1e9, headline);
        return rc;
    }

    private static long size(Path p) throws IOException {
        if (!Files.isDirectory(p)) return Files.size(p);
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }

    /** The Kubernetes manifests on a kind cluster of this worktree's own: {@code qairon-<worktree directory>}. */
    @Command(name = "cluster", mixinStandardHelpOptions = true,
            description = {"A kind cluster for this worktree (qairon-<directory>) running deploy/k8s: up creates it when missing,",
                    "builds and loads the kit image and applies the manifests; status lists the pods and Jobs; down deletes it.",
                    "Needs kind, kubectl and Docker; says which are missing and exits 2 otherwise."})
    static class Cluster {
        @Option(names = "--overlay", paramLabel = "DIR", defaultValue = "deploy/k8s/overlays/kind",
                description = "Kustomization to apply (default: ${DEFAULT-VALUE}, the base sized for one machine; deploy/k8s/base is the seed's year).")
        String overlay;

        private final Path root = Path.of("").toAbsolutePath();
        private final long t0 = System.nanoTime();

        @Command(name = "up", mixinStandardHelpOptions = true, description = "Create the cluster when missing, build and load the kit image, apply the manifests.")
        int up(@Option(names = "--no-build", description = "Load the qairon-kit image already built instead of building it again.") boolean noBuild) {
            var cluster = KindCluster.of(root, overlay);
            if (missing(cluster, "up")) return 2;
            if (cluster.exists()) System.out.println("dev cluster: " + cluster.name() + " exists, context " + cluster.context());
            else if (!cluster.run(cluster.create())) return done(1, "kind could not create " + cluster.name() + ", see its output above");
            if (!noBuild && !cluster.run(cluster.buildImage())) return done(1, "the kit image did not build, see docker's output above");
            if (!cluster.run(cluster.loadImage())) return done(1, "kind could not load " + KindCluster.IMAGE + " into " + cluster.name());
            if (!cluster.run(cluster.apply())) return done(1, "kubectl could not apply " + overlay);
            System.out.println("  watch:   ./jbang dev cluster status   (or kubectl --context " + cluster.context() + " -n " + KindCluster.NAMESPACE + " get pods -w)");
            System.out.println("  Grafana: kubectl --context " + cluster.context() + " -n " + KindCluster.NAMESPACE + " port-forward svc/grafana 3000:3000");
            return done(0, cluster.name() + " runs " + overlay);
        }

        @Command(name = "status", mixinStandardHelpOptions = true, description = "Pods, Jobs and workloads of the qairon namespace in this worktree's cluster.")
        int status() {
            var cluster = KindCluster.of(root, overlay);
            if (missing(cluster, "status")) return 2;
            if (!cluster.exists()) return done(1, "no cluster " + cluster.name() + " yet; ./jbang dev cluster up creates it");
            return cluster.run(cluster.status()) ? done(0, cluster.name() + ", context " + cluster.context()) : done(1, "kubectl failed, see above");
        }

        @Command(name = "down", mixinStandardHelpOptions = true, description = "Delete this worktree's cluster and everything in it.")
        int down() {
            var cluster = KindCluster.of(root, overlay);
            if (missing(cluster, "down")) return 2;
            if (!cluster.exists()) return done(0, "no cluster " + cluster.name() + ", nothing to delete");
            return cluster.run(cluster.delete()) ? done(0, "deleted " + cluster.name()) : done(1, "kind could not delete " + cluster.name());
        }

        private boolean missing(KindCluster cluster, String verb) {
            var missing = KindCluster.missingTools();
            if (missing.isEmpty()) return false;
            System.err.println("dev cluster: cannot " + verb + " " + cluster.name() + ": " + String.join(", ", missing) + " not found on PATH"
                    + " (needs " + String.join(", ", KindCluster.TOOLS) + "; kind: https://kind.sigs.k8s.io, kubectl: https://kubernetes.io/docs/tasks/tools)");
            return true;
        }

        private int done(int rc, String headline) {
            System.out.printf("dev cluster: done in %.1f s, %s%n", (System.nanoTime() - t0) / 1e9, headline);
            return rc;
        }
    }
}
