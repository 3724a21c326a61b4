import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the server has acknowledged, per source, as line ranges: one {@code source<TAB>first<TAB>last} line appended
 * and flushed after each acknowledged batch (with several endpoints, a fourth column names the endpoint that took
 * it). A run with {@code --resume} skips those lines; a run without it starts the file afresh. A killed run loses at
 * most the batches that were in flight (sent, not yet acknowledged): they are sent again on resume. Ranges of an
 * endpoint that died before its counters could confirm them are {@link #forget forgotten}, so a resumed run sends
 * them to the others.
 */
final class Checkpoint implements AutoCloseable {
    private final Path file;
    private final Map<String, List<long[]>> done;
    private BufferedWriter writer;

    private Checkpoint(Path file, Map<String, List<long[]>> done, BufferedWriter writer) {
        this.file = file;
        this.done = done;
        this.writer = writer;
    }

    /** No checkpoint: nothing is skipped, nothing recorded. */
    static Checkpoint none() { return new Checkpoint(null, Map.of(), null); }

    /** Opens {@code file}; with {@code resume} its ranges are loaded, otherwise it is emptied. */
    static Checkpoint open(Path file, boolean resume) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            var done = new HashMap<String, List<long[]>>();
            if (resume && Files.exists(file)) {
                for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] p = l.split("\t");
                    if (p.length != 3 && p.length != 4) continue; // a line cut by a kill mid-write
                    try {
                        done.computeIfAbsent(p[0], k -> new ArrayList<>()).add(new long[]{Long.parseLong(p[1]), Long.parseLong(p[2])});
                    } catch (NumberFormatException e) {
                        // same: a torn last line
                    }
                }
            }
            var w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    resume ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            if (resume && Files.size(file) > 0) w.newLine(); // never glue onto a torn line
            return new Checkpoint(file, done, w);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /** The key a file is known by: absolute path and size, so a rewritten file is not skipped by mistake. */
    static String sourceKey(Path path) {
        try {
            return path.toAbsolutePath().normalize() + "|" + Files.size(path);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": " + e.getMessage(), e);
        }
    }

    Path file() { return file; }

    boolean active() { return writer != null; }

    synchronized void acknowledged(String source, long first, long last) { acknowledged(source, first, last, null); }

    /** Records an acknowledged range; {@code endpoint} (or null) names who took it, for {@link #forget}. */
    synchronized void acknowledged(String source, long first, long last, String endpoint) {
        if (writer == null) return;
        try {
            writer.write(source + '\t' + first + '\t' + last + (endpoint == null ? "" : "\t" + endpoint));
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /** Lines of {@code source} acknowledged by an earlier run; ask in increasing line order. */
    Done done(String source) {
        var ranges = new ArrayList<>(done.getOrDefault(source, List.of()));
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        return new Done(ranges);
    }

    /** Acknowledged line ranges of one source, queried with non-decreasing line numbers. */
    static final class Done {
        private final List<long[]> ranges;
        private int at;

        Done(List<long[]> ranges) { this.ranges = ranges; }

        boolean contains(long line) {
            while (at < ranges.size() && ranges.get(at)[1] < line) at++;
            for (int i = at; i < ranges.size() && ranges.get(i)[0] <= line; i++) {
                if (ranges.get(i)[1] >= line) return true;
            }
            return false;
        }

        boolean isEmpty() { return ranges.isEmpty(); }
    }

    /**
     * Drops the ranges {@code endpoint} acknowledged in this file (those of earlier runs too): a resumed run sends
     * them again. Returns how many ranges were dropped.
     */
    synchronized int forget(String endpoint) {
        if (writer == null) return 0;
        try {
            writer.close();
            var kept = new ArrayList<String>();
            int dropped = 0;
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] p = l.split("\t");
                if (p.length == 4 && p[3].equals(endpoint)) dropped++;
                else if (!l.isEmpty()) kept.add(l);
            }
            Files.write(file, kept, StandardCharsets.UTF_8);
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            return dropped;
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (writer == null) return;
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint " + file + ": " + e.getMessage(), e);
        }
    }
}
