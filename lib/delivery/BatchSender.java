//SOURCES StoreEndpoint.java AccountTenant.java
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
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;

/**
 * Records to one store through one or several HTTP endpoints: producers open a {@link BatchStream} per source and
 * add records; full batches wait in a bounded queue (so memory is bounded by in-flight batches, not by input size)
 * and each endpoint's {@code workers} threads POST them, gzipped when asked, as many at once as that endpoint's
 * own {@link AdaptiveConcurrency} allows. What the format calls retryable (by default 429, 408, 5xx), timeouts and
 * connection errors are retried after {@link Backoff} delays (Retry-After honoured); other answers fail the batch at once. With several endpoints a
 * retryable failure instead hands the batch to the others and rests the failing endpoint until it answers a probe
 * again (its rest grows on the same schedule), so an endpoint that dies mid-run loses nothing: its unacknowledged
 * batches are sent by the others, and each batch is counted once, where it was acknowledged. At least one endpoint
 * is always taking batches (the last one retries in place, as a single endpoint does). Every acknowledged batch goes
 * to the {@link Checkpoint} whatever endpoint took it; every outcome is counted in {@link DeliveryStats} and per
 * endpoint in its {@link Route}. Usable from files ({@link FileImport}) or directly by a producer.
 * <pre>
 * try (var sender = new BatchSender&lt;&gt;(format, config, stats, Checkpoint.none());
 *      var stream = sender.stream("generator")) { stream.add(record); }
 * </pre>
 */
final class BatchSender<R> implements AutoCloseable {

