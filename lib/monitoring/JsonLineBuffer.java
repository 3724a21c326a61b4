import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that JSON lines are written into by hand: pre-encoded fragments, lowercase hex from
 * random longs, integers, 2-decimal numbers and timestamps, with no per-line objects. Reused between chunks.
 */
final class JsonLineBuffer {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    byte[] bytes;
    int length;

    JsonLineBuffer(int capacity) { bytes = new byte[capacity]; }

    void clear() { length = 0; }

    private void ensure(int extra) {
        if (length + extra > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
    }

    JsonLineBuffer put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
        return this;
    }

    JsonLineBuffer put(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, length, len);
        length += len;
        return this;
    }

    JsonLineBuffer put(JsonLineBuffer other) { return put(other.bytes, 0, other.length); }

    JsonLineBuffer put(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** An ASCII string known to need no escaping (field names, fixed words). */
    JsonLineBuffer ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) bytes[length++] = (byte) s.charAt(i);
        return this;
    }

    /** {@code digits} lowercase hex characters from the low bits of {@code v} (at most 16). */
    JsonLineBuffer hex(long v, int digits) {
        ensure(digits);
        for (int i = digits - 1; i >= 0; i--) {
            bytes[length + i] = HEX[(int) (v & 15)];
            v >>>= 4;
        }
        length += digits;
        return this;
    }

    JsonLineBuffer number(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) return ascii("-9223372036854775808");
            put('-');
            v = -v;
        }
        int digits = 1;
        for (long x = v; x >= 10; x /= 10) digits++;
        ensure(digits);
        int end = length + digits;
        for (int i = end - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        length = end;
        return this;
    }

    /** The first {@code n} values of {@code vs}, comma-separated, room made once (the native lines' long arrays). */
    JsonLineBuffer numbers(long[] vs, int n) {
        ensure(n * 21);
        for (int s = 0; s < n; s++) {
            if (s > 0) bytes[length++] = ',';
            long v = vs[s];
            if (v < 0) {
                number(v);
                continue;
            }
            int digits = 1;
            for (long x = v; x >= 10; x /= 10) digits++;
            int end = length + digits;
            for (int i = end - 1; i >= length; i--) {
                bytes[i] = (byte) ('0' + (v % 10));
                v /= 10;
            }
            length = end;
        }
        return this;
    }

    /**
     * A value in hundredths written the way a float with 2 decimals prints: {@code 96.72}, {@code 96.7},
     * {@code 96.0}.
     */
    JsonLineBuffer hundredths(long cents) {
        if (cents < 0) {
            put('-');
            cents = -cents;
        }
        number(cents / 100);
        int frac = (int) (cents % 100);
        ensure(3);
        bytes[length++] = '.';
        bytes[length++] = (byte) ('0' + frac / 10);
        if (frac % 10 != 0) bytes[length++] = (byte) ('0' + frac % 10);
        return this;
    }

    /** {@code v / 10^scale} with no trailing zeros: {@code decimal(16388, 5)} is {@code 0.16388}, {@code decimal(3000, 3)} is {@code 3}. */
    JsonLineBuffer decimal(long v, int scale) {
        if (v < 0) {
            put('-');
            v = -v;
        }
        long unit = 1;
        for (int i = 0; i < scale; i++) unit *= 10;
        number(v / unit);
        long frac = v % unit;
        if (frac == 0) return this;
        int digits = scale;
        while (frac % 10 == 0) {
            frac /= 10;
            digits--;
        }
        ensure(digits + 1);
        bytes[length++] = '.';
        for (int d = digits - 1; d >= 0; d--) {
            bytes[length + d] = (byte) ('0' + frac % 10);
            frac /= 10;
        }
        length += digits;
        return this;
    }

    /** A whole number written as a float: {@code 512.0}. */
    JsonLineBuffer wholeFloat(long v) {
        number(v);
        ensure(2);
        bytes[length++] = '.';
        bytes[length++] = '0';
        return this;
    }

    /** Epoch microseconds as seconds with 6 decimals: {@code 1790354537.330903}. */
    JsonLineBuffer epochSeconds(long micros) {
        number(Math.floorDiv(micros, 1_000_000L));
        int frac = (int) Math.floorMod(micros, 1_000_000L);
        ensure(7);
        bytes[length++] = '.';
        for (int d = 100_000; d > 0; d /= 10) bytes[length++] = (byte) ('0' + (frac / d) % 10);
        return this;
    }

    /** Epoch microseconds as {@code 2026-09-25T16:42:17.330903Z}. */
    JsonLineBuffer isoMicros(long micros) {
        long secs = Math.floorDiv(micros, 1_000_000L);
        int frac = (int) Math.floorMod(micros, 1_000_000L);
        long days = Math.floorDiv(secs, 86_400L);
        int sod = (int) Math.floorMod(secs, 86_400L);
        // civil from days (proleptic Gregorian)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int d = (int) (doy - (153 * mp + 2) / 5 + 1);
        int m = (int) (mp < 10 ? mp + 3 : mp - 9);
        if (m <= 2) y++;
        ensure(27);
        int year = (int) y;
        byte[] b = bytes;
        int p = length;
        b[p++] = (byte) ('0' + year / 1000 % 10);
        b[p++] = (byte) ('0' + year / 100 % 10);
        b[p++] = (byte) ('0' + year / 10 % 10);
        b[p++] = (byte) ('0' + year % 10);
        b[p++] = '-';
        b[p++] = (byte) ('0' + m / 10);
        b[p++] = (byte) ('0' + m % 10);
        b[p++] = '-';
        b[p++] = (byte) ('0' + d / 10);
        b[p++] = (byte) ('0' + d % 10);
        b[p++] = 'T';
        int h = sod / 3600, mi = sod / 60 % 60, s = sod % 60;
        b[p++] = (byte) ('0' + h / 10);
        b[p++] = (byte) ('0' + h % 10);
        b[p++] = ':';
        b[p++] = (byte) ('0' + mi / 10);
        b[p++] = (byte) ('0' + mi % 10);
        b[p++] = ':';
        b[p++] = (byte) ('0' + s / 10);
        b[p++] = (byte) ('0' + s % 10);
        b[p++] = '.';
        for (int dv = 100_000; dv > 0; dv /= 10) b[p++] = (byte) ('0' + (frac / dv) % 10);
        b[p++] = 'Z';
        length = p;
        return this;
    }

    /** {@code s} as JSON string content (no quotes), escaped. */
    static byte[] escaped(String s) {
        var sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code s} as a quoted JSON string, or {@code null}. */
    static byte[] quoted(String s) {
        if (s == null) return "null".getBytes(StandardCharsets.US_ASCII);
        byte[] e = escaped(s);
        byte[] out = new byte[e.length + 2];
        out[0] = '"';
        System.arraycopy(e, 0, out, 1, e.length);
        out[out.length - 1] = '"';
        return out;
    }

    static byte[] bytes(String ascii) { return ascii.getBytes(StandardCharsets.UTF_8); }
}
