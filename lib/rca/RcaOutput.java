import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where rca-questions and detect-incidents put their JSON lines: a file ({@code .gz} compressed) or, with no
 * {@code --out}, standard output; the summary then goes to standard error so the lines can be piped.
 */
record RcaOutput(Path file, PrintStream stdout, PrintStream stderr) {

    void write(List<String> lines) {
        if (file == null) {
            for (String l : lines) stdout.println(l);
            stdout.flush();
            return;
        }
        try {
            if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(file + ": cannot create its directory (" + e.getMessage() + ")", e);
        }
        try (var w = new JsonLinesWriter(file)) {
            for (String l : lines) w.writeRaw(l);
        }
    }

    /** The stream the summary goes to. */
    PrintStream summary() { return file == null ? stderr : stdout; }

    String where() { return file == null ? "standard output" : file.toString(); }
}
