import java.util.List;
import java.util.SortedMap;

/**
 * A query that proves an answer against one store, with what it must return: rows of labels and a count.
 * LogsQL (VictoriaLogs) and TraceQL (Tempo) cover [start, end); MetricsQL (VictoriaMetrics) is an instant query at
 * {@code end} whose range reaches back to {@code start}. TraceQL evidence names traces, not counts: no rows.
 */
record Evidence(Store store, String query, long startMicros, long endMicros, List<Row> rows) {

    enum Store {
        victorialogs("LogsQL"), victoriametrics("MetricsQL"), tempo("TraceQL");

        final String language;

        Store(String language) { this.language = language; }
    }

    /** One expected result row: its labels (the query's {@code by} fields) and its count. */
    record Row(SortedMap<String, String> labels, long value) {}

    Evidence {
        rows = List.copyOf(rows);
    }
}
