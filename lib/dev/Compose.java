import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * docker compose for the kit's stack: the right files (plus the production override when asked), the project
 * directory, and the user/group the containers write bind mounts as. Knows whether a Docker engine answers.
 */
final class Compose {
    private final Path root;
    private final boolean production;
    private final Map<String, String> env;
    private List<String> base; // resolved lazily: "docker compose" or "docker-compose"

    Compose(Path root, boolean production, Map<String, String> env) {
        this.root = root;
        this.production = production;
        this.env = Map.copyOf(env);
    }

    /** Null when a Docker engine answers; otherwise one sentence saying what is missing. */
    String engineProblem() {
        if (!ChildProcess.available("docker", "--version")) return "the docker command is not installed";
        var info = ChildProcess.capture(root, env, List.of("docker", "info", "--format", "{{.ServerVersion}}"));
        if (!info.ok() || info.output().isBlank()) return "no Docker engine answers (docker info: " + info.lastLine() + ")";
        if (base() == null) return "neither `docker compose` nor `docker-compose` is installed";
        return null;
    }

    /** The full command line for {@code args} (e.g. {@code up -d grafana}). */
    List<String> command(List<String> args) {
        var cmd = new ArrayList<String>(base() == null ? List.of("docker", "compose") : base());
        cmd.addAll(List.of("--project-directory", root.toString(), "-f", root.resolve("docker-compose.yml").toString()));
        if (production) cmd.addAll(List.of("-f", root.resolve("docker-compose.production.yml").toString()));
        cmd.addAll(args);
        return cmd;
    }

    /** Runs compose with this terminal's stdin/stdout. */
    ChildProcess run(List<String> args) {
        return ChildProcess.inherit(root, env, command(args));
    }

    /** Runs compose and captures its output. */
    ChildProcess capture(List<String> args) {
        return ChildProcess.capture(root, env, command(args));
    }

    private List<String> base() {
        if (base == null) {
            if (ChildProcess.capture(root, env, List.of("docker", "compose", "version")).ok()) base = List.of("docker", "compose");
            else if (ChildProcess.available("docker-compose", "version")) base = List.of("docker-compose");
        }
        return base;
    }
}
