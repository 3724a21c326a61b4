import java.time.Instant;

/**
 * The wall clock of a live run, injectable so that a test runs an hour of traffic on a clock that jumps instead of
 * waiting. Microseconds since the epoch, UTC.
 */
interface LiveClock {
    long nowMicros();

    /** Returns once the clock reads at least {@code micros} (at once when it already does). */
    void sleepUntil(long micros) throws InterruptedException;

    /** The system clock. */
    LiveClock SYSTEM = new LiveClock() {
        @Override
        public long nowMicros() {
            Instant now = Instant.now();
            return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        }

        @Override
        public void sleepUntil(long micros) throws InterruptedException {
            for (long wait; (wait = micros - nowMicros()) > 0; ) Thread.sleep(Math.max(1, wait / 1000));
        }
    };
}
