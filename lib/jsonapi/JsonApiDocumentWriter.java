import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;

/**
 * Streams a JSON:API document file: a JSON array of {@code {"data": {"type": ..., "attributes": {...}}}}, laid out
 * byte for byte as the original toolchain wrote it (two-space indent, {@code ", "}-free layout, non-ASCII escaped
 * as {@code \\uXXXX}, no final newline). Attribute values are String, Long, BigInteger or Double.
 * <pre>
 * try (var w = new JsonApiDocumentWriter(Path.of("region.json"))) {
 *     w.write("region", List.of(new Attribute("provider_id", "prod:aws:111111111111"), new Attribute("name", "us-east-1")));
 * }
 * </pre>
 */
final class JsonApiDocumentWriter implements AutoCloseable {

    /** One attribute, in output order. */
    record Attribute(String name, Object value) {}

    private final Path path;
    private final OutputStream out;
    private long elements;
    private final StringBuilder buf = new StringBuilder(512);
    private byte[] bytes = new byte[1024];

    JsonApiDocumentWriter(Path path) {
        this.path = path;
        this.out = DataFile.out(path);
    }

    long elements() { return elements; }

    void write(String type, List<Attribute> attributes) {
        StringBuilder b = buf;
        b.setLength(0);
        b.append(elements == 0 ? "[\n" : ",\n");
        b.append("  {\n    \"data\": {\n      \"type\": ");
        string(b, type);
        b.append(",\n      \"attributes\": {");
        if (attributes.isEmpty()) {
            b.append('}');
        } else {
            for (int i = 0; i < attributes.size(); i++) {
                b.append(i == 0 ? "\n        " : ",\n        ");
                var a = attributes.get(i);
                string(b, a.name());
                b.append(": ");
                value(b, a.value());
            }
            b.append("\n      }");
        }
        b.append("\n    }\n  }");
        flush(b);
        elements++;
    }

    /** The text is pure ASCII (everything else is escaped), so chars go out as bytes without an encoder. */
    private void flush(CharSequence b) {
        int n = b.length();
        if (bytes.length < n) bytes = new byte[Math.max(n, bytes.length * 2)];
        for (int i = 0; i < n; i++) bytes[i] = (byte) b.charAt(i);
        try {
            out.write(bytes, 0, n);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": write failed (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void close() {
        flush(elements == 0 ? "[]" : "\n]");
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": write failed (" + e.getMessage() + ")", e);
        }
    }

    private static void value(StringBuilder b, Object v) {
        switch (v) {
            case String s -> string(b, s);
            case Long l -> b.append(l.longValue());
            case BigInteger i -> b.append(i);
            case Double d -> b.append(pythonFloat(d));
            default -> throw new IllegalArgumentException("unsupported attribute value " + v.getClass().getSimpleName());
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** A JSON string with every character outside printable ASCII escaped, as the original did. */
    static void string(StringBuilder b, String s) {
        b.append('"');
        int n = s.length();
        int clean = 0;
        while (clean < n) { // fast path: most cells need no escaping and go in with one append
            char c = s.charAt(clean);
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
            clean++;
        }
        b.append(s, 0, clean);
        for (int i = clean; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c >= 0x80) {
                        b.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /**
     * A double the way Python's {@code repr} prints it: shortest round-trip digits, fixed notation for exponents
     * -4..15 (always with a fraction, {@code 2.0}), otherwise {@code 1e-05} / {@code 1.5e+16}.
     */
    static String pythonFloat(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
        // Double.toString gives the shortest round-trip digits (JDK 19+); re-lay them out.
        var bd = new java.math.BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int exp = digits.length() - 1 - bd.scale(); // decimal exponent of the first digit
        var sb = new StringBuilder(24);
        if (d < 0) sb.append('-');
        if (exp >= -4 && exp < 16) {
            if (exp >= digits.length() - 1) {
                sb.append(digits).append("0".repeat(exp - (digits.length() - 1))).append(".0");
            } else if (exp >= 0) {
                sb.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, digits.length());
            } else {
                sb.append("0.").append("0".repeat(-exp - 1)).append(digits);
            }
        } else {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
            sb.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) sb.append('0');
            sb.append(a);
        }
        return sb.toString();
    }
}
