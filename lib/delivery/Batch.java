import java.util.List;

/**
 * Records bound for one request, all from one source (a file, or a programmatic stream), covering the source's
 * lines {@code firstLine..lastLine}; {@code bytes} is their encoded size before compression. A batch that fails is
 * reported whole, so no record vanishes without a count.
 */
record Batch<R>(String source, long firstLine, long lastLine, List<R> records, long bytes) {
    int size() { return records.size(); }
}
