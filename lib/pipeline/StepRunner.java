import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Runs a step as a child process through the kit's launcher, echoing its output with a step prefix and
 * picking out its summary headline ({@code <alias>: done in X s, <headline>}).
 */
final class StepRunner {
    private final Path launcher;
    private final PrintStream out;

    StepRunner(Path launcher, PrintStream out) {
        this.launcher = launcher;
        this.out = out;
    }

    StepOutcome run(PipelineStep step) {
        long start = System.nanoTime();
        var pb = new ProcessBuilder(step.command(launcher.toString())).redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        String headline = "";
        int rc;
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String prefix = step.alias() + ": done in ";
                for (String line; (line = in.readLine()) != null; ) {
                    out.println("  [" + step.name() + "] " + line);
                    if (headline.isEmpty() && line.startsWith(prefix)) headline = afterDuration(line.substring(prefix.length()));
                }
            }
            rc = p.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + step.commandLine(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            rc = 130;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        var status = rc == 0 ? StepOutcome.Status.DONE : StepOutcome.Status.FAILED;
        if (rc != 0 && headline.isEmpty()) headline = "exit code " + rc;
        return new StepOutcome(step, status, rc, seconds, headline);
    }

    /** "12.3 s, 1,000 rows" -> "1,000 rows". */
    static String afterDuration(String rest) {
        int comma = rest.indexOf(", ");
        return comma < 0 ? rest : rest.substring(comma + 2);
    }

    /** True when one of the endpoints answers: the steps share their batches among the live ones. */
    static boolean anyReachable(java.util.List<URI> urls) {
        return urls.stream().anyMatch(StepRunner::reachable);
    }

    /** True when something accepts TCP connections at the URL's host and port. */
    static boolean reachable(URI url) {
        int port = url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress(url.getHost(), port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
