import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files named on a command line: plain paths, globs ({@code data/logs_*.jsonl}, {@code **} too) and directories
 * (every file in it matching the step's default pattern, e.g. {@code metrics_*.jsonl*}), never the OTLP files of
 * {@code --format otlp} through a directory or glob. {@code .gz} files are read
 * through gzip by {@link DataFile}. Order: as given, each expansion sorted by name; duplicates dropped.
 */
final class InputFiles {
    private InputFiles() {}

    static List<Path> expand(List<String> args, String directoryPattern) {
        var out = new LinkedHashSet<Path>();
        for (String arg : args) {
            Path p = Path.of(arg);
            if (Files.isDirectory(p)) {
                out.addAll(match(p, "glob:" + directoryPattern, false));
            } else if (arg.contains("*") || arg.contains("?") || arg.contains("[")) {
                int cut = firstWildcardDir(arg);
                Path base = cut < 0 ? Path.of(".") : Path.of(arg.substring(0, cut + 1));
                String rest = cut < 0 ? arg : arg.substring(cut + 1);
                var found = match(base, "glob:" + rest, rest.contains("/"));
                if (found.isEmpty()) throw new IllegalArgumentException(arg + ": no file matches");
                out.addAll(found);
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new IllegalArgumentException(arg + ": no such file or directory");
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException("no input files in " + String.join(" ", args)
                + " (directories are searched for " + directoryPattern + ")");
        return new ArrayList<>(out);
    }

    /** Index of the last '/' before the first wildcard, or -1. */
    private static int firstWildcardDir(String arg) {
        int w = arg.length();
        for (char c : new char[]{'*', '?', '['}) {
            int i = arg.indexOf(c);
            if (i >= 0) w = Math.min(w, i);
        }
        return arg.lastIndexOf('/', w);
    }

    private static List<Path> match(Path base, String glob, boolean deep) {
        var matcher = FileSystems.getDefault().getPathMatcher(glob);
        try (Stream<Path> s = deep || glob.contains("**") ? Files.walk(base) : Files.list(base)) {
            return s.filter(Files::isRegularFile).filter(f -> matcher.matches(base.relativize(f))).filter(f -> !isOtlp(f))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(base + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code logs_0.otlp.jsonl} (generate-monitoring --format otlp) matches {@code logs_*.jsonl*} but holds OTLP
     * export requests, which no importer reads: directories and globs leave such files out.
     */
    static boolean isOtlp(Path f) {
        String n = f.getFileName().toString();
        return n.endsWith(".otlp.jsonl") || n.endsWith(".otlp.jsonl.gz");
    }

    static long totalBytes(List<Path> files) {
        long n = 0;
        for (Path f : files) {
            try {
                n += Files.size(f);
            } catch (IOException e) {
                throw new UncheckedIOException(f + ": " + e.getMessage(), e);
            }
        }
        return n;
    }
}
