import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Small generated datasets for the generator tests, and ways to read them back. */
final class MonitoringTestData {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path MODEL = KitLayout.ROOT.resolve("fixtures/social_network");

    private MonitoringTestData() {}

    static MonitoringGeneration.Report generate(Path model, Path out, long roots, int users, int workers, int files,
                                                boolean extended, Path schedule, String end, String duration) {
        var req = MonitoringGeneration.request(model, roots, users, out, 7, workers, files, schedule, "jsonl",
                extended ? "extended" : "seed", null, end, null, duration);
        return MonitoringGeneration.run(req, true);
    }

    /** A copy of the shipped model where incidents are frequent, long and fail most requests. */
    static Path hotModel(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String f : PlatformModelLoader.FILES) Files.copy(MODEL.resolve(f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            ObjectNode infra = (ObjectNode) JSON.readTree(dir.resolve("infrastructure.json").toFile());
            ((ObjectNode) infra.get("incidents")).putArray("per_component_per_year").add(400).add(400);
            ((ObjectNode) infra.get("incidents")).putArray("duration_minutes").add(60).add(240);
            infra.get("components").fields().forEachRemaining(e -> ((ObjectNode) e.getValue()).put("failure_rate", 0.3));
            JSON.writeValue(dir.resolve("infrastructure.json").toFile(), infra);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void eachLine(Path file, Consumer<JsonNode> each) {
        try (var r = Files.newBufferedReader(file)) {
            String line;
            while ((line = r.readLine()) != null) each.accept(JSON.readTree(line));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> lines(Path dir, String prefix) {
        var out = new ArrayList<JsonNode>();
        try (var list = Files.list(dir)) {
            list.filter(p -> p.getFileName().toString().startsWith(prefix + "_")).sorted().forEach(p -> eachLine(p, out::add));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static List<String> keys(JsonNode n) {
        var out = new ArrayList<String>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static long micros(String iso) {
        var i = java.time.Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }
}
