import java.util.List;

/**
 * How one store wants a batch on the wire: where to POST it, with which content type, and the body bytes for a list
 * of records. {@link #rejected} reads the store's answer for records it accepted the request for but still refused
 * (OTLP partial success); stores that cannot say so answer 0.
 */
interface WireFormat<R> {
    /** Path and query appended to the base URL, e.g. {@code /api/v1/import}. */
    String path();

    String contentType();

    /** Encoded size of one record, for batching by bytes. */
    long size(R record);

    /** What the store counts in one record (its rows); the counts of the summary are in these units. */
    default long units(R record) { return 1; }

    /** The uncompressed request body for these records. */
    byte[] body(List<R> records);

    /** Whether the server takes {@code Content-Encoding: gzip} bodies. */
    default boolean acceptsGzip() { return true; }

    /** Records of a 2xx answer that the server says it refused; 0 when the answer cannot tell. */
    default long rejected(byte[] answer, String contentType) { return 0; }

    /** The server's reason for the records {@link #rejected} counts, or null when it gives none. */
    default String rejectedWhy(byte[] answer, String contentType) { return null; }

    /** Whether a non-2xx answer is worth sending again: by default 429, 408 and 5xx. */
    default boolean retryable(int status) { return status == 429 || status == 408 || status >= 500; }

    /** A non-2xx answer's body as one line for the summary, or null to show its first bytes as text. */
    default String failure(byte[] answer, String contentType) { return null; }
}
