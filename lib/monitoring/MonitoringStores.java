//SOURCES ../tempo/TempoCounters.java ../tempo/TempoCounterOptions.java
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The generator's output sent straight to the stores, through the importers' own parsers, batching, retries and
 * counts: logs to VictoriaLogs ({@link VlJsonLine}, as import-vl) and to Tempo ({@link LogSpan}, as export-tempo), raw
 * and native metric lines to VictoriaMetrics ({@link VmImportLine}, as import-vm). Exemplars are not streamed
 * (VictoriaMetrics ignores them); they exist only as {@code native_exemplars.txt} when files are written too.
 *
 * <p>Each store has a lane: a thread that takes what {@link #write} hands over, splits it into lines and feeds each
 * part of each stream through its own {@link LineFeed}, named after the file it would have been
 * ({@code generated logs_0.jsonl}). Since the lines of a part come in file order, the batches are the ones the
 * importer would send from that file: export-tempo's grouping (spans of a trace together inside a request, one
 * resource per release) holds alike, and a trace cut by a batch boundary is cut the same way.
 *
 * <p>Backpressure, memory: a lane holds at most {@code laneLines} lines and {@code laneBytes} bytes (or one larger
 * piece alone); the sender behind it holds at most {@code 3 x workers + 1} batches (queue, in flight, one being
 * queued) plus one partial batch per part. When a store is slower than the generator its sender's queue fills, the
 * lane waits, {@link #write} waits, and so does the generator. Nothing is dropped: every batch ends acknowledged or
 * counted as failed, and the stores' own counters are read before (which also shows they answer, see {@link #open})
 * and after.
 */
final class MonitoringStores implements MonitoringSink {
    /** Lines a lane holds at most (about 20 MB of log lines). */
    static final int LANE_LINES = 32_768;
    /** Bytes a lane holds at most. */
    static final long LANE_BYTES = 32L << 20;

    /** The stores, with what they take and what they count. */
    enum Store {
        VM("vm", "VictoriaMetrics", "samples", "--vm-url", "raw and native metric lines, as import-vm"),
        VL("vl", "VictoriaLogs", "logs", "--vl-url", "log lines, as import-vl"),
        TEMPO("tempo", "Tempo", "spans", "--tempo-url", "log lines as spans, as export-tempo");

        final String key, label, unit, flag, takes;

        Store(String key, String label, String unit, String flag, String takes) {
            this.key = key;
            this.label = label;
            this.unit = unit;
            this.flag = flag;
            this.takes = takes;
        }

        boolean takes(Stream s) {
            return this == VM ? s == Stream.METRICS || s == Stream.NATIVE_METRICS : s == Stream.LOGS;
        }

        static Store named(String key) {
            for (Store s : values()) if (s.key.equals(key)) return s;
            throw new IllegalArgumentException("--to takes files, vm, vl, tempo (or null alone), got \"" + key + "\"");
        }
    }

    /** What {@link #write} handed over: complete lines of one part of one stream. */
    private record Piece(Stream stream, int part, byte[] bytes, int lines) {}

    private static final Piece END = new Piece(Stream.LOGS, 0, new byte[0], 0);
    /** Send every part's partial batch now ({@link #flush}). */
    private static final Piece FLUSH = new Piece(Stream.LOGS, 0, new byte[0], 0);

    private final List<Lane<?>> lanes;
    private final MonitoringSink files;
    private long exemplarBytes;
    private boolean closed;

    private MonitoringStores(List<Lane<?>> lanes, MonitoringSink files) {
        this.lanes = lanes;
        this.files = files;
    }

    /**
     * Checks every store named in {@code o} (its counters read, or a probe) before anything is generated, then
     * opens the lanes and, when {@code files} is not null, the files it supplies. A store that does not answer is an
     * UncheckedIOException with one sentence naming it, its URL and the flag.
     */
    static MonitoringStores open(StreamOptions o, Supplier<MonitoringSink> files) {
        return open(o, files, LANE_LINES, LANE_BYTES);
    }

    static MonitoringStores open(StreamOptions o, Supplier<MonitoringSink> files, int laneLines, long laneBytes) {
        Set<Store> stores = o.stores();
        var checks = new EnumMap<Store, List<CounterCheck>>(Store.class);
        for (Store s : stores) {
            var list = new ArrayList<CounterCheck>();
            for (StoreEndpoint e : o.endpoints(s)) {
                try {
                    list.add(CounterCheck.start(e.base(), e.counters(), o.noServerCounters));
                } catch (IOException ex) {
                    throw new UncheckedIOException("cannot reach " + s.label + " at " + e.base() + " (" + CounterCheck.why(ex)
                            + "); is it running? Try " + s.flag + ".", ex);
                }
            }
            checks.put(s, list);
        }
        var lanes = new ArrayList<Lane<?>>();
        for (Store s : stores) {
            var config = o.senderConfig(s);
            lanes.add(switch (s) {
                case VM -> new Lane<>(s, new VmImportLine(), VmImportLine.format(), config, checks.get(s), laneLines, laneBytes);
                case VL -> new Lane<>(s, new VlJsonLine(), VlJsonLine.format(), config, checks.get(s), laneLines, laneBytes);
                case TEMPO -> new Lane<>(s, new LogSpan.Parser(), new OtlpTraceBody(), config, checks.get(s), laneLines, laneBytes);
            });
        }
        MonitoringSink sink;
        try {
            sink = files == null ? null : files.get();
        } catch (RuntimeException e) {
            new MonitoringStores(lanes, null).close(); // stop the lanes' threads; nothing was sent
            throw e;
        }
        return new MonitoringStores(lanes, sink);
    }

    @Override
    public void write(Stream stream, int part, byte[] bytes, int length) {
        if (files != null) files.write(stream, part, bytes, length);
        if (stream == Stream.EXEMPLARS) {
            exemplarBytes += length;
            return;
        }
        byte[] copy = null;
        int lines = 0;
        for (Lane<?> lane : lanes) {
            if (!lane.store.takes(stream) || length == 0) continue;
            String aborted = lane.sender.aborted();
            if (aborted != null) throw new IllegalStateException(lane.store.label + ": stopped (--fail-fast): " + aborted);
            if (copy == null) {
                copy = Arrays.copyOf(bytes, length);
                for (int i = 0; i < length; i++) if (copy[i] == '\n') lines++;
            }
            lane.put(new Piece(stream, part, copy, lines));
        }
    }

    /** Each lane sends its partial batches once it has handed over what it holds now. */
    @Override
    public void flush() {
        if (files != null) files.flush();
        for (Lane<?> lane : lanes) lane.put(FLUSH);
    }

    /**
     * Gives up what is not delivered yet ({@code why}: live mode's deadline after a signal): batches queued or retried
     * from now on count as not delivered, so {@link #close} returns soon.
     */
    void abort(String why) {
        for (Lane<?> lane : lanes) lane.sender.abort(why);
    }

    /** Sends what the lanes still hold, waits for every batch, reads the counters again; throws if a lane broke. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (Lane<?> lane : lanes) lane.end();
        for (Lane<?> lane : lanes) lane.finish();
        RuntimeException failure = null;
        if (files != null) {
            try {
                files.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        for (Lane<?> lane : lanes) {
            if (lane.failure != null && failure == null)
                failure = new IllegalStateException(lane.store.label + ": stream broke: " + lane.failure, lane.failure);
        }
        if (failure != null) throw failure;
    }

    /**
     * Calls {@code listener} with the store and the records of each batch the moment that store acknowledges it, on a
     * sender thread (VictoriaMetrics and VictoriaLogs records are their lines' bytes, Tempo's {@link LogSpan}s): how a
     * benchmark times delivery. Set it before the first {@link #write}.
     */
    void onAcknowledged(java.util.function.BiConsumer<Store, List<?>> listener) {
        for (Lane<?> lane : lanes) lane.onAcknowledged(listener);
    }

    /** The delivery of each store, after {@link #close}. */
    Map<Store, DeliveryReport> reports() {
        var out = new LinkedHashMap<Store, DeliveryReport>();
        for (Lane<?> lane : lanes) out.put(lane.store, lane.report());
        return out;
    }

    /** Every store took everything: all acknowledged, the counters agree, no bad line, no broken lane. */
    boolean delivered() {
        for (Lane<?> lane : lanes) {
            if (lane.failure != null || lane.verdict == null || !lane.report().delivered() || lane.stats.bad.sum() > 0) return false;
        }
        return true;
    }

    long notDelivered() {
        long n = 0;
        for (Lane<?> lane : lanes) if (lane.verdict != null) n += lane.report().notDelivered();
        return n;
    }

    /** For the end of the first summary line: "to vm 1,234 samples, vl 567 logs, tempo 567 spans, 0 not delivered". */
    String headline() {
        var parts = new ArrayList<String>();
        for (Lane<?> lane : lanes)
            parts.add(String.format(Locale.ROOT, "%s %,d %s", lane.store.key, lane.stats.acknowledged.sum(), lane.store.unit));
        return "to " + String.join(", ", parts) + String.format(Locale.ROOT, ", %,d not delivered", notDelivered());
    }

    /** Per store: where it went and its delivery lines; then the exemplars note; problems go to {@code err}. */
    void print(PrintStream out, PrintStream err) {
        for (Lane<?> lane : lanes) {
            int more = lane.sender.routes().size() - 1;
            out.printf(Locale.ROOT, "  %-16s%s%s (%s)%n", lane.store.label, lane.sender.target(),
                    more > 0 ? " and " + more + " more endpoint(s)" : "", lane.store.takes);
            if (lane.verdict != null) lane.report().print(out, "    ");
            if (lane.failure != null) out.printf(Locale.ROOT, "    %-14s%s%n", "broke", lane.failure);
        }
        if (exemplarBytes > 0)
            out.printf(Locale.ROOT, "  %-16s%s%n", "exemplars", "not streamed: VictoriaMetrics ignores exemplars"
                    + (files != null ? "; written to native_exemplars.txt" : "; --to files,... writes native_exemplars.txt"));
        for (Lane<?> lane : lanes) {
            if (lane.verdict != null) lane.report().problems(err, "generate-monitoring: " + lane.store.key);
            long nd = lane.verdict == null ? 0 : lane.report().notDelivered();
            if (nd > 0) err.printf(Locale.ROOT, "generate-monitoring: %,d %s not delivered to %s%n", nd, lane.store.unit, lane.store.label);
        }
    }

    /** One store's thread, sender and counts. */
    private static final class Lane<R> {
        final Store store;
        final LineParser<R> parser;
        final DeliveryStats stats = new DeliveryStats();
        final BatchSender<R> sender;
        final boolean gzip;
        final List<CounterCheck> checks;
        final int maxLines;
        final long maxBytes;
        private final ArrayDeque<Piece> queue = new ArrayDeque<>();
        private final Map<String, LineFeed<R>> feeds = new LinkedHashMap<>();
        private final Thread thread;
        private long lines, bytes;
        volatile Throwable failure;
        List<CounterCheck.Verdict> verdict;

        Lane(Store store, LineParser<R> parser, WireFormat<R> format, BatchSender.Config config, List<CounterCheck> checks, int maxLines, long maxBytes) {
            this.store = store;
            this.parser = parser;
            this.checks = checks;
            this.maxLines = maxLines;
            this.maxBytes = maxBytes;
            this.sender = new BatchSender<>(format, config, stats, Checkpoint.none());
            this.gzip = config.gzip() && format.acceptsGzip();
            this.thread = Thread.ofPlatform().daemon().name("stream-" + store.key).start(this::run);
        }

        void onAcknowledged(java.util.function.BiConsumer<Store, List<?>> listener) {
            sender.onAcknowledged(b -> listener.accept(store, b.records()));
        }

        /** Queues a piece, waiting while the lane is full; an empty lane takes any piece. */
        synchronized void put(Piece p) {
            try {
                while (failure == null && !queue.isEmpty() && (lines + p.lines() > maxLines || bytes + p.bytes().length > maxBytes)) wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while streaming to " + store.label, e);
            }
            if (failure != null) throw new IllegalStateException(store.label + ": stream broke: " + failure, failure);
            queue.add(p);
            lines += p.lines();
            bytes += p.bytes().length;
            notifyAll();
        }

        synchronized void end() {
            queue.add(END);
            notifyAll();
        }

        private synchronized Piece take() throws InterruptedException {
            while (queue.isEmpty()) wait();
            return queue.peek();
        }

        private synchronized void done(Piece p) {
            queue.poll();
            lines -= p.lines();
            bytes -= p.bytes().length;
            notifyAll();
        }

        private void run() {
            try {
                for (Piece p; (p = take()) != END; ) {
                    if (p == FLUSH) {
                        for (LineFeed<R> f : feeds.values()) f.flush();
                        done(p);
                        continue;
                    }
                    String name = MonitoringFiles.name(p.stream(), p.part());
                    LineFeed<R> feed = feeds.get(name);
                    if (feed == null) feeds.put(name, feed = new LineFeed<>("generated " + name, parser, sender, stats));
                    byte[] b = p.bytes();
                    int start = 0;
                    for (int i = 0; i < b.length; i++) {
                        if (b[i] != '\n') continue;
                        if (i > start) feed.accept(new String(b, start, i - start, StandardCharsets.UTF_8));
                        start = i + 1;
                    }
                    if (start < b.length) feed.accept(new String(b, start, b.length - start, StandardCharsets.UTF_8));
                    done(p);
                }
                for (LineFeed<R> f : feeds.values()) f.close();
            } catch (Throwable t) {
                failure = t;
                synchronized (this) {
                    notifyAll();
                }
            }
        }

        /** Waits for the lane and its sender, then reads the store's counters again. */
        void finish() {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sender.close();
            var routes = sender.routes();
            var verdicts = new ArrayList<CounterCheck.Verdict>();
            for (int i = 0; i < routes.size(); i++) verdicts.add(checks.get(i).finish(routes.get(i).acknowledged.sum()));
            verdict = verdicts;
        }

        DeliveryReport report() { return new DeliveryReport(store.unit, stats, sender, gzip, verdict); }
    }
}
