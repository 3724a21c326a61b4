/**
 * How many distinct series the raw metric lines make in a time-series store: one per metric and tag set (persona
 * and release included), and one per exemplar sample, whose trace_id tag is new every time. Counted from 64-bit
 * hashes in an open-addressing set that stops growing at {@link #LIMIT} distinct series; past that the count is a
 * lower bound, so the heap stays flat for any run.
 */
final class RawSeriesCount {
    static final int LIMIT = 2_000_000;
    private long[] table = new long[1 << 16];
    private int size;
    private long exemplarSeries;
    private boolean capped;

    /** Counts the hashes of one chunk; 0 stands for an exemplar sample. */
    void add(long[] hashes, int n) {
        for (int i = 0; i < n; i++) {
            long h = hashes[i];
            if (h == 0) exemplarSeries++;
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

    /** True when the set was full: {@link #series()} is then a lower bound. */
    boolean capped() { return capped; }
}
