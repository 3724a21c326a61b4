import java.util.List;

/**
 * Records bound for one request, all from one source (a file, or a programmatic stream), covering the source's
 * lines {@code firstLine..lastLine}; {@code bytes} is their encoded size before compression and {@code units} what the
 * store counts in them (samples of a VictoriaMetrics line with many, else one per record). A batch that fails is
 * reported whole, so no record vanishes without a count.
 */
record Batch<R>(String source, long firstLine, long lastLine, List<R> records, long bytes, long units) {
    int size() { return records.size(); }
}
