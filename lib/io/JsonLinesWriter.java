import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Streams one JSON object per line ({@code \n} endings, UTF-8, gzip for {@code .gz}). Memory stays flat: nothing is
 * kept after a line is written. Use {@link #writeRaw} for lines already serialized on a hot path.
 */
final class JsonLinesWriter implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

    private final Path path;
    private final OutputStream out;
    private long lines;
    private long bytes;

    JsonLinesWriter(Path path) {
        this.path = path;
        this.out = DataFile.out(path);
    }

    /** Serializes {@code value} with Jackson (records, maps, JsonNode) as one line. */
    JsonLinesWriter write(Object value) {
        try {
            byte[] json = MAPPER.writeValueAsBytes(value);
            out.write(json);
            out.write('\n');
            bytes += json.length + 1;
            lines++;
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": write failed (" + e.getMessage() + ")", e);
        }
    }

    /** Writes a line that is already JSON (no newline inside); the newline is added here. */
    JsonLinesWriter writeRaw(CharSequence json) {
        return writeRaw(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    JsonLinesWriter writeRaw(byte[] json) {
        try {
            out.write(json);
            out.write('\n');
            bytes += json.length + 1;
            lines++;
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": write failed (" + e.getMessage() + ")", e);
        }
    }

    long lines() { return lines; }

    /** Uncompressed bytes written, newlines included. */
    long bytes() { return bytes; }

    Path path() { return path; }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": close failed (" + e.getMessage() + ")", e);
        }
    }
}
