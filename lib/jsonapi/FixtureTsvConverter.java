import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Turns one numbered fixture TSV file into its JSON:API document file, row by row (streaming, constant memory).
 * The {@code # Format:} header, when present, fixes how many cells a row has; its leading columns must be the
 * table's columns (extra trailing ones, like {@code native_id} in the original's hand-written files, are read and
 * not sent). Cells map to attributes by position: {@code _}-prefixed columns are skipped, empty cells left out,
 * {@code build_num} and {@code value} become numbers, a missing {@code tag} becomes {@code default}.
 * A row that the REST API would refuse or mis-file (wrong cell count, an id with the wrong number of parts,
 * a missing id part, a non-numeric number) is reported with {@code file:line} and skipped.
 */
final class FixtureTsvConverter {

    /** What one file gave: rows read, documents written, rows refused; {@code ignoredColumns} come from the header. */
    record FileResult(JsonApiTable table, Path tsv, Path json, long rows, long written, long bad, List<String> ignoredColumns) {}

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    private FixtureTsvConverter() {}

    /** Header column names compare without {@code _} prefix and {@code _json} suffix ({@code defaults_json} = {@code defaults}). */
    static String normalized(String column) {
        String c = column.strip().toLowerCase(Locale.ROOT);
        if (c.startsWith("_")) c = c.substring(1);
        if (c.endsWith("_json")) c = c.substring(0, c.length() - 5);
        return c;
    }

    static FileResult convert(Path tsv, JsonApiTable table, Path json, Consumer<BadTsvLine> badSink) {
        List<String> columns = table.columns();
        int expected = columns.size();
        List<String> ignored = List.of();
        boolean headerSeen = false, dataSeen = false;
        long rows = 0, bad = 0, lineNo = 0;
        var attributes = new ArrayList<JsonApiDocumentWriter.Attribute>(columns.size() + 1);
        var cells = new ArrayList<String>(columns.size() + 4);
        boolean hasTag = columns.contains("tag");
        try (BufferedReader in = DataFile.reader(tsv); var out = new JsonApiDocumentWriter(json)) {
            String text;
            while ((text = in.readLine()) != null) {
                lineNo++;
                String stripped = text.strip();
                if (stripped.isEmpty()) continue;
                if (stripped.charAt(0) == '#') {
                    if (!headerSeen && !dataSeen && stripped.regionMatches(true, 0, "# Format:", 0, 9)) {
                        headerSeen = true;
                        List<String> header = List.of(stripped.substring(9).strip().split("\t"));
                        String mismatch = headerMismatch(header, columns);
                        if (mismatch != null) {
                            badSink.accept(new BadTsvLine(tsv, lineNo, mismatch + " (table " + table.resource()
                                    + " expects " + String.join(", ", columns) + ") - file skipped"));
                            return new FileResult(table, tsv, json, 0, 0, 1, List.of());
                        }
                        expected = header.size();
                        if (header.size() > columns.size()) ignored = header.subList(columns.size(), header.size());
                    }
                    continue;
                }
                dataSeen = true;
                rows++;
                String body = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                split(body, cells);
                String problem = cells.size() != expected
                        ? cells.size() + " cells, expected " + expected + " (" + String.join(", ", columns) + ")"
                        : toAttributes(table, cells, attributes, hasTag);
                if (problem != null) {
                    bad++;
                    badSink.accept(new BadTsvLine(tsv, lineNo, problem));
                    continue;
                }
                out.write(table.resource(), attributes);
            }
            return new FileResult(table, tsv, json, rows, out.elements(), bad, ignored);
        } catch (IOException e) {
            throw new UncheckedIOException(tsv + ":" + lineNo + ": read failed (" + e.getMessage() + ")", e);
        }
    }

    private static String headerMismatch(List<String> header, List<String> columns) {
        int n = Math.min(header.size(), columns.size());
        for (int i = 0; i < n; i++) {
            if (!normalized(header.get(i)).equals(normalized(columns.get(i)))) {
                return "# Format: column " + (i + 1) + " is \"" + header.get(i).strip() + "\", expected \"" + columns.get(i) + "\"";
            }
        }
        return null;
    }

    private static void split(String line, List<String> cells) {
        cells.clear();
        int start = 0, tab;
        while ((tab = line.indexOf('\t', start)) >= 0) {
            cells.add(line.substring(start, tab));
            start = tab + 1;
        }
        cells.add(line.substring(start));
    }

    /** Fills {@code out} from the cells; answers the reason the row cannot be sent, or null. */
    static String toAttributes(JsonApiTable table, List<String> cells, List<JsonApiDocumentWriter.Attribute> out, boolean hasTag) {
        out.clear();
        List<String> columns = table.columns();
        boolean tagSeen = false;
        for (int i = 0; i < columns.size(); i++) {
            String column = columns.get(i);
            String cell = cells.get(i);
            if (column.charAt(0) == '_') continue;
            if (cell.isEmpty()) {
                if (!column.equals("tag") && (table.idRule().contains(column) || table.isLink())) {
                    return column + " is empty but is part of the " + table.resource() + " id";
                }
                continue;
            }
            Object value = cell;
            switch (column) {
                case "build_num" -> {
                    value = integer(cell);
                    if (value == null) return "build_num \"" + cell + "\" is not an integer";
                }
                case "value" -> {
                    value = number(cell);
                    if (value == null) return "value \"" + cell + "\" is not a number";
                }
                case "watermark" -> {
                    if (!cell.equals("HIGH") && !cell.equals("LOW")) return "watermark \"" + cell + "\" is neither HIGH nor LOW";
                }
                case "tag" -> tagSeen = true;
                default -> {
                    String problem = idProblem(table, column, cell);
                    if (problem != null) return problem;
                }
            }
            out.add(new JsonApiDocumentWriter.Attribute(column, value));
        }
        if (hasTag && !tagSeen) out.add(new JsonApiDocumentWriter.Attribute("tag", "default"));
        return null;
    }

    /** Why {@code cell} is not a well-formed id for the resource {@code column} names, or null. */
    static String idProblem(JsonApiTable table, String column, String cell) {
        String target = table.referencedResource(column);
        if (target == null) return null;
        for (int i = 0; i < cell.length(); i++) {
            if (Character.isWhitespace(cell.charAt(i))) return column + " \"" + cell + "\" contains whitespace";
        }
        if (target.equals("release")) {
            try {
                ReleaseId.parse(cell);
                return null;
            } catch (IllegalArgumentException e) {
                return column + ": " + e.getMessage();
            }
        }
        int parts = 1;
        char prev = ':';
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c == ':') {
                if (prev == ':') return column + " \"" + cell + "\" has an empty part";
                parts++;
            }
            prev = c;
        }
        if (prev == ':') return column + " \"" + cell + "\" has an empty part";
        int want = JsonApiTable.ID_PARTS.get(target);
        if (parts != want) {
            return column + " \"" + cell + "\" has " + parts + " part" + (parts == 1 ? "" : "s") + ", a " + target
                    + " id has " + want;
        }
        return null;
    }

    private static Object integer(String cell) {
        if (!INTEGER.matcher(cell).matches()) return null;
        try {
            return Long.parseLong(cell);
        } catch (NumberFormatException e) {
            return new BigInteger(cell);
        }
    }

    /** Integer unless the text has a fraction or an exponent ({@code %.6g} prints 1e+06). */
    private static Object number(String cell) {
        if (cell.indexOf('.') < 0 && cell.indexOf('e') < 0 && cell.indexOf('E') < 0) return integer(cell);
        return DECIMAL.matcher(cell).matches() ? (Object) Double.parseDouble(cell) : null;
    }
}
