import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One external command run to completion: either with the terminal (inherited I/O) or captured. */
record ChildProcess(List<String> command, int exitCode, String output) {

    /** Runs {@code command} in {@code dir} with extra environment, output going straight to this terminal. */
    static ChildProcess inherit(Path dir, Map<String, String> env, List<String> command) {
        return run(dir, env, command, true);
    }

    /** Runs {@code command} in {@code dir} and keeps stdout and stderr together in {@link #output()}. */
    static ChildProcess capture(Path dir, Map<String, String> env, List<String> command) {
        return run(dir, env, command, false);
    }

    /** True when {@code program} starts at all (found on PATH and executable). */
    static boolean available(String... command) {
        try {
            var p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            p.getInputStream().readAllBytes();
            p.waitFor();
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean ok() { return exitCode == 0; }

    /** The last non-blank line of the output, for one-line error messages. */
    String lastLine() {
        var lines = output.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
    }

    private static ChildProcess run(Path dir, Map<String, String> env, List<String> command, boolean inherit) {
        var pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(env);
        if (inherit) pb.inheritIO(); else pb.redirectErrorStream(true);
        try {
            Process p = pb.start();
            String out = "";
            if (!inherit) {
                p.getOutputStream().close();
                out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            return new ChildProcess(List.copyOf(command), p.waitFor(), out);
        } catch (IOException e) {
            return new ChildProcess(List.copyOf(command), 127, command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while running " + command.get(0), e));
        }
    }
}
