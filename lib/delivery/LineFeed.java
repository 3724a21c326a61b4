import java.nio.file.Path;

/**
 * Feeds JSON lines made in memory (a generator streaming straight to a store) through the same parser, batching,
 * retries and counts as files: {@code feed.accept(line)} for each line, {@code close()} to send the rest. Bad lines
 * are counted and kept as problems, named {@code <source>:<n>}. One feed per producing thread.
 * <pre>
 * try (var sender = new BatchSender&lt;&gt;(VlJsonLine.format(), config, stats, Checkpoint.none());
 *      var feed = new LineFeed&lt;&gt;("generator-0", new VlJsonLine(), sender, stats)) {
 *     for (String line : lines) feed.accept(line);
 * }
 * </pre>
 */
final class LineFeed<R> implements AutoCloseable {
    private final Path source;
    private final LineParser<R> parser;
    private final BatchStream<R> stream;
    private final DeliveryStats stats;
    private long number;

    LineFeed(String source, LineParser<R> parser, BatchSender<R> sender, DeliveryStats stats) {
        this.source = Path.of(source);
        this.parser = parser;
        this.stream = sender.stream(source);
        this.stats = stats;
    }

    /** Parses, enriches and queues one line; answers false when the line was bad (counted, not sent). */
    boolean accept(String line) {
        number++;
        stats.read.increment();
        stats.inputBytes.add(line.length() + 1L);
        try {
            stream.add(parser.parse(new JsonLinesReader.Line(source, number, line)), number);
            return true;
        } catch (JsonLinesReader.BadLineException e) {
            stats.bad.increment();
            stats.problem(e.getMessage());
            return false;
        }
    }

    /** Sends the partial batch now (a live producer's data should not wait for a full one). */
    void flush() { stream.flush(); }

    @Override
    public void close() { stream.close(); }
}