    /**
     * @param endpoints    where the store takes records (one or more; the format adds its path to each)
     * @param workers      ceiling of requests in flight per endpoint (the adaptive limit never exceeds it)
     * @param startWorkers requests in flight allowed at the start, per endpoint
     * @param batchRecords records per request at most
     * @param batchBytes   encoded bytes per request at most (before compression)
     * @param gzip         send {@code Content-Encoding: gzip} bodies (if the format accepts them)
     * @param timeout      per-request answer timeout
     * @param backoff      retry schedule; its maxAttempts bounds attempts per batch, over all endpoints
     * @param failFast     stop everything at the first batch that cannot be delivered
     */
    record Config(List<StoreEndpoint> endpoints, int workers, int startWorkers, int batchRecords, long batchBytes, boolean gzip,
                  Duration timeout, Backoff backoff, boolean failFast) {
        Config {
            endpoints = List.copyOf(endpoints);
            if (endpoints.isEmpty()) throw new IllegalArgumentException("at least one store URL is needed");
            if (workers < 1) throw new IllegalArgumentException("--workers must be >= 1, got " + workers);
            if (batchRecords < 1) throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchRecords);
            if (batchBytes < 1) throw new IllegalArgumentException("batch bytes must be >= 1, got " + batchBytes);
        }
    }

    /**
     * One endpoint of the run: its target, its own concurrency and counts, and whether it is resting after a
     * failure (its batches went to the others; it takes new ones after it answers a probe).
     */
    static final class Route {
        final StoreEndpoint endpoint;
        final URI target;
        final AdaptiveConcurrency concurrency;
        final LongAdder acknowledged = new LongAdder();
        final LongAdder requests = new LongAdder();
        final LongAdder handedOver = new LongAdder();
        private final Backoff rest;
        /** Read without a lock by every worker deciding where a batch goes; written under this route's lock. */
        private volatile long downUntil;
        private volatile int restsInARow;
        /** Set while one of its workers probes it, so a dead host is asked once at a time, not by every worker. */
        private final java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean();
        private int rests;
        private String lastFailure;

        Route(StoreEndpoint endpoint, URI target, AdaptiveConcurrency concurrency, Backoff rest) {
            this.endpoint = endpoint;
            this.target = target;
            this.concurrency = concurrency;
            this.rest = rest;
        }

        boolean resting() { return restsInARow > 0; }

        /** Out of the rotation (again), resting on the retry schedule: longer after each failed probe. */
        synchronized void restAfter(String failure, Duration retryAfter) {
            lastFailure = failure;
            if (restsInARow == 0) rests++;
            downUntil = System.nanoTime() + rest.delay(restsInARow + 1, retryAfter).toNanos();
            restsInARow++;
        }

        synchronized void recovered() { restsInARow = 0; }

        /** How often it was taken out of the rotation after a failure. */
        synchronized int rests() { return rests; }

        /** The failure that last took it out, or null. */
        synchronized String lastFailure() { return lastFailure; }
    }

    /** A batch on its way: its body, once encoded, and the failed attempts it has had on any endpoint. */
    private static final class Pending<R> {
        final Batch<R> batch;
        byte[] body;
        int failures;

        Pending(Batch<R> batch) { this.batch = batch; }
    }

    private static final long POLL_MILLIS = 50;

    private final WireFormat<R> format;
    private final Config config;
    private final DeliveryStats stats;
    private final Checkpoint checkpoint;
    private final List<Route> routes = new ArrayList<>();
    private final BlockingQueue<Pending<R>> queue;
    /** Batches handed over by a failing endpoint; taken before new ones. */
    private final BlockingDeque<Pending<R>> handedOver = new LinkedBlockingDeque<>();
    /** Batches submitted and not yet acknowledged or given up: the run is over when this is 0 after close. */
    private final AtomicLong outstanding = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final HttpClient http;
    private final AtomicReference<String> abort = new AtomicReference<>();
    private volatile boolean closing;
    private boolean closed;
    /** Told of each acknowledged batch as its answer comes (a benchmark timing delivery); null: nobody. */
    private volatile java.util.function.Consumer<Batch<R>> onAcknowledged;

    BatchSender(WireFormat<R> format, Config config, DeliveryStats stats, Checkpoint checkpoint) {
        this.format = format;
        this.config = config;
        this.stats = stats;
        this.checkpoint = checkpoint;
        this.queue = new ArrayBlockingQueue<>(Math.max(2, config.workers() * 2));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        for (StoreEndpoint e : config.endpoints())
            routes.add(new Route(e, e.target(format), new AdaptiveConcurrency(config.workers(), config.startWorkers()), config.backoff()));
        for (int r = 0; r < routes.size(); r++) {
            Route route = routes.get(r);
            for (int i = 0; i < config.workers(); i++) {
                String name = routes.size() == 1 ? "sender-" + i : "sender-" + r + "-" + i;
                threads.add(Thread.ofPlatform().daemon().name(name).start(() -> work(route)));
            }
        }
    }

    /** A batch stream for one source (file key, or any name for programmatic records). */
    BatchStream<R> stream(String source) { return new BatchStream<>(this, source); }

    WireFormat<R> format() { return format; }

    int batchRecords() { return config.batchRecords(); }

    long batchBytes() { return config.batchBytes(); }

    /** The first endpoint's target (the only one, usually). */
    URI target() { return routes.get(0).target; }

    /** The endpoints, in the order given, with their counts. */
    List<Route> routes() { return List.copyOf(routes); }

    /** The first endpoint's concurrency (the only one, usually). */
    AdaptiveConcurrency concurrency() { return routes.get(0).concurrency; }

    /** Why the run was stopped early ({@code --fail-fast}), or null. */
    String aborted() { return abort.get(); }

    void abort(String why) { abort.compareAndSet(null, why); }

    /** Calls {@code listener} on the sender thread with every batch acknowledged from now on, right after its answer. */
    void onAcknowledged(java.util.function.Consumer<Batch<R>> listener) { this.onAcknowledged = listener; }

    /** Queues a full batch, waiting while the queue is full. After an abort the batch is counted failed. */
    void submit(Batch<R> batch) {
        if (abort.get() != null) {
            stats.failed.add(batch.units());
            return;
        }
        outstanding.incrementAndGet();
        try {
            queue.put(new Pending<>(batch));
        } catch (InterruptedException e) {
            outstanding.decrementAndGet();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing a batch", e);
        }
    }

    private boolean over() { return closing && outstanding.get() == 0; }

    private void work(Route route) {
        try {
            while (!over()) {
                if (route.resting() && !awaitRecovery(route)) return;
                Pending<R> p = handedOver.pollFirst();
                if (p == null) p = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (p == null) continue;
                if (abort.get() != null) {
                    given(p, null);
                    continue;
                }
                deliver(route, p);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits out a resting endpoint's rest, then probes it (any HTTP answer at its base URL); true when it takes
     * batches again, false when the run ended meanwhile. One worker probes, the others wait for its verdict.
     */
    private boolean awaitRecovery(Route route) throws InterruptedException {
        while (!over()) {
            if (!route.resting()) return true;
            long wait = route.downUntil - System.nanoTime();
            if (wait > 0 || !route.probing.compareAndSet(false, true)) {
                Thread.sleep(Math.max(1, Math.min(POLL_MILLIS, wait / 1_000_000)));
                continue;
            }
            try {
                CounterCheck.probe(http, route.endpoint.base());
                route.recovered();
                return true;
            } catch (IOException e) {
                route.restAfter(CounterCheck.why(e), null);
            } finally {
                route.probing.set(false);
            }
        }
        return false;
    }

    /**
     * Takes the failing endpoint out of the rotation when another one is taking batches, so its batch goes there;
     * false when it is the last one (it then retries in place).
     */
    private synchronized boolean restIfOthersUp(Route failing, String failure, Duration retryAfter) {
        if (routes.size() < 2) return false;
        if (failing.resting()) return true; // another of its workers took it out; one that rests leaves another up
        for (Route r : routes) {
            if (r != failing && !r.resting()) {
                failing.restAfter(failure, retryAfter);
                return true;
            }
        }
        return false;
    }

    private void deliver(Route route, Pending<R> p) throws InterruptedException {
        Batch<R> b = p.batch;
        boolean gzip = config.gzip() && format.acceptsGzip();
        if (p.body == null) {
            byte[] body = format.body(b.records());
            stats.bodyBytes.add(body.length);
            p.body = gzip ? gzip(body) : body;
            stats.sent.add(b.units());
        }
        var request = HttpRequest.newBuilder(route.target).timeout(config.timeout())
                .header("Content-Type", format.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(p.body));
        if (gzip) request.header("Content-Encoding", "gzip");
        for (StoreEndpoint.Header h : route.endpoint.headers()) request.header(h.name(), h.value());
        HttpRequest req = request.build();
        Backoff base = config.backoff(); // own jitter per batch, so batches refused together do not retry in lockstep
        Backoff backoff = new Backoff(base.first(), base.factor(), base.max(), base.maxAttempts(), base.jitter(),
                base.seed() * 1_000_003L + b.source().hashCode() * 31L + b.firstLine());
        int units = (int) Math.min(Integer.MAX_VALUE, b.units());
        while (true) {
            route.concurrency.acquire();
            long t0 = System.nanoTime();
            String failure;
            java.time.Duration retryAfter = null;
            boolean retryable;
            try {
                HttpResponse<byte[]> answer = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                long latency = System.nanoTime() - t0;
                stats.requests.increment();
                route.requests.increment();
                stats.wireBytes.add(p.body.length);
                int code = answer.statusCode();
                if (code >= 200 && code < 300) {
                    route.concurrency.release(AdaptiveConcurrency.Signal.OK, latency, units);
                    long refused = format.rejected(answer.body(), answer.headers().firstValue("Content-Type").orElse(""));
                    if (refused > 0) {
                        stats.rejected.add(refused);
                        String why = format.rejectedWhy(answer.body(), answer.headers().firstValue("Content-Type").orElse(""));
                        stats.problem(where(b) + ": server accepted the request but refused " + refused + " record(s)"
                                + (why == null || why.isBlank() ? "" : ": " + why));
                    }
                    stats.acknowledged.add(b.units() - refused);
                    route.acknowledged.add(b.units() - refused);
                    checkpoint.acknowledged(b.source(), b.firstLine(), b.lastLine(), routes.size() > 1 ? route.endpoint.key() : null);
                    var listener = onAcknowledged;
                    if (listener != null) listener.accept(b);
                    outstanding.decrementAndGet();
                    return;
                }
                retryable = format.retryable(code);
                route.concurrency.release(retryable ? AdaptiveConcurrency.Signal.PUSHBACK : AdaptiveConcurrency.Signal.OTHER, latency, units);
                retryAfter = Backoff.retryAfter(answer.headers().firstValue("Retry-After").orElse(null));
                String told = format.failure(answer.body(), answer.headers().firstValue("Content-Type").orElse(""));
                failure = "HTTP " + code + " " + (told != null ? told : snippet(answer.body()));
            } catch (IOException e) {
                route.concurrency.release(AdaptiveConcurrency.Signal.PUSHBACK, System.nanoTime() - t0, units);
                stats.requests.increment();
                route.requests.increment();
                retryable = true;
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            p.failures++;
            if (!retryable || p.failures >= backoff.maxAttempts() || abort.get() != null) {
                given(p, (routes.size() > 1 ? route.endpoint.base() + ": " : "") + "not delivered after " + p.failures
                        + " attempt(s): " + failure);
                return;
            }
            stats.retried.increment();
            if (restIfOthersUp(route, failure, retryAfter)) {
                route.handedOver.add(b.units());
                handedOver.addFirst(p);
                return;
            }
            Thread.sleep(backoff.delay(p.failures, retryAfter).toMillis());
        }
    }

    /** Gives a batch up: counted failed, its reason kept (null after an abort, already explained). */
    private void given(Pending<R> p, String reason) {
        stats.failed.add(p.batch.units());
        if (reason != null) {
            String why = where(p.batch) + ": " + reason;
            stats.problem(why);
            if (config.failFast()) abort(why);
        }
        outstanding.decrementAndGet();
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
        closing = true;
        try {
            for (Thread t : threads) t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close();
    }
}
