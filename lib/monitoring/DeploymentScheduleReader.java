import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Streams a {@code deployment_schedule.json} (written by the fixture step): {@code deployments} maps each
 * deployment id to its releases {release_id, build_num, created_at (naive ISO, UTC)}, and
 * {@code primary_deployment_targets} lists the targets whose rollouts are simulated. Memory stays flat: one
 * deployment is in memory at a time. Errors name the file and line.
 */
final class DeploymentScheduleReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    DeploymentScheduleReader(Path file) { this.file = file; }

    /** The primary target ids (env:provider:account:region:partition:type:target). */
    List<String> primaryTargets() {
        var out = new ArrayList<String>();
        withParser(p -> {
            expectTopObject(p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("primary_deployment_targets")) {
                    if (p.currentToken() != JsonToken.START_ARRAY) throw bad(p, "primary_deployment_targets must be an array");
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (p.currentToken() != JsonToken.VALUE_STRING) throw bad(p, "primary_deployment_targets must hold strings");
                        out.add(p.getText());
                    }
                } else p.skipChildren();
            }
        });
        return out;
    }

    /** Calls {@code each} with every deployment id and its releases, in file order. */
    void forEachDeployment(BiConsumer<String, List<ScheduledRelease>> each) {
        boolean[] found = {false};
        withParser(p -> {
            expectTopObject(p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (!name.equals("deployments")) {
                    p.skipChildren();
                    continue;
                }
                found[0] = true;
                if (p.currentToken() != JsonToken.START_OBJECT) throw bad(p, "deployments must be an object");
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String deploymentId = p.currentName();
                    p.nextToken();
                    int line = p.currentLocation().getLineNr();
                    JsonNode d = JSON.readTree(p);
                    JsonNode rels = d.get("releases");
                    if (rels == null || !rels.isArray()) throw new ScheduleException(file + ":" + line + ": deployment " + deploymentId + " has no releases array");
                    var list = new ArrayList<ScheduledRelease>(rels.size());
                    for (JsonNode r : rels) {
                        String id = r.path("release_id").asText("");
                        if (id.split(":", -1).length != 12)
                            throw new ScheduleException(file + ":" + line + ": release_id \"" + id + "\" of " + deploymentId + " does not have 12 parts");
                        if (!r.path("build_num").canConvertToLong())
                            throw new ScheduleException(file + ":" + line + ": release " + id + " has no integer build_num");
                        list.add(new ScheduledRelease(id, r.path("build_num").asLong(), micros(r.path("created_at").asText(""), line, id)));
                    }
                    each.accept(deploymentId, list);
                }
            }
        });
        if (!found[0]) throw new ScheduleException(file + ": no \"deployments\" object - is this a deployment_schedule.json?");
    }

    private long micros(String text, int line, String id) {
        try {
            LocalDateTime t = LocalDateTime.parse(text);
            return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1000;
        } catch (DateTimeParseException e) {
            throw new ScheduleException(file + ":" + line + ": created_at \"" + text + "\" of " + id + " is not an ISO date-time");
        }
    }

    private interface ParserBody { void read(JsonParser p) throws IOException; }

    private void withParser(ParserBody body) {
        if (!Files.isRegularFile(file)) throw new ScheduleException(file + ": deployment schedule not found");
        try (JsonParser p = new JsonFactory().createParser(DataFile.in(file))) {
            body.read(p);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new ScheduleException(file + (loc != null ? ":" + loc.getLineNr() : "") + ": not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new ScheduleException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private void expectTopObject(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) throw bad(p, "must hold one JSON object");
    }

    private ScheduleException bad(JsonParser p, String what) {
        return new ScheduleException(file + ":" + p.currentLocation().getLineNr() + ": " + what);
    }

    /** A schedule file that cannot be used; the message is one line. */
    static final class ScheduleException extends RuntimeException {
        ScheduleException(String message) { super(message); }
    }
}
