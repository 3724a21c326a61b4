/**
 * How many distinct series the raw metric lines make in a time-series store: one per metric and tag set (persona
 * and release included), and one per exemplar sample, whose trace_id tag is new every time. Counted from 64-bit
 * hashes in an open-addressing set that stops growing at {@link #LIMIT} distinct series; past that the count is a
 * lower bound, so the heap stays flat for any run. The low 3 bits of a hash name the metric (1..5, {@link #METRICS}).
 */
final class RawSeriesCount {
    static final int LIMIT = 2_000_000;
    static final String[] METRICS = {null, "request_duration_ms", "request_size_bytes", "response_size_bytes", "db_query_count", "cache_hit"};
    private final long[] perMetric = new long[METRICS.length];
    private long[] table = new long[1 << 16];
    private int size;
    private long exemplarSeries;
    private boolean capped;

    /** Counts the hashes of one chunk; 0 stands for an exemplar sample. */
    void add(long[] hashes, int n) {
        for (int i = 0; i < n; i++) {
            long h = hashes[i];
            if (h == 0) {
                exemplarSeries++;
                perMetric[1]++;
            }
            else insert(h);
        }
    }

    private void insert(long h) {
        int mask = table.length - 1;
        for (int i = (int) (h ^ (h >>> 32)) & mask; ; i = (i + 1) & mask) {
            if (table[i] == h) return;
            if (table[i] == 0) {
                if (size >= LIMIT) {
                    capped = true;
                    return;
                }
                table[i] = h;
                perMetric[(int) (h & 7)]++;
                if (++size * 2 > table.length) grow();
                return;
            }
        }
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        int mask = table.length - 1;
        for (long h : old) {
            if (h == 0) continue;
            int i = (int) (h ^ (h >>> 32)) & mask;
            while (table[i] != 0) i = (i + 1) & mask;
            table[i] = h;
        }
    }

    long series() { return size + exemplarSeries; }

    /** Series per raw metric name, exemplar samples counted with request_duration_ms. */
    java.util.Map<String, Long> seriesByMetric() {
        var out = new java.util.LinkedHashMap<String, Long>();
        for (int m = 1; m < METRICS.length; m++) if (perMetric[m] > 0) out.put(METRICS[m], perMetric[m]);
        return out;
    }

    /** True when the set was full: {@link #series()} is then a lower bound. */
    boolean capped() { return capped; }
}
