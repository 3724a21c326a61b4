import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Evaluates the part of LogsQL that rca-questions writes, from the query text, over records as VictoriaLogs stores
 * them (every field a string, {@code timestamp} as the time field): filters {@code _time:[start, end)},
 * {@code field:="exact"} and {@code field:*} (any non-empty value), joined by spaces (AND), then
 * {@code | stats by (f1, f2) count() name}. Anything else is refused, so a query outside the subset fails the test
 * instead of being half evaluated.
 */
final class LogsQlSubset {
    private final List<Filter> filters = new ArrayList<>();
    private final List<String> by = new ArrayList<>();
    private final String text;
    private int pos;

    private sealed interface Filter permits Time, Exact, Any {}
    private record Time(Instant from, Instant to) implements Filter {}
    private record Exact(String field, String value) implements Filter {}
    private record Any(String field) implements Filter {}

    LogsQlSubset(String query) {
        this.text = query;
        while (true) {
            skipSpaces();
            if (pos >= text.length()) throw new IllegalArgumentException("no stats pipe in: " + query);
            if (text.charAt(pos) == '|') break;
            filters.add(filter());
        }
        pos++;
        expectWord("stats");
        expectWord("by");
        skipSpaces();
        expect('(');
        while (true) {
            skipSpaces();
            by.add(name());
            skipSpaces();
            if (text.charAt(pos) == ')') break;
            expect(',');
        }
        pos++;
        expectWord("count()");
        skipSpaces();
        name(); // the result's name
        skipSpaces();
        if (pos != text.length()) throw new IllegalArgumentException("unexpected text at " + pos + " in: " + query);
    }

    /** Count per {@code by} fields over the records that pass every filter; a missing field groups as "". */
    Map<SortedMap<String, String>, Long> evaluate(Iterable<Map<String, String>> records) {
        var out = new java.util.HashMap<SortedMap<String, String>, Long>();
        for (var r : records) {
            if (!matches(r)) continue;
            SortedMap<String, String> key = new TreeMap<>();
            for (String f : by) key.put(f, r.getOrDefault(f, ""));
            out.merge(key, 1L, Long::sum);
        }
        return out;
    }

    private boolean matches(Map<String, String> r) {
        for (Filter f : filters) {
            boolean ok = switch (f) {
                case Time t -> {
                    Instant at = Instant.parse(r.get("timestamp"));
                    yield !at.isBefore(t.from()) && at.isBefore(t.to());
                }
                case Exact e -> e.value().equals(r.get(e.field()));
                case Any a -> r.get(a.field()) != null && !r.get(a.field()).isEmpty();
            };
            if (!ok) return false;
        }
        return true;
    }

    private Filter filter() {
        String field = name();
        expect(':');
        if (field.equals("_time")) {
            expect('[');
            int comma = text.indexOf(',', pos), close = text.indexOf(')', pos);
            if (comma < 0 || close < comma) throw new IllegalArgumentException("_time:[start, end) expected in: " + text);
            Instant from = Instant.parse(text.substring(pos, comma).trim()), to = Instant.parse(text.substring(comma + 1, close).trim());
            pos = close + 1;
            return new Time(from, to);
        }
        if (text.charAt(pos) == '*') {
            pos++;
            return new Any(field);
        }
        expect('=');
        return new Exact(field, quoted());
    }

    private String quoted() {
        expect('"');
        var sb = new StringBuilder();
        while (text.charAt(pos) != '"') {
            char c = text.charAt(pos++);
            sb.append(c == '\\' ? text.charAt(pos++) : c);
        }
        pos++;
        return sb.toString();
    }

    private String name() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
        if (start == pos) throw new IllegalArgumentException("a field name expected at " + start + " in: " + text);
        return text.substring(start, pos);
    }

    private void expectWord(String w) {
        skipSpaces();
        if (!text.startsWith(w, pos)) throw new IllegalArgumentException("\"" + w + "\" expected at " + pos + " in: " + text);
        pos += w.length();
    }

    private void expect(char c) {
        if (pos >= text.length() || text.charAt(pos) != c) throw new IllegalArgumentException("'" + c + "' expected at " + pos + " in: " + text);
        pos++;
    }

    private void skipSpaces() {
        while (pos < text.length() && text.charAt(pos) == ' ') pos++;
    }
}
