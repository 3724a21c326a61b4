import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * Peak heap of one benchmark step, sampled every 100 ms on a daemon thread: {@link #peakUsed} (everything on the heap,
 * garbage included: what the step made the JVM hold) and {@link #peakLive} (the heap pools right after their latest
 * collection: what the step kept alive, the figure that has to stay flat as the data grows).
 */
final class HeapWatch implements AutoCloseable {
    private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported()).toList();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakUsed, peakLive;
    private long windowUsed, windowLive;

    /** The peaks of one stretch of a step. */
    record Peaks(long live, long used) {}

    HeapWatch() {
        System.gc(); // start from what is live now, not from the previous step's garbage
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
        thread = Thread.ofPlatform().daemon().name("heap-watch").start(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private synchronized void sample() {
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long live = 0;
        for (MemoryPoolMXBean p : pools) {
            var u = p.getCollectionUsage();
            if (u != null) live += u.getUsed();
        }
        if (used > peakUsed) peakUsed = used;
        if (live > peakLive) peakLive = live;
        windowUsed = Math.max(windowUsed, used);
        windowLive = Math.max(windowLive, live);
    }

    /** The peaks since the previous call (or the start), sampled once more now; the next stretch starts here. No GC is forced. */
    synchronized Peaks window() {
        sample();
        var p = new Peaks(windowLive, windowUsed);
        windowLive = windowUsed = 0;
        return p;
    }

    long peakUsed() { return peakUsed; }

    long peakLive() { return peakLive; }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
    }
}
