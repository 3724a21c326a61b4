import java.util.ArrayList;
import java.util.List;

/**
 * Fills batches from one source, in line order, and hands each full batch to its {@link BatchSender}: full means
 * {@code batchRecords} records or {@code batchBytes} encoded bytes, whichever comes first. Not thread-safe: one
 * stream per reading thread. {@link #close} sends the last partial batch.
 */
final class BatchStream<R> implements AutoCloseable {
    private final BatchSender<R> sender;
    private final String source;
    private List<R> records;
    private long bytes, units;
    private long first = -1;
    private long last;
    private long autoLine;

    BatchStream(BatchSender<R> sender, String source) {
        this.sender = sender;
        this.source = source;
        this.records = new ArrayList<>();
    }

    /** Adds a record with no line of its own (programmatic producers): lines are numbered 1, 2, 3, ... */
    void add(R record) { add(record, ++autoLine); }

    /** Adds the record read from {@code line} of this stream's source. */
    void add(R record, long line) {
        if (first < 0) first = line;
        last = line;
        records.add(record);
        bytes += sender.format().size(record);
        units += sender.format().units(record);
        if (records.size() >= sender.batchRecords() || bytes >= sender.batchBytes()) flush();
    }

    void flush() {
        if (records.isEmpty()) return;
        sender.submit(new Batch<>(source, first, last, records, bytes, units));
        records = new ArrayList<>(Math.min(sender.batchRecords(), 1 << 16));
        bytes = 0;
        units = 0;
        first = -1;
    }

    @Override
    public void close() { flush(); }
}
