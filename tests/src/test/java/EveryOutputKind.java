import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Writes every kind of file the kit generates into the working directory, with fixed seeds and flags: the fixture
 * TSV files and deployment_schedule.json, their JSON:API documents, monitoring jsonl (raw and native metrics, exemplars,
 * summary.json, incidents.json with traffic bursts), the same as OTLP files, and a run driven by the fixtures' schedule.
 * Run as its own JVM by {@link CrossProcessDeterminismTest}; paths are relative so every process names the same ones.
 */
final class EveryOutputKind {
    private EveryOutputKind() {}

    /** {@code args[0]}: the kit root (model and schema are read from there). */
    public static void main(String... args) {
        Path kit = Path.of(args[0]);
        String model = kit.resolve("fixtures/social_network").toString();
        run(new CommandLine(new GenerateFixtures()), "--skip-db", "--quiet", "--scale", "0.003", "--seed", "7",
                "--now", "2026-03-01T00:00:00Z", "--txt-output", "fixtures", "--schema", kit.resolve("fixtures/qairon-schema.json").toString());
        run(new CommandLine(new ConvertToJson()), "--input-dir", "fixtures", "--output-dir", "fixtures-json", "--workers", "2",
                "--rejects", "rejects/convert-to-json.tsv");
        String[] monitoring = {"3000", "300", "--seed", "7", "--workers", "2", "--files", "2", "--quiet", "--model", model,
                "--scenario", "stress", "--end", "2026-03-01", "--duration", "1d", "--log-format", "extended"};
        // native metrics once: they are the same code in every format, and the bulk of the bytes
        run(new CommandLine(new GenerateMonitoring()), concat(monitoring, "-o", "jsonl", "--metrics", "both", "--scrape-interval", "60s"));
        run(new CommandLine(new GenerateMonitoring()), concat(monitoring, "-o", "otlp", "--format", "otlp"));
        run(new CommandLine(new GenerateMonitoring()), concat(monitoring, "-o", "scheduled",
                "--deployment-schedule", "fixtures/deployment_schedule.json"));
    }

    private static void run(CommandLine cmd, String... args) {
        int code = cmd.execute(args);
        if (code != 0) throw new IllegalStateException(cmd.getCommandName() + " exited " + code);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
