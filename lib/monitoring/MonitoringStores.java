//SOURCES ../tempo/TempoCounters.java ../tempo/TempoCounterOptions.java ../otlp/OtlpHttp.java ../otlp/OtlpLogsBody.java
//SOURCES ../otlp/OtlpMetric.java ../otlp/OtlpMetricsBody.java ../otlp/OtlpNativeMetrics.java OtlpMetricsFeed.java
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The generator's output sent straight to the stores, through the importers' own parsers, batching, retries and
 * counts: logs to VictoriaLogs ({@link VlJsonLine}, as import-vl) and to Tempo ({@link LogSpan}, as export-tempo), raw
 * and native metric lines to VictoriaMetrics ({@link VmImportLine}, as import-vm), and everything to an OTLP/HTTP
 * receiver ({@link OtlpHttp}: logs, traces, raw and native metrics with their exemplars, {@link OtlpMetricsFeed}).
 * Exemplars reach only OTLP (VictoriaMetrics ignores them); otherwise they exist only as {@code native_exemplars.txt}
 * when files are written too.
 *
 * <p>Each store has a lane (OTLP one per signal): a thread that takes what {@link #write} hands over, splits it into lines and feeds each
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
        TEMPO("tempo", "Tempo", "spans", "--tempo-url", "log lines as spans, as export-tempo"),
        OTLP("otlp", "OTLP", "records", "--otlp-url", "logs, traces and metrics over OTLP/HTTP");

        final String key, label, unit, flag, takes;

        Store(String key, String label, String unit, String flag, String takes) {
            this.key = key;
            this.label = label;
            this.unit = unit;
            this.flag = flag;
            this.takes = takes;
        }

        boolean takes(Stream s) {
            return switch (this) {
                case VM -> s == Stream.METRICS || s == Stream.NATIVE_METRICS;
                case VL, TEMPO -> s == Stream.LOGS;
                case OTLP -> true;
            };
        }

        static Store named(String key) {
            for (Store s : values()) if (s.key.equals(key)) return s;
            throw new IllegalArgumentException("--to takes files, vm, vl, tempo, otlp (or null alone), got \"" + key + "\"");
        }
    }

    /** How a lane turns the pieces it takes into records for its sender; called from the lane's thread only. */
    interface LaneInput {
        /** Complete lines of one part of one stream, in the order they were written. */
        void piece(Stream stream, int part, byte[] bytes);

        /** Sends every partial batch now (a live run's data should not wait for full ones). */
        void flush();

        /** Sends what is still held or batched. */
        void close();
    }

    /** Each line of a piece through the store's parser, in a feed per part named after its file (as the importers read it). */
    private static final class LineInput<R> implements LaneInput {
        private final LineParser<R> parser;
        private final BatchSender<R> sender;
        private final DeliveryStats stats;
        private final Map<String, LineFeed<R>> feeds = new LinkedHashMap<>();

        LineInput(LineParser<R> parser, BatchSender<R> sender, DeliveryStats stats) {
            this.parser = parser;
            this.sender = sender;
            this.stats = stats;
        }

        @Override
        public void piece(Stream stream, int part, byte[] bytes) {
            String name = MonitoringFiles.name(stream, part);
            LineFeed<R> feed = feeds.get(name);
            if (feed == null) feeds.put(name, feed = new LineFeed<>("generated " + name, parser, sender, stats));
            lines(bytes, feed::accept);
        }

        @Override
        public void flush() {
            for (LineFeed<R> f : feeds.values()) f.flush();
        }

        @Override
        public void close() {
            for (LineFeed<R> f : feeds.values()) f.close();
        }
    }

    /** Each non-empty line of {@code b} (without its newline), in order. */
    static void lines(byte[] b, java.util.function.Consumer<String> each) {
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] != '\n') continue;
            if (i > start) each.accept(new String(b, start, i - start, StandardCharsets.UTF_8));
            start = i + 1;
        }
        if (start < b.length) each.accept(new String(b, start, b.length - start, StandardCharsets.UTF_8));
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
        return open(o, 0, files, LANE_LINES, LANE_BYTES);
    }

    /**
     * The same for a run whose window starts at {@code runStartMicros}: the start of OTLP's cumulative sums and
     * histograms (0 leaves it unset, which OTLP reads as unknown).
     */
    static MonitoringStores open(StreamOptions o, long runStartMicros, Supplier<MonitoringSink> files) {
        return open(o, runStartMicros, files, LANE_LINES, LANE_BYTES);
    }

    static MonitoringStores open(StreamOptions o, Supplier<MonitoringSink> files, int laneLines, long laneBytes) {
        return open(o, 0, files, laneLines, laneBytes);
    }

    static MonitoringStores open(StreamOptions o, long runStartMicros, Supplier<MonitoringSink> files, int laneLines, long laneBytes) {
        Set<Store> stores = o.stores();
        var checks = new EnumMap<Store, List<CounterCheck>>(Store.class);
        for (Store s : stores) checks.put(s, counterChecks(o, s));
        var lanes = new ArrayList<Lane<?>>();
        for (Store s : stores) {
            var config = o.senderConfig(s);
            Set<Stream> all = EnumSet.allOf(Stream.class), logs = EnumSet.of(Stream.LOGS);
            switch (s) {
                case VM -> lanes.add(new Lane<>(s, s.label, s.unit, s.takes, all, VmImportLine.format(), config, checks.get(s), laneLines, laneBytes,
                        lineInput(new VmImportLine())));
                case VL -> lanes.add(new Lane<>(s, s.label, s.unit, s.takes, all, VlJsonLine.format(), config, checks.get(s), laneLines, laneBytes,
                        lineInput(new VlJsonLine())));
                case TEMPO -> lanes.add(new Lane<>(s, s.label, s.unit, s.takes, all, new OtlpTraceBody(), config, checks.get(s), laneLines,
                        laneBytes, lineInput(new LogSpan.Parser())));
                case OTLP -> {
                    // one lane per signal, each with its own sender and counts (the further lanes probe the endpoints again)
                    lanes.add(new Lane<>(s, "OTLP logs", OtlpHttp.Signal.LOGS.unit, "log lines as log records", logs, OtlpHttp.logs(), config,
                            checks.get(s), laneLines, laneBytes, lineInput(new LogLineRecord.Parser())));
                    lanes.add(new Lane<>(s, "OTLP traces", OtlpHttp.Signal.TRACES.unit, "log lines as spans", logs, OtlpHttp.traces(), config,
                            counterChecks(o, s), laneLines, laneBytes, lineInput(new LogSpan.Parser())));
                    lanes.add(new Lane<>(s, "OTLP metrics", OtlpHttp.Signal.METRICS.unit, "raw metrics as gauges, native as sums and histograms",
                            EnumSet.of(Stream.METRICS, Stream.NATIVE_METRICS, Stream.EXEMPLARS), OtlpHttp.metrics(), config, counterChecks(o, s),
                            laneLines, laneBytes, (sender, stats) -> new OtlpMetricsFeed(sender, stats, runStartMicros * 1000L)));
                }
            }
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

    private static <R> java.util.function.BiFunction<BatchSender<R>, DeliveryStats, LaneInput> lineInput(LineParser<R> parser) {
        return (sender, stats) -> new LineInput<>(parser, sender, stats);
    }

    /** Counter checks of a store's endpoints, read now (which also shows they answer); also for a further lane of it. */
    private static List<CounterCheck> counterChecks(StreamOptions o, Store s) {
        var list = new ArrayList<CounterCheck>();
        for (StoreEndpoint e : o.endpoints(s)) {
            try {
                list.add(CounterCheck.start(e.base(), e.counters(), o.noServerCounters));
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot reach " + s.label + " at " + e.base() + " (" + CounterCheck.why(ex)
                        + "); is it running? Try " + s.flag + ".", ex);
            }
        }
        return list;
    }

    @Override
    public void write(Stream stream, int part, byte[] bytes, int length) {
        if (files != null) files.write(stream, part, bytes, length);
        if (stream == Stream.EXEMPLARS) exemplarBytes += length;
        byte[] copy = null;
        int lines = 0;
        for (Lane<?> lane : lanes) {
            if (!lane.streams.contains(stream) || length == 0) continue;
            String aborted = lane.sender.aborted();
            if (aborted != null) throw new IllegalStateException(lane.label + ": stopped (--fail-fast): " + aborted);
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
                failure = new IllegalStateException(lane.label + ": stream broke: " + lane.failure, lane.failure);
        }
        if (failure != null) throw failure;
    }

    /**
     * Calls {@code listener} with the store and the records of each batch the moment that store acknowledges it, on a
     * sender thread (VictoriaMetrics and VictoriaLogs records are their lines' bytes, Tempo's {@link LogSpan}s, OTLP's its own records): how a
     * benchmark times delivery. Set it before the first {@link #write}.
     */
    void onAcknowledged(java.util.function.BiConsumer<Store, List<?>> listener) {
        for (Lane<?> lane : lanes) lane.onAcknowledged(listener);
    }

    /** The delivery of each store, after {@link #close}; for OTLP its logs (see {@link #laneReports} for all three). */
    Map<Store, DeliveryReport> reports() {
        var out = new LinkedHashMap<Store, DeliveryReport>();
        for (Lane<?> lane : lanes) out.putIfAbsent(lane.store, lane.report());
        return out;
    }

    /** The delivery of each lane by its name ("VictoriaMetrics", "OTLP logs", "OTLP traces", ...), after {@link #close}. */
    Map<String, DeliveryReport> laneReports() {
        var out = new LinkedHashMap<String, DeliveryReport>();
        for (Lane<?> lane : lanes) out.put(lane.label, lane.report());
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

    /**
     * For the end of the first summary line: "to vm 1,234 samples, vl 567 logs, tempo 567 spans, 0 not delivered"
     * (OTLP: "otlp 567 log records, 567 spans, 1,234 data points").
     */
    String headline() {
        var parts = new ArrayList<String>();
        Store previous = null;
        for (Lane<?> lane : lanes) {
            parts.add(String.format(Locale.ROOT, "%s%,d %s", lane.store == previous ? "" : lane.store.key + " ", lane.stats.acknowledged.sum(), lane.unit));
            previous = lane.store;
        }
        return "to " + String.join(", ", parts) + String.format(Locale.ROOT, ", %,d not delivered", notDelivered());
    }

    /** Per store: where it went and its delivery lines; then the exemplars note; problems go to {@code err}. */
    void print(PrintStream out, PrintStream err) {
        for (Lane<?> lane : lanes) {
            int more = lane.sender.routes().size() - 1;
            out.printf(Locale.ROOT, "  %-16s%s%s (%s)%n", lane.label, lane.sender.target(),
                    more > 0 ? " and " + more + " more endpoint(s)" : "", lane.takes);
            if (lane.verdict != null) lane.report().print(out, "    ");
            if (lane.failure != null) out.printf(Locale.ROOT, "    %-14s%s%n", "broke", lane.failure);
        }
        if (exemplarBytes > 0 && lanes.stream().noneMatch(l -> l.streams.contains(Stream.EXEMPLARS)))
            out.printf(Locale.ROOT, "  %-16s%s%n", "exemplars", "not streamed: VictoriaMetrics ignores exemplars"
                    + (files != null ? "; written to native_exemplars.txt" : "; --to files,... writes native_exemplars.txt"));
        for (Lane<?> lane : lanes) {
            if (lane.verdict != null) lane.report().problems(err, "generate-monitoring: " + lane.store.key);
            long nd = lane.verdict == null ? 0 : lane.report().notDelivered();
            if (nd > 0) err.printf(Locale.ROOT, "generate-monitoring: %,d %s not delivered to %s%n", nd, lane.unit,
                    lane.label.equals(lane.store.label) ? lane.store.label : lane.store.label + " (" + lane.sender.target() + ")");
        }
    }

    /** One store's thread, sender and counts. */
    private static final class Lane<R> {
        final Store store;
        final String label, unit, takes;
        final Set<Stream> streams;
        final LaneInput input;
        final DeliveryStats stats = new DeliveryStats();
        final BatchSender<R> sender;
        final boolean gzip;
        final List<CounterCheck> checks;
        final int maxLines;
        final long maxBytes;
        private final ArrayDeque<Piece> queue = new ArrayDeque<>();
        private final Thread thread;
        private long lines, bytes;
        volatile Throwable failure;
        List<CounterCheck.Verdict> verdict;

        /**
         * @param streams which of the generator's streams it takes (of those its store takes)
         * @param input   makes the lane's input from its sender and counts
         */
        Lane(Store store, String label, String unit, String takes, Set<Stream> streams, WireFormat<R> format, BatchSender.Config config,
             List<CounterCheck> checks, int maxLines, long maxBytes, java.util.function.BiFunction<BatchSender<R>, DeliveryStats, LaneInput> input) {
            this.store = store;
            this.label = label;
            this.unit = unit;
            this.takes = takes;
            this.streams = EnumSet.noneOf(Stream.class);
            for (Stream s : streams) if (store.takes(s)) this.streams.add(s);
            this.checks = checks;
            this.maxLines = maxLines;
            this.maxBytes = maxBytes;
            this.sender = new BatchSender<>(format, config, stats, Checkpoint.none());
            this.input = input.apply(sender, stats);
            this.gzip = config.gzip() && format.acceptsGzip();
            this.thread = Thread.ofPlatform().daemon().name("stream-" + label.toLowerCase(Locale.ROOT).replace(' ', '-')).start(this::run);
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
                    if (p == FLUSH) input.flush();
                    else input.piece(p.stream(), p.part(), p.bytes());
                    done(p);
                }
                input.close();
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

        DeliveryReport report() { return new DeliveryReport(unit, stats, sender, gzip, verdict); }
    }
}
