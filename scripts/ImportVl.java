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
//SOURCES ../lib/victoria/VlJsonLine.java
//DESCRIPTION Import generated logs (logs_*.jsonl[.gz]) into VictoriaLogs /insert/jsonline with the 20 release tags and
//DESCRIPTION per-deployment streams, batched, retried, adaptive, resumable, checked against the server's own counters.
//DESCRIPTION Example: ./jbang import-vl .dev/data/test_data --url http://localhost:9428

import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import-vl", mixinStandardHelpOptions = true, versionProvider = KitVersion.class,
        description = {"Import log lines into VictoriaLogs (/insert/jsonline), every record carrying the 12 parts and 8 composite ids of its release_id;",
                "_msg_field=message, _time_field=timestamp, _stream_fields=" + VlJsonLine.STREAM_FIELDS + ".",
                "Exit 0 when every record was acknowledged and the server's counters agree; 1 otherwise; 2 when it could not start."})
class ImportVl implements Callable<Integer> {

    @Parameters(paramLabel = "INPUT", arity = "1..*",
            description = "Log files, globs (logs_*.jsonl) or directories (their logs_*.jsonl[.gz]); .gz is read through gzip.")
    List<String> inputs;

    @Option(names = {"--vl-url", "--url"}, split = ",", paramLabel = "URL", defaultValue = "http://localhost:9428",
            description = "VictoriaLogs base URL. Several, comma-separated, share the batches: each has its own concurrency and counter check, and the batches of one that stops answering go to the others. Default: ${DEFAULT-VALUE}.")
    List<URI> urls;

    @Mixin
    DeliveryOptions delivery;

    public static void main(String... args) {
        System.exit(new CommandLine(new ImportVl()).execute(args));
    }

    @Override
    public Integer call() {
        return ImportRun.run("import-vl", urls, VlJsonLine::endpoint, inputs, delivery,
                endpoints -> new ImportRun<>("import-vl", endpoints, "logs", "logs_*.jsonl*", new VlJsonLine(), VlJsonLine.format()));
    }
}
