import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ./jbang dev cluster}: one kind cluster per worktree, named after its directory; the steps it runs; what it
 * says when kind, kubectl or Docker is missing. The tools are played by scripts on a PATH of their own that log
 * every call, so the commands are checked exactly without a container engine.
 */
class DevClusterTest {

    record Run(int exitCode, String output, List<String> calls) {}

    /** Runs {@code Dev} in a child JVM whose PATH holds only the fake tools named, in a worktree directory {@code dir}. */
    private static Run dev(Path worktree, List<String> tools, String existingClusters, String... args) throws Exception {
        Path bin = Files.createDirectories(worktree.resolveSibling(worktree.getFileName() + "-bin"));
        Path log = bin.resolve("calls.log");
        Files.deleteIfExists(log);
        for (String tool : tools) {
            // kind get clusters answers the clusters that exist; every call is logged as one line
            String script = "#!/bin/sh\necho \"" + tool + " $*\" >> '" + log + "'\n"
                    + (tool.equals("kind") ? "if [ \"$1\" = get ]; then printf '" + existingClusters + "'; fi\n" : "")
                    + "exit 0\n";
            Path p = bin.resolve(tool);
            Files.writeString(p, script);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        String java = ProcessHandle.current().info().command().orElseThrow();
        var command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "Dev", "cluster"));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command).directory(worktree.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", bin.toString());
        var p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "dev cluster did not finish");
        var calls = Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> !l.endsWith(" --version") && !l.endsWith(" version --client")).toList() : List.<String>of();
        return new Run(p.exitValue(), out, calls);
    }

    @Test
    void upCreatesTheWorktreesOwnClusterBuildsLoadsAndApplies() throws Exception {
        Path worktree = Files.createDirectories(KitLayout.testDir("dev-cluster").resolve("Feature_Branch.2"));
        var run = dev(worktree, List.of("kind", "kubectl", "docker"), "kind\\nqairon-other\\n", "up");
        assertEquals(0, run.exitCode(), run.output());
        assertEquals(List.of(
                "kind get clusters",
                "kind create cluster --name qairon-feature-branch-2 --wait 180s",
                "docker build -t qairon-kit:" + KitVersion.VERSION + " -f deploy/container/Containerfile .",
                "kind load docker-image qairon-kit:" + KitVersion.VERSION + " --name qairon-feature-branch-2",
                "kubectl --context kind-qairon-feature-branch-2 apply -k deploy/k8s/overlays/kind"), run.calls());
        assertTrue(run.output().contains("dev cluster: done in"), run.output());
    }

    @Test
    void upReusesAnExistingClusterAndDownDeletesOnlyThisWorktreesCluster() throws Exception {
        Path worktree = Files.createDirectories(KitLayout.testDir("dev-cluster").resolve("main"));
        var up = dev(worktree, List.of("kind", "kubectl", "docker"), "qairon-main\\n", "up", "--no-build");
        assertEquals(0, up.exitCode(), up.output());
        assertEquals(List.of("kind get clusters", "kind load docker-image qairon-kit:" + KitVersion.VERSION + " --name qairon-main",
                "kubectl --context kind-qairon-main apply -k deploy/k8s/overlays/kind"), up.calls());

        var down = dev(worktree, List.of("kind", "kubectl", "docker"), "qairon-main\\nqairon-other\\n", "down");
        assertEquals(0, down.exitCode(), down.output());
        assertEquals(List.of("kind get clusters", "kind delete cluster --name qairon-main"), down.calls());

        var status = dev(worktree, List.of("kind", "kubectl", "docker"), "qairon-other\\n", "status");
        assertEquals(1, status.exitCode(), status.output());
        assertTrue(status.output().contains("no cluster qairon-main yet"), status.output());
    }

    @Test
    void missingToolsAreNamedAndNothingRuns() throws Exception {
        Path worktree = Files.createDirectories(KitLayout.testDir("dev-cluster").resolve("wt"));
        var run = dev(worktree, List.of("kind"), "", "up");
        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains("kubectl, docker not found on PATH"), run.output());
        assertEquals(List.of(), run.calls(), "nothing may run when a tool is missing");
    }
}
