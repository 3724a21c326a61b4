import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void delaysGrowByTheFactorUntilTheCap() {
        var b = new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(5), 10, 0, 1);
        assertEquals(1000, b.delay(1, null).toMillis());
        assertEquals(2000, b.delay(2, null).toMillis());
        assertEquals(4000, b.delay(3, null).toMillis());
        assertEquals(5000, b.delay(4, null).toMillis());
        assertEquals(5000, b.delay(9, null).toMillis());
    }

    @Test
    void jitterStaysWithinItsBandAndRepeatsForTheSameSeed() {
        var b = Backoff.standard();
        for (int attempt = 1; attempt < 8; attempt++) {
            long plain = new Backoff(b.first(), b.factor(), b.max(), b.maxAttempts(), 0, 1).delay(attempt, null).toMillis();
            long jittered = b.delay(attempt, null).toMillis();
            assertTrue(Math.abs(jittered - plain) <= plain * 0.2 + 1, attempt + ": " + jittered + " vs " + plain);
            assertEquals(jittered, Backoff.standard().delay(attempt, null).toMillis());
        }
    }

    @Test
    void retryAfterIsHonouredWhenLonger() {
        var b = new Backoff(Duration.ofMillis(100), 2, Duration.ofSeconds(30), 5, 0, 1);
        assertEquals(7000, b.delay(1, Backoff.retryAfter("7")).toMillis());
        assertEquals(100, b.delay(1, Backoff.retryAfter("0")).toMillis());
        assertNull(Backoff.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT"));
    }

    @Test
    void impossibleSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1), 3, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1), 3, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Backoff.standard().withMaxAttempts(0));
    }
}
