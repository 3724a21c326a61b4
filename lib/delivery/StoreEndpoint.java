import java.net.URI;
import java.util.List;

/**
 * One place a store takes records: its base URL, the tenant's path prefix and headers, and the store's own counters
 * there. Several endpoints of one store (cluster insert nodes, replicas, a vmauth) share a run's batches
 * ({@link BatchSender}); each is checked against its own counters ({@link CounterCheck}).
 *
 * @param base       base URL, e.g. http://vminsert-0:8480
 * @param tenant     the tenant as the summary and the checkpoint name it, "" for none
 * @param pathPrefix put before the format's path, e.g. {@code /insert/42:7/prometheus}; "" for none
 * @param headers    sent with every request, e.g. {@code X-Scope-OrgID}
 * @param counters   the store's /metrics counters at this endpoint, or null when it has none worth reading
 */
record StoreEndpoint(URI base, String tenant, String pathPrefix, List<Header> headers, ServerCounters counters) {
    /** One request header. */
    record Header(String name, String value) {}

    StoreEndpoint {
        if (base.getHost() == null) throw new IllegalArgumentException("not a URL with a host: " + base);
        headers = List.copyOf(headers);
    }

    /** A store without tenants at {@code base}. */
    static StoreEndpoint plain(URI base, ServerCounters counters) { return new StoreEndpoint(base, "", "", List.of(), counters); }

    /**
     * The endpoints of one store from {@code --<store>-url a,b,c} and {@code --tenant}, each made by the store's
     * {@code factory}; an IllegalArgumentException names a bad tenant, or a URL given twice (its batches would be
     * counted apart but stored together).
     */
    static List<StoreEndpoint> all(List<URI> urls, String tenant, java.util.function.BiFunction<URI, String, StoreEndpoint> factory) {
        var out = new java.util.ArrayList<StoreEndpoint>();
        var seen = new java.util.HashSet<String>();
        for (URI given : urls) {
            URI u = withoutUserInfo(given);
            if (!seen.add(u.toString().replaceAll("/+$", ""))) throw new IllegalArgumentException(u + " is given twice");
            StoreEndpoint e = factory.apply(u, tenant);
            if (given.getRawUserInfo() != null) e = e.with(basicAuth(given));
            out.add(e);
        }
        if (out.isEmpty()) throw new IllegalArgumentException("no store URL given");
        return List.copyOf(out);
    }

    /** The same endpoint with one more header. */
    StoreEndpoint with(Header header) {
        var h = new java.util.ArrayList<>(headers);
        h.add(header);
        return new StoreEndpoint(base, tenant, pathPrefix, h, counters);
    }

    /** The same endpoint checked against {@code counters} (a store whose counters live apart from its ingest URL). */
    StoreEndpoint withCounters(ServerCounters counters) {
        return new StoreEndpoint(base, tenant, pathPrefix, headers, counters);
    }

    /**
     * {@code http://user:password@host} (a vmauth user, say) as HTTP basic authentication, so the credentials go in
     * a header and never into the summary or a file name.
     */
    static Header basicAuth(URI url) {
        String info = java.net.URLDecoder.decode(url.getRawUserInfo().replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        return new Header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(info.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    static URI withoutUserInfo(URI url) {
        if (url.getRawUserInfo() == null) return url;
        try {
            return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), url.getQuery(), url.getFragment());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage(), e);
        }
    }

    /** Where a batch of {@code format} is POSTed. */
    URI target(WireFormat<?> format) {
        String b = base.toString().replaceAll("/+$", "");
        return URI.create(b + pathPrefix + format.path());
    }

    /** {@code host_port} (plus {@code @tenant}), for file names. */
    String key() {
        int port = base.getPort() < 0 ? ("https".equals(base.getScheme()) ? 443 : 80) : base.getPort();
        return base.getHost() + "_" + port + (tenant.isEmpty() ? "" : "@" + tenant.replace(':', '-'));
    }

    /** The base URL with the tenant, for the summary. */
    String label() { return base + (tenant.isEmpty() ? "" : " (tenant " + tenant + ")"); }
}
