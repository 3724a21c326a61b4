import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code --format otlp}: the generator's output in the OTLP File format, for OpenTelemetry tooling (the Collector's
 * otlpjsonfile receiver replays it). Per part N: {@code logs_N.otlp.jsonl} (every log line, deployment lines too, as
 * a log record: {@link LogLineRecord}), {@code traces_N.otlp.jsonl} (every log line as its span, the mapping
 * export-tempo sends: {@link LogSpan}) and, with raw metrics, {@code metrics_N.otlp.jsonl} (every metric line as a
 * gauge point: {@link MetricLinePoint}). Each line is one export request for one chunk, or for a part of a chunk when
 * the chunk would make a line over {@link #MAX_LINE_BYTES}; records are grouped by resource (release) in first-seen
 * order, spans by trace and start inside it as export-tempo sends them, points by metric name.
 *
 * <p>Native metrics (VictoriaMetrics import lines of counters and histograms) stay {@code native_metrics_N.jsonl}
 * and {@code native_exemplars.txt}, written by {@link MonitoringFiles}, which also clears the directory of every
 * part this run does not write (the JSON-lines parts and earlier OTLP parts alike) before the OTLP files are
 * created.
 *
 * <p>Encoding costs several times what generating costs, so chunks are encoded on {@code threads} threads while the
 * caller goes on; the encoded lines are written in the order the chunks came. Each chunk's lines are a function of its
 * bytes alone, so the files are the same bytes for any thread or worker count. At most {@code threads + 1}
 * chunks wait for encoding or writing at a time.
 */
final class OtlpJsonFiles implements MonitoringSink {
    /** The otlpjsonfile receiver's default {@code max_log_size}: a longer line is split and no longer parses. */
    static final int MAX_LINE_BYTES = 1 << 20;

    /** The three OTLP files of a part. */
    enum Signal {
        LOGS("logs", ExportRequestLines.Signal.LOGS),
        TRACES("traces", ExportRequestLines.Signal.TRACES),
        METRICS("metrics", ExportRequestLines.Signal.METRICS);

        final String prefix;
        final ExportRequestLines.Signal envelope;

        Signal(String prefix, ExportRequestLines.Signal envelope) {
            this.prefix = prefix;
            this.envelope = envelope;
        }
    }

    /**
     * What one part came to, for summary.json: file names (null when not written), request lines, records (log
     * records, spans, data points; native: VictoriaMetrics import lines) and bytes.
     */
    record Part(String logs, String traces, String metrics, String nativeMetrics, long logLines, long traceLines, long metricLines,
                long nativeLines, long logRecords, long spans, long dataPoints, long logBytes, long traceBytes, long metricBytes,
                long nativeBytes) {}

    /** One chunk's encoded lines for one file (each its own array, newline included), with how many records they hold. */
    private record Encoded(Signal signal, List<byte[]> lines, long records) {}

    private final Path dir;
    private final int files, maxLineBytes;
    private final boolean raw, nativeForm;
    private final byte[] scope;
    private final MonitoringFiles nativeFiles;
    private final FileChannel[][] channels = new FileChannel[Signal.values().length][];
    private final long[][] lines = new long[Signal.values().length][], records = new long[Signal.values().length][],
            bytes = new long[Signal.values().length][];
    private final long[] nativeLines, nativeBytes, logLinesIn, metricLinesIn;
    private final ExecutorService pool;
    private final int maxPending;
    private final ArrayDeque<Future<List<Encoded>>> pending = new ArrayDeque<>();
    private final ArrayDeque<Integer> pendingParts = new ArrayDeque<>();
    private final ThreadLocal<OtlpJson> json = ThreadLocal.withInitial(OtlpJson::new);
    /** Per encoding thread and signal, reused chunk after chunk: a line buffer grows to 1 MiB, too big to make per chunk. */
    private final ThreadLocal<Map<Signal, ChunkLines>> chunkLines = ThreadLocal.withInitial(HashMap::new);

    OtlpJsonFiles(Path dir, int files, boolean raw, boolean nativeForm, int threads) {
        this(dir, files, raw, nativeForm, threads, MAX_LINE_BYTES);
    }

    OtlpJsonFiles(Path dir, int files, boolean raw, boolean nativeForm, int threads, int maxLineBytes) {
        this.dir = dir;
        this.files = files;
        this.raw = raw;
        this.nativeForm = nativeForm;
        this.maxLineBytes = maxLineBytes;
        nativeLines = new long[files];
        nativeBytes = new long[files];
        logLinesIn = new long[files];
        metricLinesIn = new long[files];
        scope = new OtlpJson().scope(OtlpTraceBody.SCOPE).copy();
        nativeFiles = new MonitoringFiles(dir, files, nativeForm
                ? EnumSet.of(MonitoringSink.Stream.NATIVE_METRICS, MonitoringSink.Stream.EXEMPLARS)
                : EnumSet.noneOf(MonitoringSink.Stream.class));
        try {
            for (Signal s : Signal.values()) {
                if (s == Signal.METRICS && !raw) continue;
                channels[s.ordinal()] = new FileChannel[files];
                lines[s.ordinal()] = new long[files];
                records[s.ordinal()] = new long[files];
                bytes[s.ordinal()] = new long[files];
                for (int f = 0; f < files; f++)
                    channels[s.ordinal()][f] = FileChannel.open(dir.resolve(name(s, f)), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING);
            }
        } catch (IOException e) {
            closeChannels();
            nativeFiles.close();
            throw new UncheckedIOException(dir + ": cannot write (" + e.getMessage() + ")", e);
        }
        pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "otlp-encode");
            t.setDaemon(true);
            return t;
        });
        maxPending = Math.max(1, threads) + 1;
    }

    static String name(Signal s, int part) { return s.prefix + "_" + part + ".otlp.jsonl"; }

    @Override
    public void write(Stream stream, int part, byte[] bytes, int length) {
        switch (stream) {
            case LOGS, METRICS -> {
                if (length == 0) return;
                byte[] copy = Arrays.copyOf(bytes, length); // the caller reuses its buffer after this call
                long[] in = stream == Stream.LOGS ? logLinesIn : metricLinesIn;
                long first = in[part] + 1;
                for (byte b : copy) if (b == '\n') in[part]++;
                pending.add(pool.submit(() -> stream == Stream.LOGS ? logs(part, copy, first) : metrics(part, copy, first)));
                pendingParts.add(part);
                drain(false);
            }
            case NATIVE_METRICS -> {
                nativeFiles.write(stream, part, bytes, length);
                for (int i = 0; i < length; i++) if (bytes[i] == '\n') nativeLines[part]++;
                nativeBytes[part] += length;
            }
            case EXEMPLARS -> nativeFiles.write(stream, part, bytes, length);
        }
    }

    /** Writes encoded chunks in order: those done, and all when {@code all}; waits while too many are pending. */
    private void drain(boolean all) {
        while (!pending.isEmpty() && (all || pending.size() > maxPending || pending.peek().isDone())) {
            List<Encoded> done;
            try {
                done = pending.peek().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while encoding OTLP", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                throw new IllegalStateException(e.getCause());
            }
            pending.remove();
            int part = pendingParts.remove();
            for (Encoded enc : done) {
                int s = enc.signal().ordinal();
                Path file = dir.resolve(name(enc.signal(), part));
                for (byte[] line : enc.lines()) {
                    try {
                        ByteBuffer bb = ByteBuffer.wrap(line);
                        while (bb.hasRemaining()) channels[s][part].write(bb);
                    } catch (IOException e) {
                        throw new UncheckedIOException(file + ": cannot write (" + e.getMessage() + ")", e);
                    }
                    bytes[s][part] += line.length;
                }
                lines[s][part] += enc.lines().size();
                records[s][part] += enc.records();
            }
        }
    }

    /** Where one chunk's lines of one file collect, on one encoding thread. */
    private final class ChunkLines {
        final Signal signal;
        final ExportRequestLines out;
        List<byte[]> lines = new ArrayList<>();
        long recordsBefore;

        ChunkLines(Signal signal) {
            this.signal = signal;
            out = new ExportRequestLines(signal.envelope, scope, maxLineBytes, (b, n) -> lines.add(Arrays.copyOf(b, n)));
        }

        Encoded done() {
            out.end();
            var enc = new Encoded(signal, lines, out.records() - recordsBefore);
            lines = new ArrayList<>();
            recordsBefore = out.records();
            return enc;
        }
    }

    private ChunkLines chunkLines(Signal s) {
        return chunkLines.get().computeIfAbsent(s, ChunkLines::new);
    }

    /** One chunk's log lines: its log records, then its spans. {@code first} is the number of its first line in the part. */
    /** The chunk's JSON lines, numbered from {@code first} as lines of {@code target}. */
    private static List<JsonLinesReader.Line> lines(Path target, long first, byte[] bytes) {
        var out = new ArrayList<JsonLinesReader.Line>();
        for (int start = 0; start < bytes.length; ) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') end++;
            out.add(new JsonLinesReader.Line(target, first + out.size(), new String(bytes, start, end - start, StandardCharsets.UTF_8)));
            start = end + 1;
        }
        return out;
    }

    private List<Encoded> logs(int part, byte[] bytes, long first) {
        var records = new ArrayList<LogLineRecord>();
        var spans = new ArrayList<LogSpan>();
        var recordParser = new LogLineRecord.Parser();
        var spanParser = new LogSpan.Parser();
        Path target = dir.resolve(name(Signal.LOGS, part)); // where a bad line would have gone
        try {
            for (var line : lines(target, first, bytes)) {
                var n = line.json();
                records.add(recordParser.parse(line, n));
                spans.add(spanParser.parse(line, n));
            }
        } catch (JsonLinesReader.BadLineException e) {
            throw new IllegalStateException("generated log line has no OTLP form: " + e.getMessage(), e);
        }
        OtlpJson json = this.json.get();
        var resources = new HashMap<String, byte[]>(); // one chunk's releases at a time: a year has tens of thousands

        var logs = chunkLines(Signal.LOGS);
        var byResource = new LinkedHashMap<String, List<LogLineRecord>>();
        for (LogLineRecord r : records) byResource.computeIfAbsent(r.resourceKey(), k -> new ArrayList<>()).add(r);
        for (var group : byResource.values()) {
            logs.out.resource(resources.computeIfAbsent(group.get(0).resourceKey(), k -> json.resource(group.get(0).resource()).copy()));
            for (LogLineRecord r : group) {
                json.logRecord(r.record());
                logs.out.record(json.bytes, json.length);
            }
        }

        var traces = chunkLines(Signal.TRACES);
        var spansByResource = new LinkedHashMap<String, List<LogSpan>>();
        for (LogSpan s : spans) spansByResource.computeIfAbsent(s.resourceKey(), k -> new ArrayList<>()).add(s);
        for (var group : spansByResource.values()) {
            traces.out.resource(resources.computeIfAbsent(group.get(0).resourceKey(), k -> json.resource(group.get(0).resource()).copy()));
            var list = new ArrayList<Span>(group.size());
            for (LogSpan s : group) list.add(s.span());
            list.sort(OtlpTraceBody.BY_TRACE_THEN_START);
            for (Span s : list) {
                json.span(s);
                traces.out.record(json.bytes, json.length);
            }
        }
        return List.of(logs.done(), traces.done());
    }

    /** One chunk's raw metric lines as gauge points, per resource and metric name. */
    private List<Encoded> metrics(int part, byte[] bytes, long first) {
        var parser = new MetricLinePoint.Parser();
        var byResource = new LinkedHashMap<String, Map<String, List<NumberDataPoint>>>();
        var resourceOf = new HashMap<String, Resource>();
        Path target = dir.resolve(name(Signal.METRICS, part));
        try {
            for (var line : lines(target, first, bytes)) {
                MetricLinePoint m = parser.parse(line);
                resourceOf.putIfAbsent(m.resourceKey(), m.resource());
                byResource.computeIfAbsent(m.resourceKey(), k -> new LinkedHashMap<>()).computeIfAbsent(m.name(), k -> new ArrayList<>())
                        .add(m.point());
            }
        } catch (JsonLinesReader.BadLineException e) {
            throw new IllegalStateException("generated metric line has no OTLP form: " + e.getMessage(), e);
        }
        OtlpJson json = this.json.get();
        var metrics = chunkLines(Signal.METRICS);
        for (var r : byResource.entrySet()) {
            metrics.out.resource(json.resource(resourceOf.get(r.getKey())).copy());
            for (var m : r.getValue().entrySet()) {
                metrics.out.gauge(json.string(m.getKey()).copy(), json.string(MetricLinePoint.unit(m.getKey())).copy());
                for (NumberDataPoint p : m.getValue()) {
                    json.dataPoint(p);
                    metrics.out.record(json.bytes, json.length);
                }
            }
        }
        return List.of(metrics.done());
    }

    /** Lines, records and bytes of every part so far (all of them once closed). */
    List<Part> parts() {
        int l = Signal.LOGS.ordinal(), t = Signal.TRACES.ordinal(), m = Signal.METRICS.ordinal();
        var list = new ArrayList<Part>();
        for (int f = 0; f < files; f++)
            list.add(new Part(name(Signal.LOGS, f), name(Signal.TRACES, f), raw ? name(Signal.METRICS, f) : null,
                    nativeForm ? MonitoringFiles.name(Stream.NATIVE_METRICS, f) : null,
                    lines[l][f], lines[t][f], raw ? lines[m][f] : 0, nativeLines[f],
                    records[l][f], records[t][f], raw ? records[m][f] : 0,
                    bytes[l][f], bytes[t][f], raw ? bytes[m][f] : 0, nativeBytes[f]));
        return list;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            drain(true);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            pool.shutdownNow();
        }
        try {
            closeChannels();
        } catch (UncheckedIOException e) {
            if (failure == null) failure = e;
        }
        try {
            nativeFiles.close();
        } catch (RuntimeException e) {
            if (failure == null) failure = e;
        }
        if (failure != null) throw failure;
    }

    private void closeChannels() {
        IOException first = null;
        for (FileChannel[] chs : channels) {
            if (chs == null) continue;
            for (FileChannel ch : chs) {
                if (ch == null) continue;
                try {
                    ch.close();
                } catch (IOException e) {
                    if (first == null) first = e;
                }
            }
        }
        Arrays.fill(channels, null);
        if (first != null) throw new UncheckedIOException(dir + ": cannot finish writing (" + first.getMessage() + ")", first);
    }
}
