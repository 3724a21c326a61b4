import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * OTLP/HTTP protobuf for {@code POST /v1/traces}: a batch of spans becomes one {@code ExportTraceServiceRequest}
 * with one {@code ResourceSpans} per release (the deployment that served the spans, first-seen order), one scope
 * ({@code qairon-kit}), spans grouped by trace and in start order inside it. An OTLP answer may accept the
 * request and still refuse spans ({@code partial_success.rejected_spans}): those are counted as not delivered.
 */
final class OtlpTraceBody implements WireFormat<LogSpan> {
    static final String PATH = "/v1/traces";
    /** The kit as instrumentation scope, for every signal it writes in OTLP (traces here, logs and metrics in OTLP files). */
    static final InstrumentationScope SCOPE = InstrumentationScope.newBuilder().setName("qairon-kit").setVersion(KitVersion.VERSION).build();
    static final Comparator<Span> BY_TRACE_THEN_START = Comparator
            .comparing((Span s) -> s.getTraceId(), com.google.protobuf.ByteString.unsignedLexicographicalComparator())
            .thenComparingLong(Span::getStartTimeUnixNano);

    /** Tempo's tenant ids: letters, digits and {@code !-_.*'()}, at most 150 characters, not "." or "..". */
    private static final java.util.regex.Pattern ORG_ID = java.util.regex.Pattern.compile("[A-Za-z0-9!\\-_.*'()]{1,150}");

    /**
     * Where export-tempo sends to {@code base}; with {@code orgId} every request carries {@code X-Scope-OrgID},
     * the tenant of a multi-tenant Tempo. Tempo has no counters here (null).
     */
    static StoreEndpoint endpoint(java.net.URI base, String orgId) {
        if (orgId == null) return StoreEndpoint.plain(base, null);
        if (!ORG_ID.matcher(orgId).matches() || orgId.equals(".") || orgId.equals(".."))
            throw new IllegalArgumentException("--tenant for Tempo is an org id (letters, digits and !-_.*'(), at most 150), got \"" + orgId + "\"");
        return new StoreEndpoint(base, orgId, "", List.of(new StoreEndpoint.Header("X-Scope-OrgID", orgId)), null);
    }

    @Override
    public String path() { return PATH; }

    @Override
    public String contentType() { return "application/x-protobuf"; }

    @Override
    public long size(LogSpan s) { return s.span().getSerializedSize() + 8L; }

    @Override
    public byte[] body(List<LogSpan> spans) { return request(spans).toByteArray(); }

    static ExportTraceServiceRequest request(List<LogSpan> spans) {
        var byResource = new LinkedHashMap<String, List<LogSpan>>();
        for (LogSpan s : spans) byResource.computeIfAbsent(s.resourceKey(), k -> new ArrayList<>()).add(s);
        var req = ExportTraceServiceRequest.newBuilder();
        for (var group : byResource.values()) {
            var list = new ArrayList<Span>(group.size());
            for (LogSpan s : group) list.add(s.span());
            list.sort(BY_TRACE_THEN_START);
            req.addResourceSpans(ResourceSpans.newBuilder().setResource(group.get(0).resource())
                    .addScopeSpans(ScopeSpans.newBuilder().setScope(SCOPE).addAllSpans(list)));
        }
        return req.build();
    }

    @Override
    public long rejected(byte[] answer, String contentType) {
        if (answer.length == 0 || !contentType.contains("protobuf")) return 0;
        try {
            return ExportTraceServiceResponse.parseFrom(answer).getPartialSuccess().getRejectedSpans();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return 0;
        }
    }
}
