import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The generator's output as files in one directory: {@code logs_N.jsonl}, {@code metrics_N.jsonl},
 * {@code native_metrics_N.jsonl} and {@code native_exemplars.txt}. Files of the streams this run writes are
 * truncated when opened; parts left by an earlier run (a higher N, a form this run does not write, or the OTLP
 * files of {@code --format otlp}) are removed so that an importer or collector pointed at the directory never mixes
 * two runs.
 */
final class MonitoringFiles implements MonitoringSink {
    private static final Pattern PART = Pattern.compile("(logs|metrics|native_metrics)_(\\d+)\\.jsonl|native_exemplars\\.txt");
    /** The parts of {@code --format otlp} ({@link OtlpJsonFiles}): never written here, so always from another run. */
    private static final Pattern OTLP_PART = Pattern.compile("(logs|metrics|traces)_\\d+\\.otlp\\.jsonl");

    private final Path dir;
    private final Map<Stream, FileChannel[]> channels = new EnumMap<>(Stream.class);

    MonitoringFiles(Path dir, int files, Set<Stream> streams) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            removeStale(files, streams);
            for (Stream s : streams) {
                int parts = s == Stream.EXEMPLARS ? 1 : files;
                var chs = new FileChannel[parts];
                for (int f = 0; f < parts; f++)
                    chs[f] = FileChannel.open(dir.resolve(name(s, f)), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING);
                channels.put(s, chs);
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(dir + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    static String name(Stream s, int part) {
        return switch (s) {
            case LOGS -> "logs_" + part + ".jsonl";
            case METRICS -> "metrics_" + part + ".jsonl";
            case NATIVE_METRICS -> "native_metrics_" + part + ".jsonl";
            case EXEMPLARS -> "native_exemplars.txt";
        };
    }

    /** The streams a run with these metric forms writes. */
    static Set<Stream> streams(boolean raw, boolean nativeForm) {
        var out = EnumSet.of(Stream.LOGS);
        if (raw) out.add(Stream.METRICS);
        if (nativeForm) {
            out.add(Stream.NATIVE_METRICS);
            out.add(Stream.EXEMPLARS);
        }
        return out;
    }

    private void removeStale(int files, Set<Stream> streams) throws IOException {
        try (var list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                if (OTLP_PART.matcher(p.getFileName().toString()).matches()) {
                    Files.delete(p);
                    continue;
                }
                var m = PART.matcher(p.getFileName().toString());
                if (!m.matches()) continue;
                Stream s = m.group(1) == null ? Stream.EXEMPLARS : switch (m.group(1)) {
                    case "logs" -> Stream.LOGS;
                    case "metrics" -> Stream.METRICS;
                    default -> Stream.NATIVE_METRICS;
                };
                boolean stale = !streams.contains(s) || (m.group(2) != null && Long.parseLong(m.group(2)) >= files);
                if (stale) Files.delete(p);
            }
        }
    }

    @Override
    public void write(Stream stream, int part, byte[] bytes, int length) {
        FileChannel ch = channels.get(stream)[part];
        try {
            ByteBuffer bb = ByteBuffer.wrap(bytes, 0, length);
            while (bb.hasRemaining()) ch.write(bb);
        } catch (IOException e) {
            throw new UncheckedIOException(dir.resolve(name(stream, part)) + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void close() {
        IOException first = null;
        for (FileChannel[] chs : channels.values())
            for (FileChannel ch : chs) {
                if (ch == null) continue;
                try {
                    ch.close();
                } catch (IOException e) {
                    if (first == null) first = e;
                }
            }
        channels.clear();
        if (first != null) throw new UncheckedIOException(dir + ": cannot finish writing (" + first.getMessage() + ")", first);
    }
}
