import com.fasterxml.jackson.core.JsonFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The 20 release labels of one release id ({@link ReleaseId#tags()}: 12 parts, 8 composite ids) as ready JSON bytes,
 * so a metric line pays for splitting, checking and escaping an id once per distinct id, not once per line. A line
 * writes its own labels first (where one has a release label's name, the release's value is written instead), then
 * {@link #rest} adds those it did not have, in {@code tags()} order.
 */
final class ReleaseLabelsJson {
    /** Distinct ids kept; past this the cache starts over (a year holds hundreds of releases, not this many). */
    private static final int MAX_CACHED = 1 << 16;
    private static final JsonFactory GENERATORS = new JsonFactory();
    private static final Map<String, Object> CACHE = new ConcurrentHashMap<>();
    /** Lookup only (never iterated): label name to its index in {@code tags()} order. */
    private static final Map<String, Integer> INDEX = new HashMap<>();

    static {
        for (int i = 0; i < ReleaseId.PART_NAMES.size(); i++) INDEX.put(ReleaseId.PART_NAMES.get(i), i);
        for (int i = 0; i < ReleaseId.COMPOSITE_NAMES.size(); i++) INDEX.put(ReleaseId.COMPOSITE_NAMES.get(i), ReleaseId.PART_NAMES.size() + i);
    }

    /** Quoted, escaped values in {@code tags()} order. */
    private final byte[][] values;
    /** {@code ,"name":"value"} of every label, in {@code tags()} order. */
    private final byte[][] pairs;
    /** The labels a line lacks, by the bit mask of those it has; one or two masks per data set in practice. */
    private final Map<Integer, byte[]> rests = new ConcurrentHashMap<>();

    private ReleaseLabelsJson(ReleaseId id) {
        var tags = id.tags();
        values = new byte[tags.size()][];
        pairs = new byte[tags.size()][];
        int i = 0;
        for (var e : tags.entrySet()) {
            values[i] = quoted(e.getValue());
            byte[] name = quoted(e.getKey());
            byte[] pair = new byte[1 + name.length + 1 + values[i].length];
            pair[0] = ',';
            System.arraycopy(name, 0, pair, 1, name.length);
            pair[1 + name.length] = ':';
            System.arraycopy(values[i], 0, pair, 2 + name.length, values[i].length);
            pairs[i++] = pair;
        }
    }

    /** The labels of {@code releaseId}; a bad id is an IllegalArgumentException saying what is wrong (also remembered). */
    static ReleaseLabelsJson of(String releaseId) {
        Object known = CACHE.get(releaseId);
        if (known == null) {
            try {
                known = new ReleaseLabelsJson(ReleaseId.parse(releaseId));
            } catch (IllegalArgumentException e) {
                known = e.getMessage();
            }
            if (CACHE.size() >= MAX_CACHED) CACHE.clear();
            CACHE.put(releaseId, known);
        }
        if (known instanceof String why) throw new IllegalArgumentException(why);
        return (ReleaseLabelsJson) known;
    }

    /** Index of a release label's name in {@code tags()} order, or -1 for any other label. */
    static int index(String label) {
        Integer i = INDEX.get(label);
        return i == null ? -1 : i;
    }

    /** The quoted value of label {@code index}. */
    byte[] value(int index) { return values[index]; }

    /** {@code ,"name":"value"} for every release label whose bit is not set in {@code present}. */
    byte[] rest(int present) {
        byte[] r = rests.get(present);
        if (r == null) {
            var out = new java.io.ByteArrayOutputStream(1024);
            for (int i = 0; i < pairs.length; i++) if ((present & (1 << i)) == 0) out.writeBytes(pairs[i]);
            r = out.toByteArray();
            rests.put(present, r);
        }
        return r;
    }

    /** {@code "s"} escaped as Jackson's generator writes it (so the bytes match what a tree-built line would be). */
    static byte[] quoted(String s) {
        var out = new java.io.ByteArrayOutputStream(s.length() + 16);
        try (var g = GENERATORS.createGenerator(out)) {
            g.writeString(s); // the generator escapes a surrogate pair as two escapes, not as 4 UTF-8 bytes
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** True when {@code s} can be written byte for byte between quotes (printable ASCII, no quote or backslash). */
    static boolean plain(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
        }
        return true;
    }
}
