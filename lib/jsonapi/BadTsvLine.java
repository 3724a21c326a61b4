import java.nio.file.Path;

/** A TSV line (or a whole file, line 0) the converter refused, with the reason in one sentence. */
record BadTsvLine(Path file, long line, String reason) {
    String where() { return line == 0 ? file.toString() : file + ":" + line; }

    @Override
    public String toString() { return where() + ": " + reason; }
}
