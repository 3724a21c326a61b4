import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One pass over the generated log files ({@code logs_N.jsonl}): every failed line except client errors, the number
 * of requests per minute, and when each release went live on its deployment. Files are read in parallel, one
 * virtual thread each, and merged in file order, so the result does not depend on scheduling. Lines that cannot be
 * read are counted and the first of them kept as {@code file:line: reason}.
 */
final class LogScan {
    static final int KEPT_BAD_LINES = 20;

    final List<LogError> errors = new ArrayList<>();
    /** Requests (not deployment lines) per minute since the epoch. */
    final TreeMap<Long, Long> requestsPerMinute = new TreeMap<>();
    final List<ReleaseChange> releaseChanges = new ArrayList<>();
    final List<String> badLines = new ArrayList<>();
    private final Map<String, List<ReleaseChange>> changesByDeployment = new HashMap<>();
    long lines, requests, badLineCount, clientErrors, bytes;
    int files;

    // per deployment: release -> first time seen, and announced starts
    private final Map<String, Map<String, Long>> firstSeen = new HashMap<>();
    private final Map<String, Long> announced = new HashMap<>(); // release id -> deployment_start time

    /** Scans the log files named on a command line, with a progress bar on a terminal. */
    static LogScan of(List<String> inputs, boolean quiet) {
        List<Path> files = InputFiles.expand(inputs, "logs_*.jsonl*");
        if (files.isEmpty()) throw new IllegalArgumentException("no log files (logs_*.jsonl) in " + String.join(" ", inputs));
        long bytes = 0;
        for (Path f : files) bytes += f.toFile().length();
        try (var progress = Progress.start("scan logs", -1, "lines", quiet)) {
            var scan = of(files, progress);
            scan.files = files.size();
            scan.bytes = bytes;
            return scan;
        }
    }

    /** Prints the kept bad lines ({@code file:line: reason}) and how many more there were. */
    void reportBadLines(String alias, java.io.PrintStream err) {
        for (String b : badLines) err.println(alias + ": " + b);
        if (badLineCount > badLines.size()) err.println(alias + ": ... and " + (badLineCount - badLines.size()) + " more bad lines");
    }

    static LogScan of(List<Path> files, Progress progress) {
        var parts = new ArrayList<Future<LogScan>>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Path f : files) parts.add(pool.submit(() -> ofFile(f, progress)));
        }
        var all = new LogScan();
        for (var p : parts) {
            try {
                all.merge(p.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw new IllegalStateException(e.getCause());
            }
        }
        all.finish();
        return all;
    }

    private static LogScan ofFile(Path file, Progress progress) {
        var scan = new LogScan();
        try (var reader = new JsonLinesReader(file)) {
            long pending = 0;
            for (var line : reader) {
                scan.lines++;
                try {
                    scan.take(line.json(), line);
                } catch (JsonLinesReader.BadLineException e) {
                    scan.bad(e.getMessage());
                }
                if (++pending == 10_000) {
                    progress.step(pending);
                    pending = 0;
                }
            }
            progress.step(pending);
        }
        return scan;
    }

    private void bad(String message) {
        badLineCount++;
        if (badLines.size() < KEPT_BAD_LINES) badLines.add(message);
    }

    private void take(JsonNode n, JsonLinesReader.Line line) throws JsonLinesReader.BadLineException {
        String ts = text(n, "timestamp"), stack = text(n, "stack"), service = text(n, "service"), action = text(n, "action");
        if (ts == null || stack == null || service == null || action == null)
            throw new JsonLinesReader.BadLineException(line, "timestamp, stack, service or action missing");
        long t;
        try {
            t = GroundTruth.micros(ts);
        } catch (DateTimeParseException e) {
            throw new JsonLinesReader.BadLineException(line, "timestamp is not an ISO-8601 instant: " + ts);
        }
        String release = text(n, "release_id");
        if (action.equals("deployment_start") || action.equals("deployment_complete")) {
            if (action.equals("deployment_start") && release != null) announced.merge(release, t, Math::min);
            return;
        }
        requests++;
        requestsPerMinute.merge(Math.floorDiv(t, 60_000_000L), 1L, Long::sum);
        if (release != null && release.lastIndexOf(':') > 0)
            firstSeen.computeIfAbsent(release.substring(0, release.lastIndexOf(':')), k -> new HashMap<>()).merge(release, t, Math::min);
        JsonNode ok = n.get("success");
        if (ok == null || !ok.isBoolean()) throw new JsonLinesReader.BadLineException(line, "success is not true or false");
        if (ok.booleanValue()) return;
        String type = text(n, "error_type");
        if (type == null) throw new JsonLinesReader.BadLineException(line, "a failed line without error_type");
        if (type.equals("client")) {
            clientErrors++;
            return;
        }
        errors.add(new LogError(t, stack, service, text(n, "level"), type, text(n, "error_code"), text(n, "error_message"),
                text(n, "error_source"), release, text(n, "request_id"), text(n, "upstream_request_id"), text(n, "trace_id")));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private void merge(LogScan o) {
        errors.addAll(o.errors);
        o.requestsPerMinute.forEach((k, v) -> requestsPerMinute.merge(k, v, Long::sum));
        o.firstSeen.forEach((dep, m) -> m.forEach((rel, t) -> firstSeen.computeIfAbsent(dep, k -> new HashMap<>()).merge(rel, t, Math::min)));
        o.announced.forEach((rel, t) -> announced.merge(rel, t, Math::min));
        for (String b : o.badLines) if (badLines.size() < KEPT_BAD_LINES) badLines.add(b);
        lines += o.lines;
        requests += o.requests;
        badLineCount += o.badLineCount;
        clientErrors += o.clientErrors;
    }

    private void finish() {
        errors.sort(Comparator.comparingLong(LogError::timeMicros).thenComparing(e -> String.valueOf(e.requestId())));
        // a release is announced by its deployment_start line; without one, by its first line after an older release
        var seen = new TreeMap<String, Map<String, Long>>(firstSeen);
        for (var e : seen.entrySet()) {
            var byTime = new ArrayList<>(e.getValue().entrySet());
            byTime.sort(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
            for (int i = 0; i < byTime.size(); i++) {
                String rel = byTime.get(i).getKey();
                Long start = announced.get(rel);
                if (start != null) releaseChanges.add(new ReleaseChange(e.getKey(), rel, start, true));
                else if (i > 0) releaseChanges.add(new ReleaseChange(e.getKey(), rel, byTime.get(i).getValue(), false));
            }
        }
        releaseChanges.sort(Comparator.comparingLong(ReleaseChange::atMicros).thenComparing(ReleaseChange::releaseId));
        for (ReleaseChange c : releaseChanges) changesByDeployment.computeIfAbsent(c.deploymentId(), k -> new ArrayList<>()).add(c);
    }

    /** The release changes of one deployment, in time order. */
    List<ReleaseChange> changesOn(String deploymentId) { return changesByDeployment.getOrDefault(deploymentId, List.of()); }

    /** Requests in [fromMicros, toMicros), counted by whole minutes (a partly covered minute counts in full). */
    long requestsBetween(long fromMicros, long toMicros) {
        long sum = 0;
        for (long v : requestsPerMinute.subMap(Math.floorDiv(fromMicros, 60_000_000L), true, Math.floorDiv(toMicros - 1, 60_000_000L), true).values())
            sum += v;
        return sum;
    }
}
