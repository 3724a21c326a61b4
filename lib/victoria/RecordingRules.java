import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A vmalert rules file as far as a replay needs it: the series its recording rules write and the evaluation
 * interval (the smallest of its groups': replayed windows are aligned to it).
 */
record RecordingRules(Path file, List<String> records, Duration interval) {
    private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd])");

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
            String text = g.path("interval").asText("1m"); // vmalert's -evaluationInterval default
            Duration d = duration(text);
            if (d == null) throw new IllegalArgumentException(file + ": group " + g.path("name").asText() + ": interval '" + text + "' is not like 1h, 5m, 30s");
            for (JsonNode r : g.path("rules")) {
                if (!r.hasNonNull("record")) continue;
                records.add(r.get("record").asText());
                if (interval == null || d.compareTo(interval) < 0) interval = d;
            }
        }
        if (records.isEmpty()) throw new IllegalArgumentException(file + ": no recording rules (groups[].rules[].record)");
        return new RecordingRules(file, List.copyOf(records), interval);
    }

    /** A Prometheus-style duration of one unit (90s, 5m, 1h, 1d); null when it is not one. */
    static Duration duration(String text) {
        var m = DURATION.matcher(text.strip());
        if (!m.matches()) return null;
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** A selector of every series the rules record. */
    String selector() {
        return "{__name__=~\"" + String.join("|", records) + "\"}"; // metric names hold no regex characters
    }
}
