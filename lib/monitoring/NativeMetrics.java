import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Native metrics: the counters and histograms the platform's services would expose to a Prometheus scrape every
 * {@code --scrape-interval}, counted from the requests in time order (chunks arrive in time order; a chunk's
 * child spans that run past the next chunk's start wait in a carry until their turn).
 *
 * <p>A series has a sample at the end of every scrape interval in which it changed. Where its previous sample is
 * older than the start of that interval, the unchanged value is written again at the start (0 for a new series), so
 * {@code increase()} and {@code rate()} find the value right before every change instead of guessing across a gap.
 * Counters never go down over the whole run. Lines are VictoriaMetrics {@code /api/v1/import} lines with many
 * samples each ({@code samplesPerLine}, fewer when the buffered samples reach {@code bufferedSamples}); slow and
 * failed requests leave exemplars (their trace id) in an OpenMetrics text stream.
 *
 * <p>A shard's series carry {@code instance="shard-K-of-N"}: each shard counts its own requests over the whole window,
 * like one of several scrape targets, so {@code sum without (instance)} over the shards is the unsharded value at every
 * sample time. The whole run has no {@code instance} label (the bytes stay those of an unsharded run).
 */
final class NativeMetrics {
    /** Latency buckets in hundredths of a millisecond (the generator's unit): 0.005 s .. 10 s, then +Inf. */
    static final long[] DURATION_LE = {500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000};
    static final String[] DURATION_LE_TEXT = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"};
    /** Payload buckets in bytes: 64 B .. 1 MiB by 4x, then +Inf. */
    static final long[] SIZE_LE = {64, 256, 1_024, 4_096, 16_384, 65_536, 262_144, 1_048_576};
    static final String[] SIZE_LE_TEXT = {"64", "256", "1024", "4096", "16384", "65536", "262144", "1048576", "+Inf"};

    private enum Kind { REQUESTS, ERRORS, DB, CACHE, SIZES }

    private record Key(Kind kind, int service, int action, boolean child, boolean success, String errorType, NativeLabels.Deployment dep) {}

    /** One metric series of a group: its name, its extra label and which value it reports. */
    private record Metric(String name, String label, String labelValue, int value, boolean micro) {}

    private static final List<Metric> REQUEST_METRICS = new ArrayList<>(), SIZE_METRICS = new ArrayList<>();
    private static final List<Metric> ERROR_METRICS = List.of(new Metric("errors_total", null, null, 0, false));
    private static final List<Metric> DB_METRICS = List.of(new Metric("db_queries_total", null, null, 0, false));
    private static final List<Metric> CACHE_METRICS = List.of(new Metric("cache_requests_total", "result", "hit", 0, false),
            new Metric("cache_requests_total", "result", "miss", 1, false));

    static {
        // values: [0] count, [1..12] cumulative buckets, [13] sum in 1/100 ms
        REQUEST_METRICS.add(new Metric("requests_total", null, null, 0, false));
        for (int b = 0; b < DURATION_LE_TEXT.length; b++)
            REQUEST_METRICS.add(new Metric("request_duration_seconds_bucket", "le", DURATION_LE_TEXT[b], 1 + b, false));
        REQUEST_METRICS.add(new Metric("request_duration_seconds_sum", null, null, 13, true));
        REQUEST_METRICS.add(new Metric("request_duration_seconds_count", null, null, 0, false));
        // values: request [0..8] buckets, [9] sum, [10] count; response the same at +11
        for (String family : new String[] {"request_size_bytes", "response_size_bytes"}) {
            int base = family.startsWith("request") ? 0 : 11;
            for (int b = 0; b < SIZE_LE_TEXT.length; b++) SIZE_METRICS.add(new Metric(family + "_bucket", "le", SIZE_LE_TEXT[b], base + b, false));
            SIZE_METRICS.add(new Metric(family + "_sum", null, null, base + 9, false));
            SIZE_METRICS.add(new Metric(family + "_count", null, null, base + 10, false));
        }
    }

    private static final class Group {
        final int id;
        final Kind kind;
        final List<Metric> metrics;
        final byte[][] heads;        // per metric: {"metric":{...},"values":[
        final String promLabels;     // service="x",stack="y",... for the exemplar stream
        final long[] values;
        long interval = Long.MIN_VALUE, lastMs = Long.MIN_VALUE;
        boolean dirty;
        long[] times = new long[8];
        long[][] samples;            // [value index][sample]
        int buffered;
        // the exemplar of the open interval, and exemplar points waiting for the next flush
        boolean exemplar;
        long exHi, exLo, exCents, exMicros;
        List<long[]> exemplarPoints; // {ts ms, hi, lo, cents, micros, values...}
        // the latest exemplar, for a scrape of the live endpoint
        boolean seen;
        long lastHi, lastLo, lastCents, lastMicros;

        Group(int id, Kind kind, List<Metric> metrics, byte[][] heads, String promLabels, int values) {
            this.id = id;
            this.kind = kind;
            this.metrics = metrics;
            this.heads = heads;
            this.promLabels = promLabels;
            this.values = new long[values];
            this.samples = new long[values][8];
        }
    }

    private final GenerationPlan plan;
    private final long intervalMs;
    private final int samplesPerLine, files;
    private final long bufferedLimit;
    private final byte[] instanceJson;  // ,"instance":"shard-K-of-N" or empty
    private final String instanceProm;  // ,instance="shard-K-of-N" or empty
    private final MonitoringSink sink;
    private final GroupTable groups = new GroupTable();
    private final HashMap<String, Integer> errorTypes = new HashMap<>();
    private final List<Group> order = new ArrayList<>();
    private final JsonLineBuffer line = new JsonLineBuffer(1 << 16), times = new JsonLineBuffer(1 << 16);
    private final JsonLineBuffer exemplars = new JsonLineBuffer(1 << 16);
    private ChunkRequests carry = new ChunkRequests(), spare = new ChunkRequests();
    private long buffered, samples, lines, exemplarPoints, bytes;
    private long lastCounted = Long.MIN_VALUE;
    private final long[] linesPerFile;
    private final long[] bytesPerFile;

    NativeMetrics(GenerationPlan plan, MonitoringSink sink, int samplesPerLine, long bufferedLimit) {
        this.plan = plan;
        this.intervalMs = plan.cfg.scrapeMillis();
        this.files = plan.cfg.files();
        this.samplesPerLine = samplesPerLine;
        this.bufferedLimit = bufferedLimit;
        this.sink = sink;
        Shard shard = plan.cfg.shard();
        this.instanceJson = JsonLineBuffer.bytes(shard.whole() ? "" : ",\"instance\":\"" + shard.instance() + "\"");
        this.instanceProm = shard.whole() ? "" : ",instance=\"" + shard.instance() + "\"";
        if (plan.serviceKeys.length >= 1 << 10 || plan.actions.length >= (1 << 14) - 1)
            throw new IllegalArgumentException("native metrics count at most 1023 services and 16382 actions; the model has "
                    + plan.serviceKeys.length + " and " + plan.actions.length);
        this.linesPerFile = new long[files];
        this.bytesPerFile = new long[files];
        exemplars.ascii("# TYPE request_duration_seconds histogram\n# UNIT request_duration_seconds seconds\n"
                + "# HELP request_duration_seconds Latency of requests and child spans, with the trace id of slow and failed ones as exemplars.\n");
    }

    /**
     * Counts a chunk's requests. Every request of a later chunk is at or after {@code horizonMicros} (the next slice's
     * start), so this chunk's requests before it are counted now and the rest are carried.
     */
    void add(ChunkRequests r, long horizonMicros) {
        ChunkRequests c = carry, next = spare;
        next.clear();
        int i = 0, j = 0;
        while (i < c.size || j < r.size) {
            boolean fromCarry = j >= r.size || (i < c.size && c.time[i] <= r.time[r.order[j]]);
            ChunkRequests src = fromCarry ? c : r;
            int at = fromCarry ? i++ : r.order[j++];
            if (src.time[at] < horizonMicros) count(src, at);
            else next.copy(src, at);
        }
        spare = c;
        carry = next;
    }

    /** Counts what is still carried, closes every series' last interval and writes all buffered samples. */
    void finish() {
        for (int i = 0; i < carry.size; i++) count(carry, i);
        carry.clear();
        for (Group g : order) if (g.dirty) emit(g, (g.interval + 1) * intervalMs);
        for (Group g : order) flush(g);
        exemplars.ascii("# EOF\n");
        sink.write(MonitoringSink.Stream.EXEMPLARS, 0, exemplars.bytes, exemplars.length);
        exemplars.clear();
    }

    private void count(ChunkRequests r, int i) {
        if (r.time[i] > lastCounted) lastCounted = r.time[i];
        long k = Math.floorDiv(Math.floorDiv(r.time[i], 1000), intervalMs);
        int svc = r.service[i], act = r.action[i];
        boolean child = r.child[i];
        NativeLabels.Deployment dep = r.deployment[i];

        Group g = group(Kind.REQUESTS, svc, act, child, r.success[i], null, dep, k);
        long cents = r.cents[i];
        g.values[0]++;
        for (int b = 0; b < DURATION_LE.length; b++) if (cents <= DURATION_LE[b]) g.values[1 + b]++;
        g.values[12]++;
        g.values[13] += cents;
        if (r.exemplar[i] && !g.exemplar) {
            g.exemplar = true;
            g.exHi = r.traceHi[i];
            g.exLo = r.traceLo[i];
            g.exCents = cents;
            g.exMicros = r.time[i];
        }
        if (r.exemplar[i]) {
            g.seen = true;
            g.lastHi = r.traceHi[i];
            g.lastLo = r.traceLo[i];
            g.lastCents = cents;
            g.lastMicros = r.time[i];
        }
        if (r.errorType[i] != null) group(Kind.ERRORS, svc, act, child, false, r.errorType[i], dep, k).values[0]++;
        group(Kind.DB, svc, act, child, false, null, dep, k).values[0] += r.dbQueries[i];
        if (r.cache[i] >= 0) group(Kind.CACHE, svc, act, child, false, null, dep, k).values[r.cache[i] == 1 ? 0 : 1]++;
        Group s = group(Kind.SIZES, svc, -1, false, false, null, dep, k);
        size(s.values, 0, r.requestBytes[i]);
        size(s.values, 11, r.responseBytes[i]);
    }

    private static void size(long[] v, int base, long bytes) {
        for (int b = 0; b < SIZE_LE.length; b++) if (bytes <= SIZE_LE[b]) v[base + b]++;
        v[base + 8]++;
        v[base + 9] += bytes;
        v[base + 10]++;
    }

    /** The group of a key, moved to interval {@code k}: the last interval's sample written, the value restated if needed. */
    private Group group(Kind kind, int svc, int act, boolean child, boolean success, String errorType, NativeLabels.Deployment dep, long k) {
        int err = 0;
        if (errorType != null) {
            Integer e = errorTypes.get(errorType);
            if (e == null) {
                if (errorTypes.size() >= 63) throw new IllegalStateException("more than 63 error types in the model");
                errorTypes.put(errorType, e = errorTypes.size() + 1);
            }
            err = e;
        }
        // one long per group: kind, error type, success, child, action, service, deployment number
        long code = (long) (kind.ordinal() + 1) << 56 | (long) err << 50 | (success ? 1L << 49 : 0) | (child ? 1L << 48 : 0)
                | (long) (act + 1) << 34 | (long) svc << 24 | dep.number();
        if (dep.number() >= 1 << 24) throw new IllegalStateException("more than 16M deployments");
        Group g = groups.get(code);
        if (g == null) {
            g = create(new Key(kind, svc, act, child, success, errorType, dep));
            groups.put(code, g);
            order.add(g);
        }
        if (g.interval != k) {
            if (g.dirty) emit(g, (g.interval + 1) * intervalMs);
            long startMs = k * intervalMs;
            if (g.lastMs < startMs) emit(g, startMs);
            g.interval = k;
        }
        g.dirty = true;
        return g;
    }

    private Group create(Key key) {
        var labels = new LinkedHashMap<String, String>();
        labels.put("service", plan.serviceNames[key.service()]);
        labels.put("stack", plan.serviceStacks[key.service()]);
        if (key.kind() != Kind.SIZES) labels.put("action", (key.child() ? "handle_" : "") + plan.actions[key.action()].action());
        if (key.kind() == Kind.REQUESTS) labels.put("success", String.valueOf(key.success()));
        if (key.kind() == Kind.ERRORS) labels.put("error_type", key.errorType());
        List<Metric> metrics = switch (key.kind()) {
            case REQUESTS -> REQUEST_METRICS;
            case ERRORS -> ERROR_METRICS;
            case DB -> DB_METRICS;
            case CACHE -> CACHE_METRICS;
            case SIZES -> SIZE_METRICS;
        };
        int values = switch (key.kind()) {
            case REQUESTS -> 14;
            case ERRORS, DB -> 1;
            case CACHE -> 2;
            case SIZES -> 22;
        };
        byte[][] heads = new byte[metrics.size()][];
        for (int m = 0; m < heads.length; m++) {
            Metric mt = metrics.get(m);
            var b = new JsonLineBuffer(512);
            b.ascii("{\"metric\":{\"__name__\":\"").ascii(mt.name()).put('"');
            for (var e : labels.entrySet()) b.ascii(",\"").ascii(e.getKey()).ascii("\":\"").put(JsonLineBuffer.escaped(e.getValue())).put('"');
            if (mt.label() != null) b.ascii(",\"").ascii(mt.label()).ascii("\":\"").ascii(mt.labelValue()).put('"');
            b.put(key.dep().json()).put(instanceJson).ascii("},\"values\":[");
            heads[m] = java.util.Arrays.copyOf(b.bytes, b.length);
        }
        String prom;
        {
            var sb = new StringBuilder();
            for (var e : labels.entrySet()) sb.append(sb.isEmpty() ? "" : ",").append(e.getKey()).append("=\"").append(promEscape(e.getValue())).append('"');
            String dep = new String(key.dep().json(), java.nio.charset.StandardCharsets.UTF_8);
            for (String pair : dep.substring(1).split(",\"")) { // "k":"v" pairs of the deployment fragment
                String p = pair.startsWith("\"") ? pair.substring(1) : pair;
                int colon = p.indexOf("\":\"");
                sb.append(',').append(p, 0, colon).append("=\"").append(p, colon + 3, p.length() - 1).append('"');
            }
            prom = sb.append(instanceProm).toString();
        }
        return new Group(order.size(), key.kind(), metrics, heads, prom, values);
    }

    /** Groups by their packed key: open addressing on a long array, so a lookup allocates nothing. */
    private static final class GroupTable {
        private long[] keys = new long[1 << 12];
        private Group[] groups = new Group[1 << 12];
        private int size;

        Group get(long key) {
            int mask = keys.length - 1;
            for (int i = Long.hashCode(key * 0x9E3779B97F4A7C15L) & mask; ; i = (i + 1) & mask) {
                if (keys[i] == key) return groups[i];
                if (keys[i] == 0) return null;
            }
        }

        void put(long key, Group g) {
            if ((size + 1) * 2 > keys.length) grow();
            int mask = keys.length - 1;
            int i = Long.hashCode(key * 0x9E3779B97F4A7C15L) & mask;
            while (keys[i] != 0) i = (i + 1) & mask;
            keys[i] = key;
            groups[i] = g;
            size++;
        }

        private void grow() {
            long[] oldKeys = keys;
            Group[] oldGroups = groups;
            keys = new long[oldKeys.length * 2];
            groups = new Group[oldKeys.length * 2];
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) if (oldKeys[i] != 0) put(oldKeys[i], oldGroups[i]);
        }
    }

    private static String promEscape(String v) { return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"); }

    /** Appends the group's current values as a sample at {@code ms}. */
    private void emit(Group g, long ms) {
        if (g.buffered == g.times.length) {
            int n = g.times.length * 2;
            g.times = java.util.Arrays.copyOf(g.times, n);
            for (int v = 0; v < g.samples.length; v++) g.samples[v] = java.util.Arrays.copyOf(g.samples[v], n);
        }
        g.times[g.buffered] = ms;
        for (int v = 0; v < g.values.length; v++) g.samples[v][g.buffered] = g.values[v];
        g.buffered++;
        g.lastMs = ms;
        if (g.exemplar && g.dirty && ms == (g.interval + 1) * intervalMs) {
            if (g.exemplarPoints == null) g.exemplarPoints = new ArrayList<>();
            long[] p = new long[5 + g.values.length];
            p[0] = ms;
            p[1] = g.exHi;
            p[2] = g.exLo;
            p[3] = g.exCents;
            p[4] = g.exMicros;
            System.arraycopy(g.values, 0, p, 5, g.values.length);
            g.exemplarPoints.add(p);
            g.exemplar = false;
        }
        g.dirty = false;
        buffered += g.metrics.size();
        if (g.buffered >= samplesPerLine) flush(g);
        else if (buffered >= bufferedLimit) for (Group o : order) flush(o);
    }

    /** Writes one line per metric of the group with its buffered samples, and its exemplar points. */
    private void flush(Group g) {
        if (g.buffered == 0) return;
        int file = g.id % files;
        times.clear(); // the same timestamps close every line of the group: format them once
        times.ascii("],\"timestamps\":[").numbers(g.times, g.buffered).ascii("]}\n");
        line.clear();
        for (int m = 0; m < g.metrics.size(); m++) {
            Metric mt = g.metrics.get(m);
            long[] vs = g.samples[mt.value()];
            line.put(g.heads[m]);
            if (mt.micro()) {
                for (int s = 0; s < g.buffered; s++) {
                    if (s > 0) line.put(',');
                    line.decimal(vs[s], 5);
                }
            } else {
                line.numbers(vs, g.buffered);
            }
            line.put(times);
        }
        sink.write(MonitoringSink.Stream.NATIVE_METRICS, file, line.bytes, line.length);
        bytes += line.length;
        bytesPerFile[file] += line.length;
        linesPerFile[file] += g.metrics.size();
        lines += g.metrics.size();
        samples += (long) g.buffered * g.metrics.size();
        buffered -= (long) g.buffered * g.metrics.size();
        g.buffered = 0;
        if (g.exemplarPoints != null && !g.exemplarPoints.isEmpty()) {
            for (long[] p : g.exemplarPoints) exemplarPoint(g, p);
            g.exemplarPoints.clear();
            sink.write(MonitoringSink.Stream.EXEMPLARS, 0, exemplars.bytes, exemplars.length);
            exemplars.clear();
        }
    }

    /** One histogram point in OpenMetrics text, the exemplar on the first bucket that holds its latency. */
    private void exemplarPoint(Group g, long[] p) {
        long ms = p[0];
        int bucket = DURATION_LE.length;
        for (int b = 0; b < DURATION_LE.length; b++) if (p[3] <= DURATION_LE[b]) { bucket = b; break; }
        for (int b = 0; b < DURATION_LE_TEXT.length; b++) {
            exemplars.ascii("request_duration_seconds_bucket{").ascii(g.promLabels).ascii(",le=\"").ascii(DURATION_LE_TEXT[b]).ascii("\"} ")
                    .number(p[5 + 1 + b]).put(' ').decimal(ms, 3);
            if (b == bucket) {
                exemplars.ascii(" # {trace_id=\"").hex(p[1], 16).hex(p[2], 16).ascii("\"} ").decimal(p[3], 5).put(' ').decimal(p[4], 6);
            }
            exemplars.put('\n');
        }
        exemplars.ascii("request_duration_seconds_sum{").ascii(g.promLabels).ascii("} ").decimal(p[5 + 13], 5).put(' ').decimal(ms, 3).put('\n');
        exemplars.ascii("request_duration_seconds_count{").ascii(g.promLabels).ascii("} ").number(p[5]).put(' ').decimal(ms, 3).put('\n');
        exemplarPoints++;
    }

    // ---- live mode ----

    /**
     * A scrape at {@code boundaryMs} (a multiple of the interval, every request before it counted): every series that
     * changed in an interval ending by then writes its sample, and everything buffered goes to the sink.
     */
    void scrape(long boundaryMs) {
        for (Group g : order) if (g.dirty && (g.interval + 1) * intervalMs <= boundaryMs) emit(g, (g.interval + 1) * intervalMs);
        for (Group g : order) flush(g);
    }

    /** The time of the latest request counted (epoch microseconds), Long.MIN_VALUE before the first. */
    long lastCountedMicros() { return lastCounted; }

    /** Metric families of a scrape, in the order served: name, type, help, the group kind and its metrics' range. */
    private record Family(String name, String type, String help, Kind kind, int from, int to) {}

    private static final List<Family> FAMILIES = List.of(
            new Family("requests", "counter", "Requests and child spans served.", Kind.REQUESTS, 0, 1),
            new Family("request_duration_seconds", "histogram", "Latency of requests and child spans.", Kind.REQUESTS, 1, 15),
            new Family("errors", "counter", "Failed requests and child spans by error type.", Kind.ERRORS, 0, 1),
            new Family("db_queries", "counter", "Database queries made.", Kind.DB, 0, 1),
            new Family("cache_requests", "counter", "Cache lookups by result.", Kind.CACHE, 0, 2),
            new Family("request_size_bytes", "histogram", "Request payload sizes.", Kind.SIZES, 0, 11),
            new Family("response_size_bytes", "histogram", "Response payload sizes.", Kind.SIZES, 11, 22));

    /**
     * The current values of every series as the services would expose them to a scrape: OpenMetrics text (with the
     * latest trace id of a slow or failed request as an exemplar on its latency bucket, and {@code # EOF}) or, for
     * scrapers that do not ask for it, the Prometheus text format 0.0.4. Each sample carries {@code timestampMs}, the
     * moment up to which its requests are counted.
     */
    void expose(JsonLineBuffer out, boolean openMetrics, long timestampMs) {
        for (Family f : FAMILIES) {
            String typeName = openMetrics || !f.type().equals("counter") ? f.name() : f.name() + "_total";
            out.ascii("# HELP ").ascii(typeName).put(' ').ascii(f.help()).put('\n');
            out.ascii("# TYPE ").ascii(typeName).put(' ').ascii(f.type()).put('\n');
            if (f.name().endsWith("_seconds")) out.ascii(openMetrics ? "# UNIT " + f.name() + " seconds\n" : "");
            for (Group g : order) {
                if (g.kind != f.kind()) continue;
                int bucket = -1;
                if (openMetrics && g.seen && f.from() == 1) {
                    bucket = DURATION_LE.length;
                    for (int b = 0; b < DURATION_LE.length; b++) if (g.lastCents <= DURATION_LE[b]) { bucket = b; break; }
                }
                for (int m = f.from(); m < f.to(); m++) {
                    Metric mt = g.metrics.get(m);
                    out.ascii(mt.name()).put('{').ascii(g.promLabels);
                    if (mt.label() != null) out.ascii(",").ascii(mt.label()).ascii("=\"").ascii(mt.labelValue()).put('"');
                    out.ascii("} ");
                    if (mt.micro()) out.decimal(g.values[mt.value()], 5);
                    else out.number(g.values[mt.value()]);
                    out.put(' ');
                    if (openMetrics) out.decimal(timestampMs, 3);
                    else out.number(timestampMs);
                    if (bucket >= 0 && m == 1 + bucket)
                        out.ascii(" # {trace_id=\"").hex(g.lastHi, 16).hex(g.lastLo, 16).ascii("\"} ").decimal(g.lastCents, 5)
                                .put(' ').decimal(g.lastMicros, 6);
                    out.put('\n');
                }
            }
        }
        if (openMetrics) out.ascii("# EOF\n");
    }

    /** Series per metric name, in a fixed order. */
    Map<String, Long> seriesByMetric() {
        var out = new LinkedHashMap<String, Long>();
        for (Group g : order)
            for (Metric m : g.metrics) out.merge(m.name(), 1L, Long::sum);
        return out;
    }

    long series() { return seriesByMetric().values().stream().mapToLong(Long::longValue).sum(); }

    long samples() { return samples; }

    long lines() { return lines; }

    long bytes() { return bytes; }

    long exemplarPoints() { return exemplarPoints; }

    long linesOfFile(int f) { return linesPerFile[f]; }

    long bytesOfFile(int f) { return bytesPerFile[f]; }
}
