import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One generated log line as a VictoriaLogs {@code /insert/jsonline} record: every non-null field of the line as a
 * string (booleans {@code "true"}/{@code "false"}, numbers as written), then the 12 parts and 8 composite ids of
 * its release id. The message and time keep their names; the request tells VictoriaLogs which they are
 * ({@code _msg_field=message}, {@code _time_field=timestamp}) and which fields make the log stream:
 * {@link #STREAM_FIELDS}.
 */
final class VlJsonLine implements LineParser<byte[]> {
    static final JsonFactory JSON = new JsonFactory();

    /**
     * Stream fields: the deployment a line comes from ({@code deployment_id}: environment, account, region, target,
     * service, tag) plus the parts people filter on first. They are all fixed by {@code deployment_id}, so there is
     * one stream per deployment (hundreds, not millions): {@code _stream:{service="media",region="us-east-1"}}
     * filters skip whole blocks, and per-stream storage keeps similar lines together. The release number is left
     * out on purpose (every deploy would start new streams), and so are user, request and trace ids (cardinality).
     */
    static final String STREAM_FIELDS = "environment,region,stack,service,deployment_id";
    static final String PATH = "/insert/jsonline?_msg_field=message&_time_field=timestamp&_stream_fields=" + STREAM_FIELDS;

    static WireFormat<byte[]> format() { return new JsonLinesBody(PATH, "application/stream+json"); }

    /**
     * Where import-vl sends to {@code base}; with {@code tenant} (accountID[:projectID]) every request carries the
     * {@code AccountID} and {@code ProjectID} headers that VictoriaLogs (cluster vlinsert or a single node) files
     * the logs under.
     */
    static StoreEndpoint endpoint(URI base, String tenant) {
        if (tenant == null) return StoreEndpoint.plain(base, counters(base));
        var t = AccountTenant.parse(tenant);
        return new StoreEndpoint(base, t.toString(), "", List.of(new StoreEndpoint.Header("AccountID", Long.toString(t.accountId())),
                new StoreEndpoint.Header("ProjectID", Long.toString(t.projectId()))), counters(base));
    }

    /** Rows ingested from /insert/jsonline; rows dropped (where the version counts them); insert errors. */
    static ServerCounters counters(URI base) {
        return new ServerCounters(URI.create(base.toString().replaceAll("/+$", "") + "/metrics"),
                List.of("vl_rows_ingested_total{type=\"jsonline\"}"),
                List.of("vl_rows_dropped_total"),
                List.of("vl_http_errors_total{path=\"/insert/jsonline\"}"));
    }

    @Override
    public byte[] parse(JsonLinesReader.Line line) throws JsonLinesReader.BadLineException {
        JsonNode n = line.json();
        JsonNode ts = n.get("timestamp"), msg = n.get("message");
        if (ts == null || !ts.isTextual()) throw new JsonLinesReader.BadLineException(line, "\"timestamp\" missing or not a string");
        try {
            Instant.parse(ts.asText());
        } catch (DateTimeParseException e) {
            throw new JsonLinesReader.BadLineException(line, "\"timestamp\" is not an ISO-8601 instant: " + ts.asText());
        }
        if (msg == null || !msg.isTextual()) throw new JsonLinesReader.BadLineException(line, "\"message\" missing or not a string");
        Map<String, String> fields = new LinkedHashMap<>(64);
        for (var e : n.properties()) {
            JsonNode v = e.getValue();
            if (v.isNull()) continue;
            if (!v.isValueNode()) throw new JsonLinesReader.BadLineException(line, "field \"" + e.getKey() + "\" is not a plain value");
            fields.put(e.getKey(), v.isNumber() ? v.numberValue().toString() : v.asText());
        }
        JsonNode rel = n.get("release_id");
        fields.putAll(ReleaseTags.of(line, rel == null || rel.isNull() ? null : rel.asText()));
        var buf = new ByteArrayOutputStream(1600);
        try (JsonGenerator g = JSON.createGenerator(buf)) {
            g.writeStartObject();
            for (var e : fields.entrySet()) g.writeStringField(e.getKey(), e.getValue());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }
}
