import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Opens data files the same way everywhere: UTF-8, large buffers, gzip when the name ends in {@code .gz}. */
final class DataFile {
    static final int BUFFER = 1 << 16;

    private DataFile() {}

    static boolean isGzip(Path path) { return path.getFileName().toString().endsWith(".gz"); }

    static InputStream in(Path path) {
        try {
            InputStream raw = Files.newInputStream(path);
            return isGzip(path) ? new GZIPInputStream(raw, BUFFER) : new java.io.BufferedInputStream(raw, BUFFER);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot open for reading (" + e.getMessage() + ")", e);
        }
    }

    static OutputStream out(Path path) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            OutputStream raw = Files.newOutputStream(path);
            return isGzip(path) ? new GZIPOutputStream(raw, BUFFER) : new java.io.BufferedOutputStream(raw, BUFFER);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot open for writing (" + e.getMessage() + ")", e);
        }
    }

    static BufferedReader reader(Path path) {
        return new BufferedReader(new InputStreamReader(in(path), StandardCharsets.UTF_8), BUFFER);
    }

    static BufferedWriter writer(Path path) {
        return new BufferedWriter(new OutputStreamWriter(out(path), StandardCharsets.UTF_8), BUFFER);
    }
}
