import static org.junit.jupiter.api.Assertions.*;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Tenants and several endpoints, against in-process stores that decode the real wire format: vminsert's tenant
 * path and counters, VictoriaLogs' AccountID/ProjectID headers, Tempo's X-Scope-OrgID, from the importers' own
 * command lines and from generate-monitoring --to; and an endpoint that drops every request handing its batches to
 * the others with nothing lost or counted twice.
 */
class ClusterTargetsTest {
    static final String VMINSERT_COUNTER = "vm_rows_inserted_total{type=\"vmimport\"}";

    /** A stand-in vminsert: takes /insert/&lt;tenant&gt;/prometheus/api/v1/import only for {@code tenant}, counts samples. */
    static FakeStore vminsert(String tenant, AtomicLong samples) {
        return new FakeStore("/insert/", VMINSERT_COUNTER, r -> {
            assertEquals("/insert/" + tenant + "/prometheus/api/v1/import", r.path(), "vminsert's import path with the tenant");
            int n = 0;
            for (String line : new String(r.body(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isEmpty()) continue;
                assertTrue(line.startsWith("{\"metric\":{"), "a /api/v1/import line: " + line);
                n += (int) VmImportLine.format().units(line.getBytes(StandardCharsets.UTF_8));
            }
            samples.addAndGet(n);
            return n;
        }, FakeStore.Faults.none());
    }

    static FakeStore vlTenant(ImportVlTest.Received got, String account, String project) {
        return new FakeStore("/insert/jsonline", "vl_rows_ingested_total{type=\"jsonline\"}", r -> {
            assertEquals(account, r.header("AccountID"), "AccountID header");
            assertEquals(project, r.header("ProjectID"), "ProjectID header");
            return got.decode(r);
        }, FakeStore.Faults.none());
    }

    static FakeStore tempoTenant(ExportTempoTest.Received got, String org) {
        var store = new FakeStore("/v1/traces", "unused", r -> {
            assertEquals(org, r.header("X-Scope-OrgID"), "X-Scope-OrgID header");
            return got.decode(r);
        }, FakeStore.Faults.none());
        store.answer(ExportTraceServiceResponse.getDefaultInstance().toByteArray(), "application/x-protobuf");
        return store;
    }

    static int run(Object command, String... args) { return new CommandLine(command).execute(args); }

    @Test
    void importVmSendsTheTenantInVminsertsPathAndChecksVminsertsCounters() {
        Path dir = KitLayout.testDir("cluster-vm-tenant");
        var written = ImportTestData.write(dir, 5, 2, 30, 0, false, Instant.parse("2025-06-01T00:00:00Z"));
        var samples = new AtomicLong();
        try (var vminsert = vminsert("42:7", samples)) {
            int code = run(new ImportVm(), dir.toString(), "--vm-url", vminsert.url().toString(), "--tenant", "42:7", "--quiet",
                    "--batch-size", "40", "--checkpoint", dir.resolve("cp.tsv").toString());
            assertEquals(0, code, "every sample acknowledged and vminsert's counter agrees");
            assertEquals(written.metrics().size(), samples.get(), "every sample reached the tenant's path");
            assertTrue(vminsert.requests.size() > 1);
        }
        // projectID left out means 0
        samples.set(0);
        try (var vminsert = vminsert("42:0", samples)) {
            assertEquals(0, run(new ImportVm(), dir.toString(), "--url", vminsert.url().toString(), "--tenant", "42", "--quiet",
                    "--checkpoint", dir.resolve("cp0.tsv").toString()));
            assertEquals(written.metrics().size(), samples.get());
        }
    }

    @Test
    void importVlSendsTheTenantInAccountIdAndProjectIdHeaders() {
        Path dir = KitLayout.testDir("cluster-vl-tenant");
        var written = ImportTestData.write(dir, 6, 2, 20, 2, false, Instant.parse("2025-06-01T00:00:00Z"));
        var got = new ImportVlTest.Received();
        try (var vl = vlTenant(got, "3", "11")) {
            assertEquals(0, run(new ImportVl(), dir.toString(), "--vl-url", vl.url().toString(), "--tenant", "3:11", "--quiet",
                    "--batch-size", "25", "--checkpoint", dir.resolve("cp.tsv").toString()));
            assertEquals(written.logs().size(), got.records.size());
            assertEquals(written.logs().size(), vl.ingested.get());
        }
    }

    @Test
    void exportTempoSendsTheTenantAsXScopeOrgId() {
        Path dir = KitLayout.testDir("cluster-tempo-tenant");
        var written = ImportTestData.write(dir, 7, 1, 20, 2, true, Instant.parse("2025-06-01T00:00:00Z"));
        var got = new ExportTempoTest.Received();
        try (var tempo = tempoTenant(got, "team-a")) {
            assertEquals(0, run(new ExportTempo(), dir.toString(), "--tempo-url", tempo.url().toString(), "--tenant", "team-a", "--quiet",
                    "--batch-size", "30", "--checkpoint", dir.resolve("cp.tsv").toString()));
            assertEquals(written.logs().size(), got.spans.size());
        }
    }

    @Test
    void aBadTenantOrARepeatedUrlStopsBeforeAnythingIsSent() {
        Path dir = KitLayout.testDir("cluster-bad-tenant");
        ImportTestData.write(dir, 8, 1, 5, 0, false, Instant.parse("2025-06-01T00:00:00Z"));
        var samples = new AtomicLong();
        try (var vminsert = vminsert("1:0", samples)) {
            String url = vminsert.url().toString();
            assertEquals(2, run(new ImportVm(), dir.toString(), "--url", url, "--tenant", "team-a", "--quiet"), "VictoriaMetrics tenants are numbers");
            assertEquals(2, run(new ImportVm(), dir.toString(), "--url", url, "--tenant", "4294967296", "--quiet"), "accountID is 32 bits");
            assertEquals(2, run(new ImportVm(), dir.toString(), "--url", url + "," + url + "/", "--tenant", "1", "--quiet"), "the same URL twice");
            assertEquals(2, run(new ExportTempo(), dir.toString(), "--url", url, "--tenant", "42:7", "--quiet"), "':' is not in a Tempo org id");
            assertEquals(0, vminsert.requests.size(), "nothing sent");
        }
        var e = assertThrows(IllegalArgumentException.class, () -> AccountTenant.parse("1:x"));
        assertEquals("--tenant takes accountID[:projectID] (numbers 0..4294967295), got \"1:x\"", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> MonitoringStreamTest.options("--to", "vm", "--tenant", "-1").stores(), "a stream checks the tenant before generating");
    }

    @Test
    void counterSelectorsMatchLabelValuesHoldingBraces() {
        String page = "vm_http_request_errors_total{path=\"/insert/{}/prometheus/api/v1/import\",protocol=\"vmimport\"} 3\n"
                + "vm_http_request_errors_total{path=\"/insert/{}/prometheus/api/v1/write\",protocol=\"promremotewrite\"} 5\n";
        var selectors = VmImportLine.vminsertCounters(URI.create("http://127.0.0.1:1")).failedRequests();
        assertArrayEquals(new double[]{3, 1}, ServerCounters.sum(page, selectors), "vminsert's import errors, only those");
    }

    @Test
    void theGeneratorsStreamsCarryTheTenantToEveryStoreAndShareSeveralEndpoints() {
        Path dir = KitLayout.testDir("cluster-stream-tenant");
        var samples = new AtomicLong();
        var logs = new ImportVlTest.Received();
        var spans = new ExportTempoTest.Received();
        try (var vminsert = vminsert("9:1", samples); var vl = vlTenant(logs, "9", "1"); var vl2 = vlTenant(logs, "9", "1");
             var tempo = tempoTenant(spans, "org.9")) {
            var sink = MonitoringStores.open(MonitoringStreamTest.options("--to", "vm,vl,tempo", "--vm-url", vminsert.url().toString(),
                    "--vl-url", vl.url() + "," + vl2.url(), "--tempo-url", tempo.url().toString(), "--tenant", "9:1", "--tempo-tenant", "org.9",
                    "--batch-size", "500"), null);
            var report = MonitoringGeneration.run(MonitoringStreamTest.request(dir, 2, "both", "10m"), true, sink);
            sink.print(System.out, System.err);
            assertTrue(sink.delivered(), sink.headline());
            var reports = sink.reports();
            assertEquals(samples.get(), reports.get(MonitoringStores.Store.VM).stats().acknowledged.sum());
            assertEquals(logs.records.size(), reports.get(MonitoringStores.Store.VL).stats().acknowledged.sum());
            assertEquals(spans.spans.size(), reports.get(MonitoringStores.Store.TEMPO).stats().acknowledged.sum());
            assertTrue(samples.get() > 0 && !logs.records.isEmpty(), "something was generated");
            assertEquals(logs.records.size() + samples.get(), report.result().records());
            assertEquals(logs.records.size(), vl.ingested.get() + vl2.ingested.get(), "two VictoriaLogs endpoints share the logs, each once");
            var routes = reports.get(MonitoringStores.Store.VL).sender().routes();
            assertEquals(vl.ingested.get(), routes.get(0).acknowledged.sum(), "each endpoint's own count");
            assertEquals(vl2.ingested.get(), routes.get(1).acknowledged.sum());
        }
    }

    @Test
    void anEndpointThatDropsEveryRequestHandsItsBatchesToTheOthers() throws Exception {
        Path dir = KitLayout.testDir("cluster-handover");
        var written = ImportTestData.write(dir, 9, 2, 40, 2, false, Instant.parse("2025-06-01T00:00:00Z"));
        var got = new ImportVlTest.Received();
        var dropping = new FakeStore.Faults(0, 0, 1.0, 0, 0, 3);
        try (var a = MonitoringStreamTest.vl(got, dropping);
             var b = MonitoringStreamTest.vl(got, FakeStore.Faults.none());
             var c = MonitoringStreamTest.vl(got, FakeStore.Faults.none())) {
            var endpoints = StoreEndpoint.all(List.of(a.url(), b.url(), c.url()), null, VlJsonLine::endpoint);
            var cp = dir.resolve("cp.tsv").toString();
            var r = importVl(endpoints, dir, "--checkpoint", cp, "--batch-size", "10", "--workers", "2", "--retry-delay-ms", "20");
            assertEquals(0, r.result().exitCode(), r.out() + r.err());
            assertEquals(written.logs().size(), r.result().stats().acknowledged.sum(), "each record counted once");
            assertEquals(written.logs().size(), got.records.size(), "each record stored once");
            assertEquals(0, a.ingested.get());
            assertTrue(a.faulted.get() > 0, "the dropping endpoint was tried");
            assertEquals(written.logs().size(), b.ingested.get() + c.ingested.get());
            assertTrue(r.out().contains("endpoints     3, each with its own concurrency and counter check"), r.out());
            assertTrue(r.out().contains("handed over"), r.out());
            assertTrue(r.out().contains("    acknowledged " + b.ingested.get() + " logs in "), r.out());
            assertTrue(r.out().contains("    acknowledged " + c.ingested.get() + " logs in "), r.out());
            assertTrue(r.out().contains("    acknowledged 0 logs in "), r.out());

            var again = importVl(endpoints, dir, "--checkpoint", cp, "--resume");
            assertEquals(0, again.result().exitCode(), again.out() + again.err());
            assertEquals(written.logs().size(), again.result().stats().skipped.sum(), "the checkpoint holds every batch, whichever endpoint took it");
            assertEquals(0, again.result().stats().sent.sum());
        }
    }

    record Out(ImportRun.Result result, String out, String err) {}

    static Out importVl(List<StoreEndpoint> endpoints, Path dir, String... flags) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var args = new java.util.ArrayList<>(List.of(flags));
        args.add("--quiet");
        var r = new ImportRun<>("import-vl", endpoints, "logs", "logs_*.jsonl*", new VlJsonLine(), VlJsonLine.format())
                .execute(List.of(dir.toString()), ImportTestData.options(args.toArray(String[]::new)),
                        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        System.out.print(out.toString(StandardCharsets.UTF_8));
        return new Out(r, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
