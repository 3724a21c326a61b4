import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** bench-live's bookkeeping: record timestamps, delay percentiles, the acknowledgement hook, the rate ladder, the goals. No timing. */
class BenchLiveTest {
    private static final MonitoringStores.Store VM = MonitoringStores.Store.VM, VL = MonitoringStores.Store.VL, TEMPO = MonitoringStores.Store.TEMPO;
    private static final long T0 = 1_767_225_600_000_000L; // 2026-01-01T00:00:00Z in microseconds

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    void eachStoreRecordIsTimedByItsOwnTimestamp() {
        assertEquals(T0 + 123_456, DeliveryDelays.timestampMicros(VL, bytes("{\"service\":\"feed\",\"timestamp\":\"2026-01-01T00:00:00.123456Z\",\"message\":\"x\"}")));
        // a native line's newest sample is the scrape that wrote it; the older one repeats the value at the interval's start
        assertEquals(T0 + 15_000_000, DeliveryDelays.timestampMicros(VM,
                bytes("{\"metric\":{\"__name__\":\"requests_total\"},\"values\":[3,5],\"timestamps\":[1767225600000,1767225615000]}")));
        var span = io.opentelemetry.proto.trace.v1.Span.newBuilder().setStartTimeUnixNano((T0 + 7) * 1000 + 999).build();
        assertEquals(T0 + 7, DeliveryDelays.timestampMicros(TEMPO, new LogSpan("r", null, span)));
        assertThrows(IllegalArgumentException.class, () -> DeliveryDelays.timestampMicros(VL, bytes("{\"message\":\"no time\"}")));
        assertThrows(IllegalArgumentException.class, () -> DeliveryDelays.timestampMicros(VM, bytes("{\"values\":[1],\"timestamps\":[1")));
    }

    @Test
    void delaysArePercentilesOfEveryRecordAndLateStampsCountAsAhead() {
        var delays = new DeliveryDelays(() -> 0);
        var records = new ArrayList<byte[]>();
        // 1,000 records stamped 1..1000 ms before the acknowledgement, in one batch
        for (int ms = 1; ms <= 1000; ms++)
            records.add(bytes("{\"values\":[1],\"timestamps\":[" + (T0 / 1000 - ms) + "]}"));
        delays.acknowledged(VM, records, T0);
        // two records stamped after their acknowledgement: counted apart, out of the percentiles
        delays.acknowledged(VM, List.of(bytes("{\"values\":[1],\"timestamps\":[" + (T0 / 1000 + 5) + "]}"),
                bytes("{\"values\":[1],\"timestamps\":[" + (T0 / 1000 + 9) + "]}")), T0);
        var s = delays.summary(VM);
        assertEquals(1000, s.records());
        assertEquals(2, s.ahead());
        assertEquals(500, s.p50Millis(), 1);
        assertEquals(990, s.p99Millis(), 1);
        assertEquals(1000, s.maxMillis(), 1);
        assertEquals(DeliveryDelays.Summary.NONE, delays.summary(VL), "a store that acknowledged nothing has no delays");
    }

    @Test
    void theSinkReportsEveryAcknowledgedBatchWithItsRecords() throws Exception {
        try (var receiver = new CountingReceiver("/insert/jsonline", 204, new byte[0], "", CountingReceiver::lines)) {
            var options = CommandLine.populateCommand(new StreamOptions(), "--to", "vl", "--vl-url", receiver.url().toString(), "--batch-size", "7");
            var sink = MonitoringStores.open(options, null);
            var seen = new AtomicLong();
            var stores = new java.util.concurrent.ConcurrentLinkedQueue<MonitoringStores.Store>();
            var delays = new DeliveryDelays(() -> T0 + 2_000_000);
            sink.onAcknowledged((store, records) -> {
                stores.add(store);
                seen.addAndGet(records.size());
                delays.acknowledged(store, records);
            });
            var lines = new StringBuilder();
            for (int i = 0; i < 50; i++)
                lines.append("{\"timestamp\":\"2026-01-01T00:00:01.000000Z\",\"message\":\"m").append(i).append("\",\"service\":\"feed\",\"release_id\":\"prod:aws:111111111111:us-east-1:platform:eks:main:social:user:identity:default:100\"}\n");
            byte[] b = bytes(lines.toString());
            sink.write(MonitoringSink.Stream.LOGS, 0, b, b.length);
            sink.close();
            var report = new java.io.ByteArrayOutputStream();
            var print = new java.io.PrintStream(report, true, StandardCharsets.UTF_8);
            sink.print(print, print);
            assertTrue(sink.delivered(), report.toString(StandardCharsets.UTF_8));
            assertEquals(50, receiver.records.get());
            assertEquals(50, seen.get(), "every acknowledged record reaches the listener once");
            assertTrue(stores.stream().allMatch(s -> s == VL));
            var s = delays.summary(VL);
            assertEquals(50, s.records());
            assertEquals(1000, s.p99Millis(), 1, "stamped at 1 s, acknowledged at 2 s by the listener's clock");
        }
    }

    @Test
    void theVictoriaMetricsReceiverCountsSamples() {
        assertEquals(5, CountingReceiver.samples(bytes("{\"metric\":{},\"values\":[1,2,3],\"timestamps\":[1,2,3]}\n"
                + "{\"metric\":{},\"values\":[1],\"timestamps\":[9]}\n{\"metric\":{},\"values\":[4],\"timestamps\":[10]}\n")));
        assertEquals(0, CountingReceiver.samples(bytes("")));
    }

