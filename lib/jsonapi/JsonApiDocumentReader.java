import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Streams the elements of a JSON:API document file (a JSON array of {@code {"data": ...}} objects) one at a time,
 * each with its position for {@code file:line} messages, so files of millions of documents need no memory.
 * A file that stops being JSON ends the iteration with {@link BrokenFileException} naming the line.
 */
final class JsonApiDocumentReader implements Iterable<JsonApiDocumentReader.Element>, AutoCloseable {

    /** The {@code index}-th element (from 1), starting at {@code line} of {@code file}. */
    record Element(Path file, long index, long line, JsonNode node) {
        String where() { return file + ":" + line; }
    }

    /** The file is not (or stops being) a JSON array; {@code where} is {@code file} or {@code file:line}. */
    static final class BrokenFileException extends RuntimeException {
        final String where, reason;

        BrokenFileException(String where, String reason, Throwable cause) {
            super(where + ": " + reason, cause);
            this.where = where;
            this.reason = reason;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Path file;
    private final JsonParser parser;

    JsonApiDocumentReader(Path file) {
        this.file = file;
        try {
            this.parser = MAPPER.getFactory().createParser(DataFile.in(file));
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_ARRAY) {
                throw new BrokenFileException(file + ":" + parser.currentTokenLocation().getLineNr(),
                        "not a JSON array of JSON:API documents", null);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BrokenFileException(file.toString(), "not JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": read failed (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public Iterator<Element> iterator() {
        return new Iterator<>() {
            long index;
            Element next;
            boolean done;

            private Element advance() {
                try {
                    JsonToken t = parser.nextToken();
                    if (t == null || t == JsonToken.END_ARRAY) return null;
                    long line = parser.currentTokenLocation().getLineNr();
                    JsonNode node = MAPPER.readTree(parser);
                    return new Element(file, ++index, line, node);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new BrokenFileException(file + ":" + e.getLocation().getLineNr(), "not JSON after element "
                            + index + " (" + e.getOriginalMessage() + ") - the rest of the file is not loaded", e);
                } catch (IOException e) {
                    throw new UncheckedIOException(file + ": read failed (" + e.getMessage() + ")", e);
                }
            }

            // lazy: an element is handed out before the reader looks past it, so a file broken later still yields it
            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    next = advance();
                    done = next == null;
                }
                return next != null;
            }

            @Override
            public Element next() {
                if (!hasNext()) throw new NoSuchElementException();
                Element e = next;
                next = null;
                return e;
            }
        };
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": close failed", e);
        }
    }
}
