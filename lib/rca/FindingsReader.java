import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a findings file, one JSON object a line: {@code start}, {@code end} (ISO date-times, UTC unless they carry an
 * offset), {@code kind} (infrastructure, dependency or deployment), at least one of {@code component}, {@code service}
 * ({@code stack:service}) and {@code release_id}, and optionally {@code detected_at}. Other fields are ignored; blank
 * lines are skipped. A line that breaks these rules is not used: it comes back as {@code file:line: reason}.
 */
final class FindingsReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FindingsReader() {}

    /** The usable findings and one {@code file:line: reason} per line that was not used. */
    record Findings(List<Finding> findings, List<String> badLines) {}

    static Findings read(Path file) {
        var ok = new ArrayList<Finding>();
        var bad = new ArrayList<String>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                try {
                    ok.add(parse(n, line));
                } catch (BadLine e) {
                    bad.add(file + ":" + n + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        return new Findings(ok, bad);
    }

    private static Finding parse(int n, String line) {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new BadLine("not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (o == null || !o.isObject()) throw new BadLine("not a JSON object");
        String kindText = optional(o, "kind");
        if (kindText == null) throw new BadLine("no \"kind\" (infrastructure, dependency or deployment)");
        CauseKind kind = CauseKind.of(kindText);
        if (kind == null) throw new BadLine("\"kind\" must be infrastructure, dependency or deployment, got \"" + kindText + "\"");
        long start = time(o, "start"), end = time(o, "end");
        if (end < start) throw new BadLine("\"end\" is before \"start\"");
        long detected = o.has("detected_at") && !o.get("detected_at").isNull() ? time(o, "detected_at") : start;
        String component = optional(o, "component"), service = optional(o, "service"), release = optional(o, "release_id");
        if (component == null && service == null && release == null)
            throw new BadLine("blames nothing: give \"component\", \"service\" or \"release_id\"");
        if (service != null && (service.indexOf(':') <= 0 || service.indexOf(':') != service.lastIndexOf(':') || service.endsWith(":")))
            throw new BadLine("\"service\" must be stack:service, got \"" + service + "\"");
        return new Finding(n, kind, start, end, detected, component, service, release);
    }

    private static String optional(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual() || v.asText().isBlank()) throw new BadLine("\"" + field + "\" must be a non-empty string");
        return v.asText();
    }

    private static long time(JsonNode o, String field) {
        String s = optional(o, field);
        if (s == null) throw new BadLine("no \"" + field + "\" (ISO date-time, e.g. 2026-01-31T12:00:00Z)");
        Instant t;
        try {
            if (s.endsWith("Z") || s.endsWith("z")) t = Instant.parse(s.toUpperCase(java.util.Locale.ROOT));
            else if (s.matches(".*[+-]\\d\\d:\\d\\d$")) t = OffsetDateTime.parse(s).toInstant();
            else t = LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new BadLine("\"" + field + "\" is not an ISO date-time: \"" + s + "\"");
        }
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    /** Why one line is not used. */
    private static final class BadLine extends RuntimeException {
        BadLine(String reason) { super(reason, null, false, false); }
    }
}
