import java.util.Arrays;

/**
 * The requests of one chunk (roots and child spans) as plain columns, for the native metrics: what a scraped
 * service would have counted. Filled by one worker, sorted by time there, read by {@link NativeMetrics} in chunk
 * order. Reused between chunks.
 */
final class ChunkRequests {
    int size;
    long[] time = new long[4096];            // epoch microseconds
    int[] service = new int[4096], action = new int[4096];
    boolean[] child = new boolean[4096], success = new boolean[4096], exemplar = new boolean[4096];
    NativeLabels.Deployment[] deployment = new NativeLabels.Deployment[4096];
    String[] errorType = new String[4096];   // null when the request succeeded
    long[] cents = new long[4096];           // latency in hundredths of a millisecond
    long[] requestBytes = new long[4096], responseBytes = new long[4096];
    int[] dbQueries = new int[4096];
    byte[] cache = new byte[4096];           // -1 no lookup, 0 miss, 1 hit
    long[] traceHi = new long[4096], traceLo = new long[4096];
    int[] order = new int[0];                // indexes by time, after sortByTime()

    void clear() { size = 0; }

    void add(long t, int svc, int act, boolean isChild, boolean ok, NativeLabels.Deployment dep, String errType, long latencyCents,
             long reqBytes, long respBytes, int db, int cacheResult, boolean keepExemplar, long hi, long lo) {
        if (size == time.length) grow();
        int i = size++;
        time[i] = t;
        service[i] = svc;
        action[i] = act;
        child[i] = isChild;
        success[i] = ok;
        deployment[i] = dep;
        errorType[i] = errType;
        cents[i] = latencyCents;
        requestBytes[i] = reqBytes;
        responseBytes[i] = respBytes;
        dbQueries[i] = db;
        cache[i] = (byte) cacheResult;
        exemplar[i] = keepExemplar;
        traceHi[i] = hi;
        traceLo[i] = lo;
    }

    /** Appends request {@code i} of {@code src} (the carry of {@link NativeMetrics}). */
    void copy(ChunkRequests src, int i) {
        add(src.time[i], src.service[i], src.action[i], src.child[i], src.success[i], src.deployment[i], src.errorType[i], src.cents[i],
                src.requestBytes[i], src.responseBytes[i], src.dbQueries[i], src.cache[i], src.exemplar[i], src.traceHi[i], src.traceLo[i]);
    }

    /** Orders the requests by time, ties by the order they were made in (so the result never depends on the sort). */
    void sortByTime() {
        long[] keys = new long[size];
        for (int i = 0; i < size; i++) keys[i] = time[i];
        Integer[] idx = new Integer[size];
        for (int i = 0; i < size; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> keys[a] != keys[b] ? Long.compare(keys[a], keys[b]) : Integer.compare(a, b));
        if (order.length < size) order = new int[time.length];
        for (int i = 0; i < size; i++) order[i] = idx[i];
    }

    private void grow() {
        int n = time.length * 2;
        time = Arrays.copyOf(time, n);
        service = Arrays.copyOf(service, n);
        action = Arrays.copyOf(action, n);
        child = Arrays.copyOf(child, n);
        success = Arrays.copyOf(success, n);
        exemplar = Arrays.copyOf(exemplar, n);
        deployment = Arrays.copyOf(deployment, n);
        errorType = Arrays.copyOf(errorType, n);
        cents = Arrays.copyOf(cents, n);
        requestBytes = Arrays.copyOf(requestBytes, n);
        responseBytes = Arrays.copyOf(responseBytes, n);
        dbQueries = Arrays.copyOf(dbQueries, n);
        cache = Arrays.copyOf(cache, n);
        traceHi = Arrays.copyOf(traceHi, n);
        traceLo = Arrays.copyOf(traceLo, n);
    }
}
