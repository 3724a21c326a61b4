import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * How long each record took from its own timestamp to its store's acknowledgement, per store: fed by
 * {@link MonitoringStores#onAcknowledged} with the batch a store has just answered 2xx for, it reads every record's
 * timestamp (VictoriaLogs lines: {@code "timestamp"}; Tempo: the span's start; VictoriaMetrics lines: the newest of
 * their {@code "timestamps"}, the scrape that wrote the line, since a native line's older sample repeats a series'
 * previous value at its interval's start, back-dated on purpose) and keeps the delays in an HdrHistogram
 * (microseconds, 3 significant digits). A live run stamps a
 * record inside the tick that makes it, so the delay covers the tick, the batching (a partial batch waits for the
 * run's flush), the queue and the request. A record stamped after its acknowledgement (a child span that starts
 * later than the moment it was made; the native samples a live run writes when it stops, stamped at the end of the
 * interval in progress) is counted as {@code ahead} and left out of the percentiles, which it would only lower.
 */
final class DeliveryDelays {
    /** Delays of one store: records timed, how many more were stamped after their acknowledgement, percentiles in ms. */
    record Summary(long records, long ahead, double p50Millis, double p99Millis, double maxMillis) {
        static final Summary NONE = new Summary(0, 0, 0, 0, 0);
    }

    private final LongSupplier nowMicros;
    private final Map<MonitoringStores.Store, Histogram> histograms = new EnumMap<>(MonitoringStores.Store.class);
    private final Map<MonitoringStores.Store, long[]> ahead = new EnumMap<>(MonitoringStores.Store.class);

    /** {@code nowMicros}: the clock the records were stamped with (the live run's), read at each acknowledgement. */
    DeliveryDelays(LongSupplier nowMicros) {
        this.nowMicros = nowMicros;
        for (var s : MonitoringStores.Store.values()) {
            histograms.put(s, new Histogram(3));
            ahead.put(s, new long[1]);
        }
    }

    /** The listener for {@link MonitoringStores#onAcknowledged}: the clock is read once per batch, as it is answered. */
    void acknowledged(MonitoringStores.Store store, List<?> records) {
        acknowledged(store, records, nowMicros.getAsLong());
    }

    /** Times {@code records} of {@code store}, acknowledged at {@code ackMicros}. */
    void acknowledged(MonitoringStores.Store store, List<?> records, long ackMicros) {
        Histogram h = histograms.get(store);
        long[] early = ahead.get(store);
        synchronized (h) {
            for (Object r : records) {
                long d = ackMicros - timestampMicros(store, r);
                if (d < 0) early[0]++;
                else h.recordValue(d);
            }
        }
    }

    Summary summary(MonitoringStores.Store store) {
        Histogram h = histograms.get(store);
        synchronized (h) {
            if (h.getTotalCount() == 0) return new Summary(0, ahead.get(store)[0], 0, 0, 0);
            return new Summary(h.getTotalCount(), ahead.get(store)[0], h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                    h.getMaxValue() / 1e3);
        }
    }

    /** The timestamp a record is timed by, in microseconds since the epoch (one per record: a VictoriaMetrics line is one record). */
    static long timestampMicros(MonitoringStores.Store store, Object record) {
        return switch (store) {
            case TEMPO -> ((LogSpan) record).span().getStartTimeUnixNano() / 1000;
            case VL -> vlTimestampMicros((byte[]) record);
            case VM -> vmNewestMillis((byte[]) record) * 1000;
            case OTLP -> throw new IllegalArgumentException("bench-live times the vm, vl and tempo stores, not OTLP");
        };
    }

    private static final byte[] VL_KEY = "\"timestamp\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VM_KEY = "\"timestamps\":[".getBytes(StandardCharsets.US_ASCII);

    /** The {@code "timestamp"} of a VictoriaLogs JSON line (an ISO-8601 instant). */
    static long vlTimestampMicros(byte[] line) {
        int at = indexOf(line, VL_KEY, 0);
        if (at < 0) throw new IllegalArgumentException("no \"timestamp\" in a VictoriaLogs line");
        int from = at + VL_KEY.length, to = from;
        while (to < line.length && line[to] != '"') to++;
        return LogSpan.epochNanos(new String(line, from, to - from, StandardCharsets.US_ASCII)) / 1000;
    }

    /** The newest of a VictoriaMetrics import line's {@code "timestamps"}, milliseconds. */
    static long vmNewestMillis(byte[] line) {
        long[] newest = {Long.MIN_VALUE};
        vmTimestampsMillis(line, ms -> newest[0] = Math.max(newest[0], ms));
        if (newest[0] == Long.MIN_VALUE) throw new IllegalArgumentException("empty \"timestamps\" in a VictoriaMetrics line");
        return newest[0];
    }

    /** The numbers of a VictoriaMetrics import line's {@code "timestamps"} array, milliseconds. */
    static void vmTimestampsMillis(byte[] line, LongConsumer out) {
        int at = indexOf(line, VM_KEY, 0);
        if (at < 0) throw new IllegalArgumentException("no \"timestamps\" in a VictoriaMetrics line");
        long v = 0;
        boolean digits = false;
        for (int i = at + VM_KEY.length; i < line.length; i++) {
            byte b = line[i];
            if (b >= '0' && b <= '9') {
                v = v * 10 + (b - '0');
                digits = true;
            } else if (b == ',' || b == ']') {
                if (digits) out.accept(v);
                if (b == ']') return;
                v = 0;
                digits = false;
            }
        }
        throw new IllegalArgumentException("\"timestamps\" not closed in a VictoriaMetrics line");
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int k = 0; k < needle.length; k++) if (hay[i + k] != needle[k]) continue outer;
            return i;
        }
        return -1;
    }
}
