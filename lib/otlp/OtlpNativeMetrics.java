import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The native counters and histograms (VictoriaMetrics import lines, as {@link NativeMetrics} writes them, and the
 * OpenMetrics exemplars of {@code native_exemplars.txt}) as OTLP metrics, one series' line(s) at a time:
 * <ul>
 * <li>{@code *_total} lines: a cumulative monotonic sum, one point per sample, integer values;
 * <li>{@code <family>_bucket} lines (one per {@code le}), then {@code <family>_sum} and {@code <family>_count}: one
 * cumulative histogram named {@code <family>}, explicit bounds from the {@code le} values (+Inf is the last bucket),
 * per point its bucket counts (no longer cumulative), sum and count; it is complete at its {@code _count} line;
 * <li>any other line: a gauge;
 * <li>every point: {@code start_time_unix_nano} = the run start (the counters count from it), {@code time_unix_nano}
 * = the sample time;
 * <li>an exemplar line ({@code ... # {trace_id="..."} value time}) goes on the histogram point of the same series
 * and time as an OTLP exemplar with that trace id, value and time (the native exemplars name no span);
 * <li>resource: the deployment the series counts, as the kit's OTLP resources are built from a release
 * ({@link LogSpan#resource}) but without what only a release has: {@code service.name} = application:stack:service,
 * {@code service.namespace} = application:stack, {@code deployment.environment.name}, the series' deployment labels
 * (the release tags but {@code release}, and {@code deployment_id}) and, for a shard, {@code service.instance.id} =
 * its {@code instance}; the other labels (action, success, error_type, result) are the point's attributes.
 * </ul>
 * Units: {@code s} for {@code *_seconds}, {@code By} for {@code *_bytes}, else {@code 1}. One instance per part
 * (an open histogram belongs to the part its lines come in).
 */
final class OtlpNativeMetrics {
    /** Labels of the deployment, in the order of {@link ReleaseId#tags()}: they go on the resource. */
    static final List<String> RESOURCE_LABELS;

    static {
        var l = new ArrayList<String>(ReleaseId.PART_NAMES);
        l.remove("release");
        l.add("deployment_id");
        RESOURCE_LABELS = List.copyOf(l);
    }

    private static final Set<String> RESOURCE_SET = Set.copyOf(RESOURCE_LABELS);
    private static final HexFormat HEX = HexFormat.of();

    /** One series' metric (its points all there), open to exemplars until {@link #done}. */
    static final class Series {
        final String resourceKey;
        final Resource resource;
        final Metric.Builder metric;
        final long points;
        /** family + all labels but le, sorted: how an exemplar line finds its histogram. */
        final String match;
        final long[] timesMs;

        Series(String resourceKey, Resource resource, Metric.Builder metric, long points, String match, long[] timesMs) {
            this.resourceKey = resourceKey;
            this.resource = resource;
            this.metric = metric;
            this.points = points;
            this.match = match;
            this.timesMs = timesMs;
        }

        OtlpMetric done() { return new OtlpMetric(resourceKey, resource, metric.build(), points); }
    }

    /** A histogram whose _bucket and _sum lines came, waiting for its _count line. */
    private static final class Open {
        final JsonLinesReader.Line first;
        final long[] timesMs;
        final List<Double> bounds = new ArrayList<>();
        final List<long[]> cumulative = new ArrayList<>();
        long[] infinite;
        double[] sum;

        Open(JsonLinesReader.Line first, long[] timesMs) {
            this.first = first;
            this.timesMs = timesMs;
        }
    }

    private final long startNanos;
    private final Map<String, Resource> resources = new HashMap<>();
    private final LinkedHashMap<String, Open> open = new LinkedHashMap<>();

    /** @param startNanos the run start, the start of every cumulative point (0: unknown, left unset) */
    OtlpNativeMetrics(long startNanos) { this.startNanos = startNanos; }

    /** One import line: the series it completes (a counter at once, a histogram at its _count line), or null. */
    Series line(JsonLinesReader.Line line) throws JsonLinesReader.BadLineException {
        JsonNode n = line.json();
        JsonNode m = n.get("metric"), vs = n.get("values"), ts = n.get("timestamps");
        if (m == null || !m.isObject()) throw new JsonLinesReader.BadLineException(line, "no \"metric\" object");
        if (vs == null || !vs.isArray() || ts == null || !ts.isArray() || vs.size() != ts.size() || vs.isEmpty())
            throw new JsonLinesReader.BadLineException(line, "\"values\" and \"timestamps\" are not arrays of one length > 0");
        var labels = new LinkedHashMap<String, String>();
        for (var e : m.properties()) {
            if (!e.getValue().isTextual()) throw new JsonLinesReader.BadLineException(line, "label \"" + e.getKey() + "\" is not a string");
            labels.put(e.getKey(), e.getValue().textValue());
        }
        String name = labels.remove("__name__");
        if (name == null || name.isEmpty()) throw new JsonLinesReader.BadLineException(line, "no __name__");
        long[] times = new long[ts.size()];
        for (int i = 0; i < times.length; i++) {
            if (!ts.get(i).canConvertToLong()) throw new JsonLinesReader.BadLineException(line, "timestamp " + ts.get(i) + " is not milliseconds");
            times[i] = ts.get(i).longValue();
            if (i > 0 && times[i] <= times[i - 1]) throw new JsonLinesReader.BadLineException(line, "timestamps do not ascend");
        }
        String le = labels.remove("le");
        String family = name.endsWith("_bucket") && le != null ? cut(name, "_bucket") : name.endsWith("_sum") ? cut(name, "_sum")
                : name.endsWith("_count") ? cut(name, "_count") : null;
        String key = family + "\u0000" + new TreeMap<>(labels);
        if (le != null && family != null && name.endsWith("_bucket")) {
            Open h = open.get(key);
            if (h == null) open.put(key, h = new Open(line, times));
            else if (!Arrays.equals(h.timesMs, times)) throw new JsonLinesReader.BadLineException(line, "bucket times differ from the first bucket's");
            long[] cum = integers(line, vs);
            if (le.equals("+Inf")) h.infinite = cum;
            else {
                double bound;
                try {
                    bound = Double.parseDouble(le);
                } catch (NumberFormatException e) {
                    throw new JsonLinesReader.BadLineException(line, "le \"" + le + "\" is not a number");
                }
                if (h.infinite != null || !h.bounds.isEmpty() && bound <= h.bounds.getLast())
                    throw new JsonLinesReader.BadLineException(line, "le " + le + " does not follow the buckets before it");
                h.bounds.add(bound);
                h.cumulative.add(cum);
            }
            return null;
        }
        Open h = family == null ? null : open.get(key);
        if (h != null && name.endsWith("_sum")) {
            if (!Arrays.equals(h.timesMs, times)) throw new JsonLinesReader.BadLineException(line, "_sum times differ from the buckets'");
            h.sum = new double[vs.size()];
            for (int i = 0; i < vs.size(); i++) h.sum[i] = number(line, vs.get(i));
            return null;
        }
        if (h != null && name.endsWith("_count")) {
            open.remove(key);
            return histogram(line, family, labels, h, integers(line, vs), times);
        }
        var metric = Metric.newBuilder().setName(name).setUnit(unit(name));
        String resourceKey = resourceKey(labels);
        List<KeyValue> attributes = pointAttributes(labels);
        if (name.endsWith("_total")) {
            var sum = metric.getSumBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).setIsMonotonic(true);
            for (int i = 0; i < times.length; i++) sum.addDataPoints(point(line, attributes, times[i], vs.get(i)));
        } else {
            var gauge = metric.getGaugeBuilder();
            for (int i = 0; i < times.length; i++) gauge.addDataPoints(point(line, attributes, times[i], vs.get(i)).clearStartTimeUnixNano());
        }
        return new Series(resourceKey, resource(line, labels), metric, times.length, name + "\u0000" + new TreeMap<>(labels), times);
    }

    private NumberDataPoint.Builder point(JsonLinesReader.Line line, List<KeyValue> attributes, long ms, JsonNode v)
            throws JsonLinesReader.BadLineException {
        var p = NumberDataPoint.newBuilder().addAllAttributes(attributes).setStartTimeUnixNano(startNanos).setTimeUnixNano(ms * 1_000_000L);
        if (v.isIntegralNumber() && v.canConvertToLong()) p.setAsInt(v.longValue());
        else p.setAsDouble(number(line, v));
        return p;
    }

    private Series histogram(JsonLinesReader.Line line, String family, Map<String, String> labels, Open h, long[] count, long[] times)
            throws JsonLinesReader.BadLineException {
        if (!Arrays.equals(h.timesMs, times)) throw new JsonLinesReader.BadLineException(line, "_count times differ from the buckets'");
        if (h.infinite == null || h.sum == null)
            throw new JsonLinesReader.BadLineException(line, family + ": _count before its +Inf bucket and _sum");
        var metric = Metric.newBuilder().setName(family).setUnit(unit(family));
        var hist = metric.getHistogramBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        List<KeyValue> attributes = pointAttributes(labels);
        int buckets = h.bounds.size() + 1;
        for (int i = 0; i < times.length; i++) {
            if (h.infinite[i] != count[i])
                throw new JsonLinesReader.BadLineException(line, family + " at " + times[i] + ": +Inf bucket " + h.infinite[i] + " != count " + count[i]);
            var p = HistogramDataPoint.newBuilder().addAllAttributes(attributes).setStartTimeUnixNano(startNanos)
                    .setTimeUnixNano(times[i] * 1_000_000L).setCount(count[i]).setSum(h.sum[i]).addAllExplicitBounds(h.bounds);
            long below = 0;
            for (int b = 0; b < buckets; b++) {
                long cum = b < h.bounds.size() ? h.cumulative.get(b)[i] : h.infinite[i];
                if (cum < below) throw new JsonLinesReader.BadLineException(line, family + " at " + times[i] + ": cumulative buckets go down");
                p.addBucketCounts(cum - below);
                below = cum;
            }
            hist.addDataPoints(p);
        }
        return new Series(resourceKey(labels), resource(line, labels), metric, times.length, family + "\u0000" + new TreeMap<>(labels), times);
    }

    /** Histograms whose _count line never came, one line each naming the first line of it. */
    List<String> unfinished() {
        var out = new ArrayList<String>();
        for (Open h : open.values()) out.add(h.first.where() + ": histogram without its _sum/_count lines");
        return out;
    }

    /**
     * Puts the exemplars of an OpenMetrics text on the histogram points of {@code series}; answers the exemplar
     * lines that found no point there, each as "line: reason".
     */
    static List<String> exemplars(String text, List<Series> series) {
        var byMatch = new HashMap<String, Series>();
        for (Series s : series) if (s.metric.hasHistogram()) byMatch.put(s.match, s);
        var missed = new ArrayList<String>();
        for (String l : text.split("\n")) {
            int hash = l.indexOf(" # {");
            if (l.isEmpty() || l.startsWith("#") || hash < 0) continue;
            try {
                int brace = l.indexOf('{');
                String name = l.substring(0, brace);
                var labels = new TreeMap<String, String>();
                int end = labels(l, brace, labels);
                String[] sample = l.substring(end + 1, hash).strip().split(" ");
                var exLabels = new TreeMap<String, String>();
                int exEnd = labels(l, hash + 3, exLabels);
                String[] ex = l.substring(exEnd + 1).strip().split(" ");
                labels.remove("le");
                String family = name.endsWith("_bucket") ? cut(name, "_bucket") : name;
                Series s = byMatch.get(family + "\u0000" + labels);
                long ms = new BigDecimal(sample[sample.length - 1]).movePointRight(3).longValueExact();
                int at = s == null ? -1 : Arrays.binarySearch(s.timesMs, ms);
                if (at < 0) {
                    missed.add(l + ": no histogram point of this series at this time among the lines before it");
                    continue;
                }
                var x = Exemplar.newBuilder().setAsDouble(Double.parseDouble(ex[0]));
                if (ex.length > 1) x.setTimeUnixNano(new BigDecimal(ex[1]).movePointRight(9).longValueExact());
                String trace = exLabels.get("trace_id"), span = exLabels.get("span_id");
                if (trace != null) x.setTraceId(ByteString.copyFrom(HEX.parseHex(trace)));
                if (span != null) x.setSpanId(ByteString.copyFrom(HEX.parseHex(span)));
                s.metric.getHistogramBuilder().getDataPointsBuilder(at).addExemplars(x);
            } catch (RuntimeException e) {
                missed.add(l + ": not an exemplar line (" + e.getMessage() + ")");
            }
        }
        return missed;
    }

    /** Reads {@code {a="x",b="y"}} from {@code at} (the brace) into {@code out}; answers the index of the closing brace. */
    private static int labels(String l, int at, Map<String, String> out) {
        if (l.charAt(at) != '{') throw new IllegalArgumentException("no { at " + at);
        int i = at + 1;
        while (l.charAt(i) != '}') {
            int eq = l.indexOf('=', i);
            String key = l.substring(i, eq);
            if (l.charAt(eq + 1) != '"') throw new IllegalArgumentException("label " + key + " is not quoted");
            var v = new StringBuilder();
            int j = eq + 2;
            for (char c; (c = l.charAt(j)) != '"'; j++) {
                if (c == '\\') {
                    char e = l.charAt(++j);
                    v.append(e == 'n' ? '\n' : e);
                } else {
                    v.append(c);
                }
            }
            out.put(key, v.toString());
            i = j + 1;
            if (l.charAt(i) == ',') i++;
        }
        return i;
    }

    static String unit(String name) {
        if (name.endsWith("_seconds")) return "s";
        if (name.endsWith("_bytes")) return "By";
        return "1";
    }

    private static String cut(String s, String suffix) { return s.substring(0, s.length() - suffix.length()); }

    private static String resourceKey(Map<String, String> labels) {
        return "native|" + labels.get("deployment_id") + "|" + labels.getOrDefault("instance", "");
    }

    private Resource resource(JsonLinesReader.Line line, Map<String, String> labels) throws JsonLinesReader.BadLineException {
        String key = resourceKey(labels);
        Resource r = resources.get(key);
        if (r != null) return r;
        for (String l : List.of("application", "stack", "service", "environment", "deployment_id"))
            if (labels.get(l) == null) throw new JsonLinesReader.BadLineException(line, "no " + l + " label: not a deployment's series");
        var b = Resource.newBuilder()
                .addAttributes(LogSpan.string("service.name", labels.get("application") + ":" + labels.get("stack") + ":" + labels.get("service")))
                .addAttributes(LogSpan.string("service.namespace", labels.get("application") + ":" + labels.get("stack")))
                .addAttributes(LogSpan.string("deployment.environment.name", labels.get("environment")));
        if (labels.containsKey("instance")) b.addAttributes(LogSpan.string("service.instance.id", labels.get("instance")));
        for (String l : RESOURCE_LABELS) if (labels.containsKey(l)) b.addAttributes(LogSpan.string(l, labels.get(l)));
        r = b.build();
        resources.put(key, r);
        return r;
    }

    /** The labels that are not the deployment's, in line order, as string attributes. */
    private static List<KeyValue> pointAttributes(Map<String, String> labels) {
        var out = new ArrayList<KeyValue>();
        for (var e : labels.entrySet())
            if (!RESOURCE_SET.contains(e.getKey()) && !e.getKey().equals("instance"))
                out.add(KeyValue.newBuilder().setKey(e.getKey()).setValue(AnyValue.newBuilder().setStringValue(e.getValue())).build());
        return out;
    }

    private static long[] integers(JsonLinesReader.Line line, JsonNode vs) throws JsonLinesReader.BadLineException {
        long[] out = new long[vs.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = vs.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0)
                throw new JsonLinesReader.BadLineException(line, "value " + v + " is not a count");
            out[i] = v.longValue();
        }
        return out;
    }

    private static double number(JsonLinesReader.Line line, JsonNode v) throws JsonLinesReader.BadLineException {
        if (!v.isNumber()) throw new JsonLinesReader.BadLineException(line, "value " + v + " is not a number");
        return v.doubleValue();
    }
}
