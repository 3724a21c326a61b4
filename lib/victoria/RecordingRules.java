//SOURCES ../monitoring/Scenario.java ../monitoring/UniformRange.java
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A vmalert rules file as far as a replay needs it: the series its recording rules write and the evaluation
 * interval (the smallest of its groups': replayed windows are aligned to it).
 */
record RecordingRules(Path file, List<String> records, Duration interval) {
    static RecordingRules read(Path file) {
        JsonNode doc;
        try {
            doc = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read a vmalert rules file: " + e.getMessage(), e);
        }
        var records = new ArrayList<String>();
        Duration interval = null;
        for (JsonNode g : doc == null ? List.<JsonNode>of() : doc.path("groups")) {
            // vmalert's -evaluationInterval default
            Duration d = Scenario.parseDuration(g.path("interval").asText("1m"), file + ": group " + g.path("name").asText() + ": interval");
            for (JsonNode r : g.path("rules")) {
                if (!r.hasNonNull("record")) continue;
                records.add(r.get("record").asText());
                if (interval == null || d.compareTo(interval) < 0) interval = d;
            }
        }
        if (records.isEmpty()) throw new IllegalArgumentException(file + ": no recording rules (groups[].rules[].record)");
        return new RecordingRules(file, List.copyOf(records), interval);
    }

    /** A selector of every series the rules record. */
    String selector() {
        return "{__name__=~\"" + String.join("|", records) + "\"}"; // metric names hold no regex characters
    }
}
