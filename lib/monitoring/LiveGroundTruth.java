import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code incidents.jsonl}, the ground truth of a live run, one JSON object a line, written to disk the moment it
 * happens so that a reader can follow it ({@code tail -f}): {@code live_start}; {@code incident_start} /
 * {@code incident_end}, {@code deployment_start} / {@code deployment_end}, {@code burst_start} / {@code burst_end}
 * as wall time passes them (planned ones and injected ones alike, {@code "injected": true} for a drill); and
 * {@code live_end}. Each line has {@code "event"} and {@code "time"} first; an end line of something the run's stop
 * cut short has {@code "stopped": true}.
 */
final class LiveGroundTruth implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final FileChannel channel;
    private long lines;

    LiveGroundTruth(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    Path file() { return file; }

    long lines() { return lines; }

    /** Writes one line: {@code event}, {@code time}, then the fields in the order given. */
    void write(String event, long timeMicros, Map<String, Object> fields) {
        var m = new LinkedHashMap<String, Object>();
        m.put("event", event);
        m.put("time", GroundTruthFile.iso(timeMicros));
        m.putAll(fields);
        try {
            ByteBuffer b = ByteBuffer.wrap((JSON.writeValueAsString(m) + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) channel.write(b);
            lines++;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    /** The fields of an incident's start line. */
    static Map<String, Object> incident(GenerationPlan plan, Incident i, boolean injected) {
        var m = new LinkedHashMap<String, Object>();
        m.put("id", i.id());
        m.put("component", i.component().name());
        m.put("description", i.component().description());
        m.put("start", GroundTruthFile.iso(i.startMicros()));
        m.put("end", GroundTruthFile.iso(i.endMicros()));
        m.put("failure_rate", i.failureRate());
        m.put("cascade_failure_rate", plan.incidents.cascadeRate(i));
        m.put("error_type", i.component().errorType());
        m.put("error_codes", i.component().errorCodes());
        m.put("error_source", "infrastructure:" + i.component().name());
        m.put("affected_services", i.component().services());
        m.put("cascade_callers", callers(plan, i.component()));
        m.put("injected", injected);
        return m;
    }

    /** The services whose documented dependencies include one of the component's services, in model order. */
    static List<String> callers(GenerationPlan plan, InfraComponent c) {
        List<String> out = new ArrayList<>();
        plan.model.dependencies().forEach((caller, callees) -> {
            for (String s : callees) if (c.services().contains(s) && !out.contains(caller)) out.add(caller);
        });
        return out;
    }

    /** The fields of a deployment window's lines. */
    static Map<String, Object> deployment(DeploymentWindow w, boolean injected) {
        var m = GroundTruthFile.deployment(w);
        m.put("injected", injected);
        return m;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot finish writing (" + e.getMessage() + ")", e);
        }
    }
}
