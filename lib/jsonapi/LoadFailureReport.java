import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The rows a load could not deliver, one TSV line each: {@code file}, {@code id}, {@code status} (HTTP status, 0 when
 * no answer came), {@code message}. Thread-safe; the header is written even when nothing fails, so an old report
 * never outlives a clean run.
 */
final class LoadFailureReport implements AutoCloseable {
    private final Path path;
    private final BufferedWriter out;
    private long rows;

    LoadFailureReport(Path path) {
        this.path = path;
        this.out = DataFile.writer(path);
        line("file", "id", "status", "message");
    }

    Path path() { return path; }

    synchronized long rows() { return rows; }

    synchronized void failed(String where, String id, int status, String message) {
        line(where, id, Integer.toString(status), message);
        rows++;
    }

    private void line(String... cells) {
        try {
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) out.write('\t');
                out.write(cells[i] == null ? "" : cells[i].replace('\t', ' ').replace('\n', ' ').replace('\r', ' '));
            }
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": write failed", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": write failed", e);
        }
    }
}
