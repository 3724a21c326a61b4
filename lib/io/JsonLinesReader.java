import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Streams a JSON-lines file ({@code .gz} too) line by line, keeping the line number so every complaint can say
 * {@code file:line}. Blank lines are skipped. Parsing is the caller's choice: {@link Line#json()} or its own.
 */
final class JsonLinesReader implements Iterable<JsonLinesReader.Line>, AutoCloseable {
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** One non-blank line of a file, with where it came from. */
    record Line(Path file, long number, String text) {
        /** Parses the line as a JSON object; a failure names file, line and what is wrong. */
        JsonNode json() throws BadLineException {
            try {
                JsonNode node = MAPPER.readTree(text);
                if (node == null || !node.isObject()) throw new BadLineException(this, "not a JSON object");
                return node;
            } catch (JsonProcessingException e) {
                throw new BadLineException(this, "not JSON (" + e.getOriginalMessage() + ")");
            }
        }

        String where() { return file + ":" + number; }
    }

    /** A line that cannot be used; its message is {@code file:line: reason}. */
    static final class BadLineException extends Exception {
        private final transient Line line;
        private final String reason;

        BadLineException(Line line, String reason) {
            super(line.where() + ": " + reason);
            this.line = line;
            this.reason = reason;
        }

        Line line() { return line; }

        String reason() { return reason; }
    }

    private final Path path;
    private final BufferedReader reader;

    JsonLinesReader(Path path) {
        this.path = path;
        this.reader = DataFile.reader(path);
    }

    @Override
    public Iterator<Line> iterator() {
        return new Iterator<>() {
            private long number;
            private Line next = advance();

            private Line advance() {
                try {
                    String text;
                    while ((text = reader.readLine()) != null) {
                        number++;
                        if (!text.isBlank()) return new Line(path, number, text);
                    }
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(path + ":" + (number + 1) + ": read failed (" + e.getMessage() + ")", e);
                }
            }

            @Override
            public boolean hasNext() { return next != null; }

            @Override
            public Line next() {
                if (next == null) throw new NoSuchElementException();
                Line current = next;
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
