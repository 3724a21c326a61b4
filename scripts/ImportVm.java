///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
//DEPS me.tongfei:progressbar:0.10.1
//SOURCES ../lib/model/ReleaseId.java ../lib/cli/KitVersion.java ../lib/cli/Progress.java
//SOURCES ../lib/io/DataFile.java ../lib/io/JsonLinesReader.java
//SOURCES ../lib/delivery/Backoff.java ../lib/delivery/Batch.java ../lib/delivery/WireFormat.java ../lib/delivery/JsonLinesBody.java
//SOURCES ../lib/delivery/LineParser.java ../lib/delivery/AdaptiveConcurrency.java ../lib/delivery/Checkpoint.java
//SOURCES ../lib/delivery/DeliveryStats.java ../lib/delivery/BatchStream.java ../lib/delivery/BatchSender.java
//SOURCES ../lib/delivery/InputFiles.java ../lib/delivery/FileImport.java ../lib/delivery/ServerCounters.java
//SOURCES ../lib/delivery/DeliveryOptions.java ../lib/delivery/ImportRun.java ../lib/delivery/ReleaseTags.java
//SOURCES ../lib/delivery/CounterCheck.java ../lib/delivery/DeliveryReport.java
//SOURCES ../lib/victoria/VmImportLine.java
//DESCRIPTION Import generated metrics into VictoriaMetrics /api/v1/import: raw lines (metrics_*.jsonl[.gz]) with the 20 release
//DESCRIPTION tags, native lines (native_metrics_*.jsonl[.gz], many samples each) as they are; batched, retried, adaptive,
//DESCRIPTION resumable, checked against the server's own counters.
//DESCRIPTION Example: ./jbang import-vm .dev/data/test_data --url http://localhost:8428

import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import-vm", mixinStandardHelpOptions = true, versionProvider = KitVersion.class,
        description = {"Import metric lines into VictoriaMetrics (/api/v1/import): raw samples labelled with the 12 parts and 8 composite ids of their release_id,",
                "native lines (counters and histograms, already in import form) checked and sent as they are. Counts are in samples.",
                "Exit 0 when every sample was acknowledged and the server's counters agree; 1 otherwise; 2 when it could not start."})
class ImportVm implements Callable<Integer> {

    @Parameters(paramLabel = "INPUT", arity = "1..*",
            description = "Metric files, globs (metrics_*.jsonl) or directories (their metrics_*.jsonl[.gz] and native_metrics_*.jsonl[.gz]); .gz is read through gzip.")
    List<String> inputs;

    @Option(names = {"--vm-url", "--url"}, split = ",", paramLabel = "URL", defaultValue = "http://localhost:8428",
            description = "VictoriaMetrics base URL. Several, comma-separated, share the batches: each has its own concurrency and counter check, and the batches of one that stops answering go to the others. Default: ${DEFAULT-VALUE}.")
    List<URI> urls;

    @Mixin
    DeliveryOptions delivery;

    public static void main(String... args) {
        System.exit(new CommandLine(new ImportVm()).execute(args));
    }

    @Override
    public Integer call() {
        return ImportRun.run("import-vm", urls, VmImportLine::endpoint, inputs, delivery,
                endpoints -> new ImportRun<>("import-vm", endpoints, "samples", "{metrics,native_metrics}_*.jsonl*", new VmImportLine(), VmImportLine.format()));
    }
}
