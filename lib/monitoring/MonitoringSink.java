/**
 * Where the generator's output goes, in order, from one thread: files ({@link MonitoringFiles}) or stores directly
 * ({@link MonitoringStores}).
 * Every call hands over complete lines (each ending in a newline); the bytes are only valid during the call.
 */
interface MonitoringSink extends AutoCloseable {
    /** The kinds of output, each split into {@code --files} parts except the exemplars. */
    enum Stream {
        /** Log lines (requests, child spans, deployment events): {@code logs_N.jsonl}. */
        LOGS,
        /** The seed's raw metric lines, one sample each: {@code metrics_N.jsonl}. */
        METRICS,
        /** VictoriaMetrics import lines of the native counters and histograms: {@code native_metrics_N.jsonl}. */
        NATIVE_METRICS,
        /** OpenMetrics text of latency histograms with trace-id exemplars: {@code native_exemplars.txt}, one part. */
        EXEMPLARS
    }

    void write(Stream stream, int part, byte[] bytes, int length);

    /**
     * Sends on what is held back waiting for a fuller batch (live mode, a few times a second, so the data reaches the
     * stores as it is made); the data is still delivered once.
     */
    default void flush() {}

    /**
     * Finishes every stream; throws if anything could not be written. A sink that delivers to stores
     * ({@link MonitoringStores}) counts what a store did not take and reports it instead of throwing.
     */
    @Override
    void close();
}