    private static List<RateLadder.Run> runs(Object... rateHeld) {
        var out = new ArrayList<RateLadder.Run>();
        for (int i = 0; i < rateHeld.length; i += 2) out.add(new RateLadder.Run(((Number) rateHeld[i]).doubleValue(), (Boolean) rateHeld[i + 1]));
        return out;
    }

    @Test
    void withoutFindMaxTheLadderIsTheGivenRates() {
        var ladder = new RateLadder(List.of(100.0, 1000.0, 10000.0), false, 1.5);
        assertEquals(OptionalDouble.of(100), ladder.next(runs()));
        assertEquals(OptionalDouble.of(10000), ladder.next(runs(100, true, 1000, false)));
        assertEquals(OptionalDouble.empty(), ladder.next(runs(100, true, 1000, true, 10000, true)));
    }

    @Test
    void findMaxStepsUpFromTheHighestRateThatHeldUntilOneMisses() {
        var ladder = new RateLadder(List.of(100.0, 1000.0), true, 1.5);
        assertEquals(OptionalDouble.of(1500), ladder.next(runs(100, true, 1000, true)));
        assertEquals(OptionalDouble.of(2250), ladder.next(runs(100, true, 1000, true, 1500, true)));
        var missed = runs(100, true, 1000, true, 1500, true, 2250, false);
        assertEquals(OptionalDouble.empty(), ladder.next(missed), "the step above the highest that held missed: done");
        assertEquals(OptionalDouble.of(1500), RateLadder.highestHeld(missed));
    }

    @Test
    void findMaxStaysBelowAGivenRateThatMissedAndStopsWhenNothingHeld() {
        var ladder = new RateLadder(List.of(100.0, 1000.0, 10000.0), true, 2);
        assertEquals(OptionalDouble.of(2000), ladder.next(runs(100, true, 1000, true, 10000, false)));
        assertEquals(OptionalDouble.of(8000), ladder.next(runs(100, true, 1000, true, 10000, false, 2000, true, 4000, true)));
        assertEquals(OptionalDouble.empty(), ladder.next(runs(100, true, 1000, true, 10000, false, 2000, true, 4000, true, 8000, true)),
                "16,000 is above 10,000, which missed");
        assertEquals(OptionalDouble.empty(), ladder.next(runs(100, false, 1000, false, 10000, false)));
        assertEquals(OptionalDouble.of(2), new RateLadder(List.of(1.0), true, 1.1).next(runs(1, true)), "a step is at least one root/s");
    }

    @Test
    void findMaxEndsAfterItsStepLimit() {
        var ladder = new RateLadder(List.of(1.0), true, 1.5);
        var done = runs(1, true);
        for (var next = ladder.next(done); next.isPresent(); next = ladder.next(done)) done.add(new RateLadder.Run(next.getAsDouble(), true));
        assertEquals(1 + RateLadder.MAX_STEPS, done.size());
        assertThrows(IllegalArgumentException.class, () -> new RateLadder(List.of(), true, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new RateLadder(List.of(10.0), true, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateLadder(List.of(-1.0), false, 1.5));
    }

    private static LiveBench.Result result(long roots, double p99, long firstLive, long lastLive, boolean delivered) {
        var d = new DeliveryDelays.Summary(10, 0, p99 / 2, p99, p99);
        return new LiveBench.Result(1000, roots, 0, 60, 0, Map.of(), Map.of(VL, d, TEMPO, new DeliveryDelays.Summary(10, 0, 1, 1, 1)), List.of(new HeapWatch.Peaks(firstLive, 0), new HeapWatch.Peaks(lastLive, 0)), 1, 0,
                "", "", delivered, "");
    }

    @Test
    void aRateHoldsWithinOnePercentUnderTwoSecondsP99WithEverythingDelivered() {
        long mb = 1 << 20;
        assertTrue(result(59_400, 1999, 100 * mb, 100 * mb, true).held(), "1% short and p99 just under 2 s hold");
        assertFalse(result(59_399, 1999, 100 * mb, 100 * mb, true).rateHeld());
        assertFalse(result(60_000, 2000, 100 * mb, 100 * mb, true).held(), "p99 of 2 s misses");
        assertEquals(2000, result(60_000, 2000, 100 * mb, 100 * mb, true).worstP99());
        assertFalse(result(60_000, 10, 100 * mb, 100 * mb, false).held(), "an undelivered record misses");
        assertEquals(-1.0, result(59_400, 10, mb, mb, true).deviationPercent(), 1e-9);
        assertTrue(result(60_000, 10, 100 * mb, 157 * mb, true).heapFlat());
        assertFalse(result(60_000, 10, 100 * mb, 158 * mb, true).heapFlat(), "more than x1.25 + 32 MB is growth");
        var none = new LiveBench.Result(1000, 60_000, 0, 60, 0, Map.of(), Map.of(VL, DeliveryDelays.Summary.NONE), List.of(), 1, 0, "", "", true, "");
        assertFalse(none.delayHeld(), "a store with no timed record cannot show its delay held");
    }
}
