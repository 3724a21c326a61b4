import java.util.Locale;

/**
 * {@code --to null}: the generator's output, encoded to the last byte, then thrown away. For benchmarks of the
 * generator alone at sizes no disk holds; it counts the bytes it was handed so the summary still shows how much there
 * was (the lines are in the generator's own counts).
 */
final class DiscardedOutput implements MonitoringSink {
    private long bytes;

    @Override
    public void write(Stream stream, int part, byte[] data, int length) { bytes += length; }

    @Override
    public void close() {}

    long bytes() { return bytes; }

    /** For the end of the first summary line. */
    String headline() { return String.format(Locale.ROOT, "to null: %,.1f MB discarded", bytes / 1e6); }
}
