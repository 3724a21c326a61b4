import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;

/**
 * Records to one HTTP endpoint: producers open a {@link BatchStream} per source and add records; full batches wait
 * in a bounded queue (so memory is bounded by in-flight batches, not by input size) and {@code workers} threads
 * POST them, gzipped when asked, as many at once as {@link AdaptiveConcurrency} allows. 429, 408, 5xx, timeouts
 * and connection errors are retried after {@link Backoff} delays (Retry-After honoured); other answers fail the
 * batch at once. Every acknowledged batch goes to the {@link Checkpoint}; every outcome is counted in
 * {@link DeliveryStats}. Usable from files ({@link FileImport}) or directly by a producer.
 * <pre>
 * try (var sender = new BatchSender&lt;&gt;(format, config, stats, Checkpoint.none());
 *      var stream = sender.stream("generator")) { stream.add(record); }
 * </pre>
 */
final class BatchSender<R> implements AutoCloseable {

    /**
     * @param endpoint     base URL of the store, e.g. http://localhost:8428 (the format adds its path)
     * @param workers      ceiling of requests in flight (the adaptive limit never exceeds it)
     * @param startWorkers requests in flight allowed at the start
     * @param batchRecords records per request at most
     * @param batchBytes   encoded bytes per request at most (before compression)
     * @param gzip         send {@code Content-Encoding: gzip} bodies (if the format accepts them)
     * @param timeout      per-request answer timeout
     * @param backoff      retry schedule; its maxAttempts bounds attempts per batch
     * @param failFast     stop everything at the first batch that cannot be delivered
     */
    record Config(URI endpoint, int workers, int startWorkers, int batchRecords, long batchBytes, boolean gzip,
                  Duration timeout, Backoff backoff, boolean failFast) {
        Config {
            if (workers < 1) throw new IllegalArgumentException("--workers must be >= 1, got " + workers);
            if (batchRecords < 1) throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchRecords);
            if (batchBytes < 1) throw new IllegalArgumentException("batch bytes must be >= 1, got " + batchBytes);
        }
    }

    private final WireFormat<R> format;
    private final Config config;
    private final DeliveryStats stats;
    private final Checkpoint checkpoint;
    private final AdaptiveConcurrency concurrency;
    private final BlockingQueue<Batch<R>> queue;
    private final Batch<R> endOfWork = new Batch<>("", 0, 0, List.of(), 0, 0);
    private final List<Thread> threads = new ArrayList<>();
    private final HttpClient http;
    private final URI target;
    private final AtomicReference<String> abort = new AtomicReference<>();
    private boolean closed;

    BatchSender(WireFormat<R> format, Config config, DeliveryStats stats, Checkpoint checkpoint) {
        this.format = format;
        this.config = config;
        this.stats = stats;
        this.checkpoint = checkpoint;
        this.concurrency = new AdaptiveConcurrency(config.workers(), config.startWorkers());
        this.queue = new ArrayBlockingQueue<>(Math.max(2, config.workers() * 2));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        String base = config.endpoint().toString();
        this.target = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + format.path());
        for (int i = 0; i < config.workers(); i++) {
            Thread t = Thread.ofPlatform().daemon().name("sender-" + i).start(this::work);
            threads.add(t);
        }
    }

    /** A batch stream for one source (file key, or any name for programmatic records). */
    BatchStream<R> stream(String source) { return new BatchStream<>(this, source); }

    WireFormat<R> format() { return format; }

    int batchRecords() { return config.batchRecords(); }

    long batchBytes() { return config.batchBytes(); }

    URI target() { return target; }

    AdaptiveConcurrency concurrency() { return concurrency; }

    /** Why the run was stopped early ({@code --fail-fast}), or null. */
    String aborted() { return abort.get(); }

    void abort(String why) { abort.compareAndSet(null, why); }

    /** Queues a full batch, waiting while the queue is full. After an abort the batch is counted failed. */
    void submit(Batch<R> batch) {
        if (abort.get() != null) {
            stats.failed.add(batch.units());
            return;
        }
        try {
            queue.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing a batch", e);
        }
    }

    private void work() {
        try {
            while (true) {
                Batch<R> b = queue.take();
                if (b == endOfWork) return;
                if (abort.get() != null) {
                    stats.failed.add(b.units());
                    continue;
                }
                deliver(b);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(Batch<R> b) throws InterruptedException {
        byte[] body = format.body(b.records());
        stats.bodyBytes.add(body.length);
        boolean gzip = config.gzip() && format.acceptsGzip();
        if (gzip) body = gzip(body);
        stats.sent.add(b.units());
        var request = HttpRequest.newBuilder(target).timeout(config.timeout())
                .header("Content-Type", format.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (gzip) request.header("Content-Encoding", "gzip");
        HttpRequest req = request.build();
        Backoff base = config.backoff(); // own jitter per batch, so batches refused together do not retry in lockstep
        Backoff backoff = new Backoff(base.first(), base.factor(), base.max(), base.maxAttempts(), base.jitter(),
                base.seed() * 1_000_003L + b.source().hashCode() * 31L + b.firstLine());
        for (int attempt = 1; ; attempt++) {
            concurrency.acquire();
            long t0 = System.nanoTime();
            String failure;
            java.time.Duration retryAfter = null;
            boolean retryable;
            try {
                HttpResponse<byte[]> answer = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                long latency = System.nanoTime() - t0;
                stats.requests.increment();
                stats.wireBytes.add(body.length);
                int code = answer.statusCode();
                if (code >= 200 && code < 300) {
                    concurrency.release(AdaptiveConcurrency.Signal.OK, latency, (int) Math.min(Integer.MAX_VALUE, b.units()));
                    long refused = format.rejected(answer.body(), answer.headers().firstValue("Content-Type").orElse(""));
                    if (refused > 0) {
                        stats.rejected.add(refused);
                        stats.problem(where(b) + ": server accepted the request but refused " + refused + " record(s)");
                    }
                    stats.acknowledged.add(b.units() - refused);
                    checkpoint.acknowledged(b.source(), b.firstLine(), b.lastLine());
                    return;
                }
                retryable = code == 429 || code == 408 || code >= 500;
                concurrency.release(retryable ? AdaptiveConcurrency.Signal.PUSHBACK : AdaptiveConcurrency.Signal.OTHER, latency, (int) Math.min(Integer.MAX_VALUE, b.units()));
                retryAfter = Backoff.retryAfter(answer.headers().firstValue("Retry-After").orElse(null));
                failure = "HTTP " + code + " " + snippet(answer.body());
            } catch (IOException e) {
                concurrency.release(AdaptiveConcurrency.Signal.PUSHBACK, System.nanoTime() - t0, (int) Math.min(Integer.MAX_VALUE, b.units()));
                stats.requests.increment();
                retryable = true;
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            if (!retryable || attempt >= backoff.maxAttempts() || abort.get() != null) {
                stats.failed.add(b.units());
                String why = where(b) + ": not delivered after " + attempt + " attempt(s): " + failure;
                stats.problem(why);
                if (config.failFast()) abort(why);
                return;
            }
            stats.retried.increment();
            Thread.sleep(backoff.delay(attempt, retryAfter).toMillis());
        }
    }

    private static String where(Batch<?> b) {
        return b.source().replaceFirst("\\|\\d+$", "") + ":" + b.firstLine() + "-" + b.lastLine();
    }

    private static String snippet(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8).strip();
        return s.replaceAll("\\s+", " ");
    }

    static byte[] gzip(byte[] body) {
        var out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (var z = new GZIPOutputStream(out, 1 << 16) { { def.setLevel(java.util.zip.Deflater.BEST_SPEED); } }) {
            z.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Waits until every queued batch is delivered or given up, then stops the workers. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            for (int i = 0; i < threads.size(); i++) queue.put(endOfWork);
            for (Thread t : threads) t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close();
    }
}
