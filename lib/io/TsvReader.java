import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads a fixture TSV: {@code #} comment lines and blank lines are skipped, each other line is split on TAB by
 * position (empty cells kept). Rows carry their line number for {@code file:line} errors.
 */
final class TsvReader implements Iterable<TsvReader.Row>, AutoCloseable {

    /** One data line; {@code cells} keeps empty strings for empty cells. */
    record Row(Path file, long line, List<String> cells) {
        String where() { return file + ":" + line; }
    }

    private final Path path;
    private final BufferedReader reader;

    TsvReader(Path path) {
        this.path = path;
        this.reader = DataFile.reader(path);
    }

    @Override
    public Iterator<Row> iterator() {
        return new Iterator<>() {
            private long number;
            private Row next = advance();

            private Row advance() {
                try {
                    String text;
                    while ((text = reader.readLine()) != null) {
                        number++;
                        String stripped = text.strip();
                        if (stripped.isEmpty() || stripped.startsWith("#")) continue;
                        // strip only the line end: a trailing empty cell is a real (empty) value
                        String body = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                        return new Row(path, number, List.of(body.split("\t", -1)));
                    }
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(path + ":" + (number + 1) + ": read failed", e);
                }
            }

            @Override
            public boolean hasNext() { return next != null; }

            @Override
            public Row next() {
                if (next == null) throw new NoSuchElementException();
                Row current = next;
                next = advance();
                return current;
            }
        };
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": close failed", e);
        }
    }
}
