import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ground truth as VictoriaMetrics import lines, so Grafana can draw it as annotations over the data: one series
 * per window, {@code ground_truth_incident}, {@code ground_truth_deployment} or {@code ground_truth_burst}, labelled
 * with what was injected (component, release, ...), value 1 at the window's start, every {@code step} inside it and
 * at its end, then 0 a millisecond later, so a range query shows the window as a run of ones and nothing after it.
 */
final class GroundTruthSeries {
    private static final JsonFactory JSON = new JsonFactory();
    private final long stepMillis;

    GroundTruthSeries(long stepMillis) {
        if (stepMillis < 1000) throw new IllegalArgumentException("series step must be at least 1 s, got " + stepMillis + " ms");
        this.stepMillis = stepMillis;
    }

    List<String> lines(GroundTruth truth) {
        var out = new ArrayList<String>();
        for (GroundTruth.Incident i : truth.incidents()) {
            var labels = new LinkedHashMap<String, String>();
            labels.put("__name__", "ground_truth_incident");
            labels.put("incident_id", Integer.toString(i.id()));
            labels.put("component", i.component());
            labels.put("error_type", i.errorType());
            labels.put("services", String.join(",", i.affectedServices()));
            out.add(line(labels, i.startMicros(), i.endMicros()));
        }
        for (GroundTruth.Deployment d : truth.deployments()) {
            var labels = new LinkedHashMap<String, String>();
            labels.put("__name__", "ground_truth_deployment");
            labels.put("release_id", d.releaseId());
            labels.put("deployment_id", d.deploymentId());
            labels.put("stack", d.stack());
            labels.put("service", d.service());
            out.add(line(labels, d.startMicros(), d.endMicros()));
        }
        int n = 0;
        for (GroundTruth.Burst b : truth.bursts()) {
            var labels = new LinkedHashMap<String, String>();
            labels.put("__name__", "ground_truth_burst");
            labels.put("burst", Integer.toString(++n));
            labels.put("traffic_factor", Double.toString(b.trafficFactor()));
            out.add(line(labels, b.startMicros(), b.endMicros()));
        }
        return out;
    }

    private String line(Map<String, String> labels, long startMicros, long endMicros) {
        long start = Math.floorDiv(startMicros, 1000), end = Math.floorDiv(endMicros, 1000);
        var times = new ArrayList<Long>();
        for (long t = start; t < end; t += stepMillis) times.add(t);
        times.add(end);
        var out = new StringWriter(256 + times.size() * 20);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("metric");
            for (var l : labels.entrySet()) g.writeStringField(l.getKey(), l.getValue());
            g.writeEndObject();
            g.writeArrayFieldStart("values");
            for (int k = 0; k < times.size(); k++) g.writeNumber(1);
            g.writeNumber(0);
            g.writeEndArray();
            g.writeArrayFieldStart("timestamps");
            for (long t : times) g.writeNumber(t);
            g.writeNumber(end + 1);
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
