import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PipelineTest {
    static final PipelinePlan.Settings SETTINGS = new PipelinePlan.Settings(Path.of("/data"), 1000, 100, 7, 2, 0.01,
            null, false, URI.create("http://vm:8428"), URI.create("http://vl:9428"), URI.create("http://tempo:4318"),
            true, List.of("--scenario=stress"));

    @Test
    void planRunsTheSeedOrderAndFeedsTheScheduleToTheGenerator() {
        var steps = PipelinePlan.steps(SETTINGS, Set.copyOf(PipelinePlan.STEP_NAMES));
        assertEquals(List.of("generate-fixtures", "generate-monitoring", "import-vm", "import-vl", "export-tempo", "replay-rules"),
                steps.stream().map(PipelineStep::alias).toList());
        assertEquals(List.of("--vm-url", "http://vm:8428", "--skip-missing-vmalert"), steps.get(5).args(),
                "the recorded history replayed over the store the metrics went to; no vmalert is a warning, not a failure");
        assertEquals(List.of(URI.create("http://vm:8428")), steps.get(5).targets());
        var fixtures = steps.get(0).args();
        assertEquals("/data/fixtures", fixtures.get(fixtures.indexOf("--txt-output") + 1));
        var gen = steps.get(1).args();
        assertEquals(List.of("1000", "100"), gen.subList(0, 2));
        assertEquals("/data/fixtures/deployment_schedule.json", gen.get(gen.indexOf("--deployment-schedule") + 1));
        assertEquals("extended", gen.get(gen.indexOf("--log-format") + 1), "traces need span durations in the logs");
        assertTrue(gen.contains("--scenario=stress"));
        assertEquals("native", gen.get(gen.indexOf("--metrics") + 1), "the dashboards query native metrics");
        assertFalse(gen.contains("--to"), "files, as always");
        assertEquals(List.of("/data/test_data", "--url", "http://vm:8428", "--resume"), steps.get(2).args(),
                "the directory: import-vm reads metrics_*.jsonl and native_metrics_*.jsonl");
        assertEquals(List.of("/data/test_data/logs_*.jsonl", "--url", "http://vl:9428", "--resume"), steps.get(3).args());
        assertEquals(List.of(URI.create("http://tempo:4318")), steps.get(4).targets());
    }

    @Test
    void resetDbPassesResetToTheFixturesStepOnly() {
        var reset = new PipelinePlan.Settings(Path.of("/data"), 1000, 100, 7, 2, 0.01, "jdbc:postgresql://db/qairon", false,
                URI.create("http://vm:8428"), URI.create("http://vl:9428"), URI.create("http://tempo:4318"), false, List.of(), false, true);
        var steps = PipelinePlan.steps(reset, Set.copyOf(PipelinePlan.STEP_NAMES));
        assertTrue(steps.get(0).args().contains("--reset"), steps.get(0).args().toString());
        for (var s : steps.subList(1, steps.size())) assertFalse(s.args().contains("--reset"), s.alias() + " " + s.args());
        assertFalse(PipelinePlan.steps(SETTINGS, Set.of("fixtures")).get(0).args().contains("--reset"), "replacing is asked for, never implied");
        var noDb = new PipelinePlan.Settings(Path.of("/data"), 1000, 100, 7, 2, 0.01, null, true,
                URI.create("http://vm:8428"), URI.create("http://vl:9428"), URI.create("http://tempo:4318"), false, List.of(), false, true);
        assertTrue(PipelinePlan.problem(noDb, Set.of("fixtures")).contains("--reset-db"));
    }

    @Test
    void aGeneratorArgumentChoosesTheMetricForms() {
        var s = new PipelinePlan.Settings(Path.of("/data"), 1000, 100, 7, 2, 0.01, null, false, URI.create("http://vm:8428"),
                URI.create("http://vl:9428"), URI.create("http://tempo:4318"), false, List.of("--metrics=both"));
        var gen = PipelinePlan.steps(s, Set.of("monitoring")).get(0).args();
        assertFalse(gen.contains("--metrics"), "given once, so picocli takes it: " + gen);
        assertTrue(gen.contains("--metrics=both"));
    }

    static PipelinePlan.Settings streaming(boolean resume) {
        return new PipelinePlan.Settings(Path.of("/data"), 1000, 100, 7, 2, 0.01, null, false, URI.create("http://vm:8428"),
                URI.create("http://vl:9428"), URI.create("http://tempo:4318"), resume, List.of("--scenario=stress"), true);
    }

    @Test
    void streamIsOneGeneratorStepToTheSelectedStores() {
        var steps = PipelinePlan.steps(streaming(false), Set.copyOf(PipelinePlan.STEP_NAMES));
        assertEquals(List.of("generate-fixtures", "generate-monitoring", "replay-rules"), steps.stream().map(PipelineStep::alias).toList(),
                "no import steps: the generator sends, then the recording rules are replayed over what it sent");
        var gen = steps.get(1).args();
        assertEquals("vm,vl,tempo", gen.get(gen.indexOf("--to") + 1));
        assertEquals("http://vm:8428", gen.get(gen.indexOf("--vm-url") + 1));
        assertEquals("http://vl:9428", gen.get(gen.indexOf("--vl-url") + 1));
        assertEquals("http://tempo:4318", gen.get(gen.indexOf("--tempo-url") + 1));
        assertEquals("native", gen.get(gen.indexOf("--metrics") + 1));
        assertEquals("extended", gen.get(gen.indexOf("--log-format") + 1));
        assertEquals("/data/fixtures/deployment_schedule.json", gen.get(gen.indexOf("--deployment-schedule") + 1));
        assertEquals("--scenario=stress", gen.get(gen.size() - 1), "the user's arguments come last");
        assertEquals("streamed to VictoriaMetrics http://vm:8428, VictoriaLogs http://vl:9428, Tempo http://tempo:4318", steps.get(1).writes());

        var noTraces = PipelinePlan.steps(streaming(false), Set.of("monitoring", "metrics", "logs")).get(0).args();
        assertEquals("vm,vl", noTraces.get(noTraces.indexOf("--to") + 1));
        assertFalse(noTraces.contains("--tempo-url"));
    }

    @Test
    void severalEndpointsPerStoreAndTenantsReachEveryStepAsItsOwnFlagsParseThem() {
        var vm = List.of(URI.create("http://vminsert-0:8480"), URI.create("http://vminsert-1:8480"));
        var vl = List.of(URI.create("http://vlinsert-0:9481"), URI.create("http://vlinsert-1:9481"));
        var tempo = List.of(URI.create("http://distributor-0:4318"), URI.create("http://distributor-1:4318"));
        for (boolean stream : List.of(false, true)) {
            var s = new PipelinePlan.Settings(Path.of("/data"), 1000, 100, 7, 2, 0.01, null, true, vm, vl, tempo, false, List.of(), stream, false,
                    null, "7:1", "team-a");
            var steps = PipelinePlan.steps(s, Set.of("monitoring", "metrics", "logs", "traces"));
            for (var step : steps) {
                Object command = switch (step.alias()) {
                    case "import-vm" -> new ImportVm();
                    case "import-vl" -> new ImportVl();
                    case "export-tempo" -> new ExportTempo();
                    default -> new GenerateMonitoring();
                };
                var parsed = new picocli.CommandLine(command).parseArgs(step.args().toArray(String[]::new));
                assertTrue(parsed.unmatched().isEmpty(), step.commandLine());
                var args = step.args();
                switch (step.alias()) {
                    case "import-vm" -> assertEquals(List.of("http://vminsert-0:8480,http://vminsert-1:8480", "7:1"),
                            List.of(args.get(args.indexOf("--url") + 1), args.get(args.indexOf("--tenant") + 1)));
                    case "import-vl" -> assertEquals("7:1", args.get(args.indexOf("--tenant") + 1));
                    case "export-tempo" -> assertEquals(List.of("http://distributor-0:4318,http://distributor-1:4318", "team-a"),
                            List.of(args.get(args.indexOf("--url") + 1), args.get(args.indexOf("--tenant") + 1)));
                    default -> {
                        if (!stream) continue;
                        assertEquals("http://vlinsert-0:9481,http://vlinsert-1:9481", args.get(args.indexOf("--vl-url") + 1));
                        assertEquals("7:1", args.get(args.indexOf("--tenant") + 1));
                        assertEquals("team-a", args.get(args.indexOf("--tempo-tenant") + 1));
                    }
                }
                if (!step.alias().equals("generate-monitoring")) assertEquals(2, step.targets().size(), step.alias() + ": reachable when either answers");
            }
            assertEquals(stream ? 1 : 4, steps.size(), steps.toString());
        }
    }

    @Test
    void aStoreStepIsReachableWhenAnyOfItsEndpointsAnswers() throws Exception {
        try (var open = new ServerSocket(0)) {
            var closed = URI.create("http://127.0.0.1:" + freePort());
            var live = URI.create("http://127.0.0.1:" + open.getLocalPort());
            assertTrue(StepRunner.anyReachable(List.of(closed, live)), "the live one takes the batches");
            assertFalse(StepRunner.anyReachable(List.of(closed)));
        }
    }

    static int freePort() throws Exception {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void streamRefusesSelectionsItCannotServe() {
        assertNull(PipelinePlan.problem(streaming(false), Set.copyOf(PipelinePlan.STEP_NAMES)));
        assertNull(PipelinePlan.problem(streaming(false), Set.of("fixtures")));
        assertTrue(PipelinePlan.problem(streaming(true), Set.copyOf(PipelinePlan.STEP_NAMES)).contains("a stream has none"));
        assertTrue(PipelinePlan.problem(streaming(false), Set.of("fixtures", "monitoring")).contains("select one"));
        assertTrue(PipelinePlan.problem(streaming(false), Set.of("metrics")).contains("needs the monitoring step"));
        assertNull(PipelinePlan.problem(SETTINGS, Set.of("metrics")), "files: importing what is there is fine");
    }

    @Test
    void withoutFixturesAndWithoutAScheduleFileTheGeneratorUsesItsBuiltInSchedule() {
        var steps = PipelinePlan.steps(SETTINGS, Set.of("monitoring"));
        assertEquals(1, steps.size());
        assertFalse(steps.get(0).args().contains("--deployment-schedule"));
    }

    @Test
    void runnerCapturesTheStepHeadlineAndExitCode() throws Exception {
        Path dir = KitLayout.testDir("pipeline-runner");
        Path fake = dir.resolve("fake-jbang");
        Files.writeString(fake, """
                #!/usr/bin/env bash
                echo "working on $1"
                echo "$1: done in 1.5 s, 42 rows into somewhere"
                echo "details"
                [ "$1" = broken ] && exit 4
                exit 0
                """);
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        var buffer = new ByteArrayOutputStream();
        var runner = new StepRunner(fake, new PrintStream(buffer, true, StandardCharsets.UTF_8));

        var ok = runner.run(new PipelineStep("metrics", "import-vm", List.of("x"), List.of(), "vm"));
        assertEquals(StepOutcome.Status.DONE, ok.status());
        assertEquals("42 rows into somewhere", ok.headline());
        assertTrue(buffer.toString(StandardCharsets.UTF_8).contains("  [metrics] working on import-vm"));

        var bad = runner.run(new PipelineStep("logs", "broken", List.of(), List.of(), "vl"));
        assertEquals(StepOutcome.Status.FAILED, bad.status());
        assertEquals(4, bad.exitCode());
        assertFalse(bad.ok());
    }

    @Test
    void reachabilityTellsAListeningPortFromAClosedOne() throws Exception {
        int closed;
        try (var server = new ServerSocket(0)) {
            assertTrue(StepRunner.reachable(URI.create("http://127.0.0.1:" + server.getLocalPort())));
            closed = server.getLocalPort();
        }
        assertFalse(StepRunner.reachable(URI.create("http://127.0.0.1:" + closed)));
    }
}
