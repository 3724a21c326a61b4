import static org.junit.jupiter.api.Assertions.*;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Binary COPY sends doubles parsed in Java: the fast path must give exactly the double Double.parseDouble gives. */
class CopySinkDecimalTest {

    private static void same(String text) {
        assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)), Double.doubleToRawLongBits(CopySink.parseDecimal(text)), text);
    }

    @Test
    void edgeCasesParseLikeDoubleParseDouble() {
        for (String s : new String[]{"0", "-0", "+0", "0.0", "-0.0", "1.", ".5", "-.5", "4.85005", "2.42503", "9999.99", "10000",
                "123456789012345", "1234567890123456", "0.000000000000001", "0.1", "0.3", "1e5", "1.5E-3", "NaN", "-Infinity",
                "999999999999999", "0.999999999999999", "00000000000000012.5"}) {
            same(s);
        }
        assertThrows(NumberFormatException.class, () -> CopySink.parseDecimal(""));
        assertThrows(NumberFormatException.class, () -> CopySink.parseDecimal("-"));
        assertThrows(NumberFormatException.class, () -> CopySink.parseDecimal("1.2.3"));
        assertThrows(NumberFormatException.class, () -> CopySink.parseDecimal("abc"));
    }

    @Test
    void randomDecimalsParseLikeDoubleParseDouble() {
        var r = new SplittableRandom(42);
        for (int i = 0; i < 50_000; i++) {
            double v = (r.nextDouble() - 0.2) * Math.pow(10, r.nextInt(-6, 12));
            same(String.format(Locale.ROOT, "%." + r.nextInt(0, 16) + "f", v));
            same(String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+$", ""));
            same(Long.toString(r.nextLong(1_000_000_000_000_000L)));
        }
    }
}
