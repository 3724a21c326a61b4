import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code ./jbang <alias> --help} as a user would and measures the whole process: wall time, and CPU time of
 * the launcher and everything it started (from the children's times in /proc/self/stat, which count once the
 * process is reaped; NaN where there is no /proc). The launch modes are the launcher's own switches.
 */
final class LaunchTimer {
    /** Which launcher (a file in the kit) starts the script, and how it is told to. */
    enum Mode {
        BEFORE("launcher given", BEFORE_LAUNCHER, Map.of()),
        JBANG("through JBang", "jbang", Map.of("QAIRON_LAUNCH_CACHE", "off")),
        CACHED_NO_CDS("stored command", "jbang", Map.of("QAIRON_LAUNCH_CDS", "off")),
        CACHED("stored command + CDS", "jbang", Map.of());

        final String label, launcher;
        final Map<String, String> env;

        Mode(String label, String launcher, Map<String, String> env) {
            this.label = label;
            this.launcher = launcher;
            this.env = env;
        }
    }

    /** Where a launcher to compare with (e.g. an earlier ./jbang) is put in the kit. */
    static final String BEFORE_LAUNCHER = "jbang-before";

    /** One run: seconds of wall and of CPU. */
    record Sample(double wall, double cpu) {}

    private static final double CLOCK_TICKS = 100; // USER_HZ, 100 on every Linux this runs on

    private final Path kit;

    LaunchTimer(Path kit) { this.kit = kit; }

    /** One run; throws when it does not answer --help with exit 0. */
    Sample run(String alias, Mode mode) throws IOException, InterruptedException {
        Path launcher = kit.resolve(mode.launcher);
        var pb = new ProcessBuilder(launcher.toString(), alias, "--help").redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("QAIRON_LAUNCH_") || k.startsWith("JBANG_"));
        pb.environment().putAll(mode.env);
        double cpu0 = childrenCpu();
        long t0 = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(alias + " --help did not finish in 10 minutes");
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) throw new IOException(launcher + " " + alias + " --help exited " + p.exitValue() + ":\n" + new String(out));
        return new Sample(wall, childrenCpu() - cpu0);
    }

    /** Seconds of CPU of this process's reaped children (utime + stime of the waited-for descendants). */
    static double childrenCpu() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / CLOCK_TICKS; // fields 16 and 17: cutime, cstime
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length == 0 ? Double.NaN : a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    static List<Double> walls(List<Sample> s) { return new ArrayList<>(s.stream().map(Sample::wall).toList()); }

    static List<Double> cpus(List<Sample> s) { return new ArrayList<>(s.stream().map(Sample::cpu).toList()); }
}
