///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
//DEPS me.tongfei:progressbar:0.10.1
//DEPS io.opentelemetry.proto:opentelemetry-proto:1.8.0-alpha
//DEPS com.google.protobuf:protobuf-java:4.36.2
//SOURCES ../lib/model/ReleaseId.java ../lib/cli/KitVersion.java ../lib/cli/Progress.java
//SOURCES ../lib/io/DataFile.java ../lib/io/JsonLinesReader.java
//SOURCES ../lib/delivery/Backoff.java ../lib/delivery/Batch.java ../lib/delivery/WireFormat.java
//SOURCES ../lib/delivery/LineParser.java ../lib/delivery/AdaptiveConcurrency.java ../lib/delivery/Checkpoint.java
//SOURCES ../lib/delivery/DeliveryStats.java ../lib/delivery/BatchStream.java ../lib/delivery/BatchSender.java
//SOURCES ../lib/delivery/InputFiles.java ../lib/delivery/FileImport.java ../lib/delivery/ServerCounters.java
//SOURCES ../lib/delivery/DeliveryOptions.java ../lib/delivery/ImportRun.java ../lib/delivery/ReleaseTags.java
//SOURCES ../lib/delivery/CounterCheck.java ../lib/delivery/DeliveryReport.java
//SOURCES ../lib/tempo/LogSpan.java ../lib/tempo/OtlpTraceBody.java ../lib/tempo/TempoCounters.java
//SOURCES ../lib/tempo/TempoCounterOptions.java
//DESCRIPTION Export generated logs (logs_*.jsonl[.gz]) as traces to Grafana Tempo over OTLP/HTTP protobuf (/v1/traces):
//DESCRIPTION spans grouped by trace and by deployment, parent links, status from the error fields, historical times kept.
//DESCRIPTION Example: ./jbang export-tempo .dev/data/test_data --url http://localhost:4318

import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "export-tempo", mixinStandardHelpOptions = true, versionProvider = KitVersion.class,
        description = {"Send log lines as OTLP spans to Tempo (/v1/traces, protobuf): one resource per release (service.name = service_id,",
                "the 20 release tags), one span per line (name = action; SERVER, INTERNAL for deployment lines; parent from parent_span_id;",
                "status from success/error_message; end = start + duration_ms, or + 1 ms when lines have no duration_ms).",
                "Here --batch-size defaults to 2000 spans and --batch-mb to 4 (Tempo's default message limit).",
                "Tempo's own counters (--tempo-metrics-url) are read before and after: spans it discarded after answering 200",
                "(trace too large, live traces exceeded, rate limited) count as not delivered, with the reason.",
                "Exit 0 when every span was acknowledged and none refused or discarded; 1 otherwise; 2 when it could not start."})
class ExportTempo implements Callable<Integer> {

    @Parameters(paramLabel = "INPUT", arity = "1..*",
            description = "Log files, globs (logs_*.jsonl) or directories (their logs_*.jsonl[.gz]); .gz is read through gzip.")
    List<String> inputs;

    @Option(names = {"--tempo-url", "--url"}, split = ",", paramLabel = "URL", defaultValue = "http://localhost:4318",
            description = "Tempo OTLP/HTTP receiver base URL. Several, comma-separated, share the batches: each has its own concurrency and counter check, and the batches of one that stops answering go to the others. Default: ${DEFAULT-VALUE}.")
    List<URI> urls;

    @Mixin
    TempoCounterOptions tempo;

    @Mixin
    DeliveryOptions delivery;

    @Spec
    CommandSpec spec;

    public static void main(String... args) {
        System.exit(new CommandLine(new ExportTempo()).execute(args));
    }

    @Override
    public Integer call() {
        var parsed = spec.commandLine().getParseResult();
        if (!parsed.hasMatchedOption("--batch-size")) delivery.batchSize = 2000;
        if (!parsed.hasMatchedOption("--batch-mb")) delivery.batchMb = 4;
        // each endpoint's own counters: Tempo's /metrics next to it, the push tenant's (or all tenants' without --tenant)
        return ImportRun.run("export-tempo", urls, (base, orgId) -> OtlpTraceBody.endpoint(base, orgId).withCounters(tempo.counters(base, orgId)),
                inputs, delivery, endpoints -> new ImportRun<>("export-tempo", endpoints, "spans", "logs_*.jsonl*", new LogSpan.Parser(), new OtlpTraceBody()));
    }
}
