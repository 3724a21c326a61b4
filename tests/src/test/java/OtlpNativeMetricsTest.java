import static org.junit.jupiter.api.Assertions.*;

import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Native import lines into OTLP metrics, line by line: a histogram is assembled from its bucket, sum and count lines
 * and an exemplar lands on its point; what does not fit (an exemplar without its point, a histogram cut short,
 * buckets that do not add up) is reported, never dropped.
 */
class OtlpNativeMetricsTest {
    private static final String DEPLOYMENT = "\"environment\":\"prod\",\"provider\":\"aws\",\"account\":\"1\",\"region\":\"r\",\"partition\":\"p\","
            + "\"target_type\":\"eks\",\"target\":\"main\",\"application\":\"social\",\"tag\":\"default\",\"deployment_id\":\"prod:aws:1:r:p:eks:main:social:content:media:default\"";
    private static final String PROM = "service=\"media\",stack=\"content\",action=\"upload\",success=\"true\",environment=\"prod\",provider=\"aws\","
            + "account=\"1\",region=\"r\",partition=\"p\",target_type=\"eks\",target=\"main\",application=\"social\",tag=\"default\","
            + "deployment_id=\"prod:aws:1:r:p:eks:main:social:content:media:default\"";

    private static String line(String name, String le, String values) {
        return "{\"metric\":{\"__name__\":\"" + name + "\",\"service\":\"media\",\"stack\":\"content\",\"action\":\"upload\",\"success\":\"true\""
                + (le == null ? "" : ",\"le\":\"" + le + "\"") + "," + DEPLOYMENT + "},\"values\":[" + values + "],\"timestamps\":[1000,16000]}";
    }

    private static List<OtlpNativeMetrics.Series> read(OtlpNativeMetrics m, String... lines) throws Exception {
        var out = new ArrayList<OtlpNativeMetrics.Series>();
        long n = 0;
        for (String l : lines) {
            var s = m.line(new JsonLinesReader.Line(Path.of("native_metrics_0.jsonl"), ++n, l));
            if (s != null) out.add(s);
        }
        return out;
    }

    @Test
    void bucketsSumAndCountMakeOneHistogramWithTheExemplarOnItsPoint() throws Exception {
        var m = new OtlpNativeMetrics(500_000_000L);
        var series = read(m, line("requests_total", null, "0,3"), line("request_duration_seconds_bucket", "0.1", "0,1"),
                line("request_duration_seconds_bucket", "1", "0,2"), line("request_duration_seconds_bucket", "+Inf", "0,3"),
                line("request_duration_seconds_sum", null, "0,2.75"), line("request_duration_seconds_count", null, "0,3"));
        assertEquals(2, series.size(), "the counter at once, the histogram at its _count line");
        assertTrue(m.unfinished().isEmpty());
        var missed = OtlpNativeMetrics.exemplars("# TYPE request_duration_seconds histogram\nrequest_duration_seconds_bucket{" + PROM
                + ",le=\"+Inf\"} 3 16 # {trace_id=\"0123456789abcdef0123456789abcdef\"} 1.5 15.25\n"
                + "request_duration_seconds_bucket{" + PROM + ",le=\"1\"} 2 31 # {trace_id=\"0123456789abcdef0123456789abcdef\"} 0.5 30.5\n", series);
        assertEquals(1, missed.size(), "the exemplar at 31 s has no point: " + missed);
        assertTrue(missed.get(0).contains("no histogram point"), missed.get(0));

        Metric counter = series.get(0).done().metric();
        assertEquals(List.of(0L, 3L), counter.getSum().getDataPointsList().stream().map(p -> p.getAsInt()).toList());
        assertEquals(500_000_000L, counter.getSum().getDataPoints(1).getStartTimeUnixNano());
        assertEquals(16_000_000_000L, counter.getSum().getDataPoints(1).getTimeUnixNano());

        var done = series.get(1).done();
        assertEquals(2, done.points());
        Metric h = done.metric();
        assertEquals("request_duration_seconds", h.getName());
        assertEquals("s", h.getUnit());
        HistogramDataPoint p = h.getHistogram().getDataPoints(1);
        assertEquals(List.of(0.1, 1.0), p.getExplicitBoundsList());
        assertEquals(List.of(1L, 1L, 1L), p.getBucketCountsList(), "per bucket, no longer cumulative");
        assertEquals(3, p.getCount());
        assertEquals(2.75, p.getSum());
        assertEquals(1, p.getExemplarsCount());
        assertEquals("0123456789abcdef0123456789abcdef", HexFormat.of().formatHex(p.getExemplars(0).getTraceId().toByteArray()));
        assertEquals(1.5, p.getExemplars(0).getAsDouble());
        assertEquals(15_250_000_000L, p.getExemplars(0).getTimeUnixNano());
        assertEquals(0, h.getHistogram().getDataPoints(0).getExemplarsCount());
        assertEquals(List.of("action", "success"), p.getAttributesList().stream().map(a -> a.getKey()).toList(), "the deployment is the resource");
        assertEquals("social:content:media", done.resource().getAttributes(0).getValue().getStringValue());
    }

    @Test
    void aHistogramCutShortOrNotAddingUpIsReported() throws Exception {
        var m = new OtlpNativeMetrics(0);
        assertTrue(read(m, line("request_duration_seconds_bucket", "0.1", "0,1"), line("request_duration_seconds_bucket", "+Inf", "0,3")).isEmpty());
        assertEquals(1, m.unfinished().size());
        assertTrue(m.unfinished().get(0).startsWith("native_metrics_0.jsonl:1: "), m.unfinished().get(0));

        var bad = new OtlpNativeMetrics(0);
        var e = assertThrows(JsonLinesReader.BadLineException.class, () -> read(bad, line("request_duration_seconds_bucket", "+Inf", "0,3"),
                line("request_duration_seconds_sum", null, "0,1"), line("request_duration_seconds_count", null, "0,4")));
        assertTrue(e.getMessage().contains("+Inf bucket 3 != count 4"), e.getMessage());
        var down = new OtlpNativeMetrics(0);
        e = assertThrows(JsonLinesReader.BadLineException.class, () -> read(down, line("request_duration_seconds_bucket", "0.1", "0,2"),
                line("request_duration_seconds_bucket", "+Inf", "0,1"), line("request_duration_seconds_sum", null, "0,1"),
                line("request_duration_seconds_count", null, "0,1")));
        assertTrue(e.getMessage().contains("cumulative buckets go down"), e.getMessage());
    }
}
