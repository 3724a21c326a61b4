//SOURCES ChildProcess.java ../cli/KitVersion.java

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One kind cluster per worktree, named after the worktree's directory, so several checkouts of the kit can each run
 * the Kubernetes manifests (deploy/k8s) without touching each other's cluster. Every step is an external command
 * (kind, kubectl, docker), run with the terminal so their own progress shows.
 */
record KindCluster(Path kitRoot, String name, String overlay) {
    static final String IMAGE = "qairon-kit:" + KitVersion.VERSION;
    static final String NAMESPACE = "qairon";
    static final List<String> TOOLS = List.of("kind", "kubectl", "docker");

    /** The cluster of the worktree at {@code kitRoot}: {@code qairon-<directory name>}, as kind accepts names. */
    static KindCluster of(Path kitRoot, String overlay) {
        String dir = kitRoot.toAbsolutePath().normalize().getFileName().toString().toLowerCase(Locale.ROOT);
        String name = ("qairon-" + dir.replaceAll("[^a-z0-9-]+", "-")).replaceAll("-+", "-").replaceAll("-$", "");
        if (name.length() > 40) name = name.substring(0, 40).replaceAll("-$", "");
        return new KindCluster(kitRoot, name, overlay);
    }

    /** The kubectl context kind creates for the cluster. */
    String context() {
        return "kind-" + name;
    }

    /** The tools this machine lacks, in {@link #TOOLS} order. */
    static List<String> missingTools() {
        var missing = new ArrayList<String>();
        for (String tool : TOOLS) {
            String[] probe = tool.equals("kubectl") ? new String[] {tool, "version", "--client"} : new String[] {tool, "--version"};
            if (!ChildProcess.available(probe)) missing.add(tool);
        }
        return missing;
    }

    boolean exists() {
        var clusters = ChildProcess.capture(kitRoot, Map.of(), List.of("kind", "get", "clusters"));
        return clusters.ok() && clusters.output().lines().map(String::strip).anyMatch(name::equals);
    }

    List<String> create() {
        return List.of("kind", "create", "cluster", "--name", name, "--wait", "180s");
    }

    List<String> buildImage() {
        return List.of("docker", "build", "-t", IMAGE, "-f", "deploy/container/Containerfile", ".");
    }

    List<String> loadImage() {
        return List.of("kind", "load", "docker-image", IMAGE, "--name", name);
    }

    List<String> apply() {
        return List.of("kubectl", "--context", context(), "apply", "-k", overlay);
    }

    List<String> status() {
        return List.of("kubectl", "--context", context(), "-n", NAMESPACE, "get", "pods,jobs,statefulsets,deployments", "-o", "wide");
    }

    List<String> delete() {
        return List.of("kind", "delete", "cluster", "--name", name);
    }

    /** Runs one step with the terminal; true when it exited 0. */
    boolean run(List<String> command) {
        System.out.println("  $ " + String.join(" ", command));
        return ChildProcess.inherit(kitRoot, Map.of(), command).ok();
    }
}
