import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.regex.Pattern;

/**
 * A Qairon release id: twelve colon-separated parts, infrastructure path first, application path second.
 * <pre>{env}:{provider}:{account}:{region}:{partition}:{target_type}:{target}:{app}:{stack}:{service}:{tag}:{release}</pre>
 * This is the one place that splits an id; importers, generators and loaders ask it for tags.
 */
record ReleaseId(String environment, String provider, String account, String region, String partition,
                 String targetType, String target, String application, String stack, String service,
                 String tag, String release) {

    /** The 12 single-word tags, in id order, under their wire names. */
    static final List<String> PART_NAMES = List.of("environment", "provider", "account", "region", "partition",
            "target_type", "target", "application", "stack", "service", "tag", "release");

    /** The 8 composite ids, from the infrastructure root to the full release. */
    static final List<String> COMPOSITE_NAMES = List.of("provider_id", "region_id", "partition_id", "target_id",
            "stack_id", "service_id", "deployment_id", "release_id");

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9._\\-]+");
    private static final Pattern NUMBER = Pattern.compile("[0-9]+");

    ReleaseId {
        String[] parts = {environment, provider, account, region, partition, targetType, target,
                application, stack, service, tag, release};
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] == null || !PART.matcher(parts[i]).matches()) {
                throw new IllegalArgumentException("release id part " + (i + 1) + " (" + PART_NAMES.get(i) + ") "
                        + (parts[i] == null || parts[i].isEmpty() ? "is empty" : "\"" + parts[i] + "\" has a character outside [A-Za-z0-9._-]"));
            }
        }
        if (!NUMBER.matcher(release).matches()) {
            throw new IllegalArgumentException("release id part 12 (release) must be a number, got \"" + release + "\"");
        }
    }

    /** Parses {@code env:provider:...:tag:release}; the message of a failure quotes the id and says what is wrong. */
    static ReleaseId parse(String id) {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("release id is empty");
        String[] p = id.split(":", -1);
        if (p.length != 12) {
            throw new IllegalArgumentException("release id \"" + id + "\" has " + p.length
                    + " parts, expected 12 (" + String.join(":", PART_NAMES) + ")");
        }
        try {
            return new ReleaseId(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("release id \"" + id + "\": " + e.getMessage(), e);
        }
    }

    /** Like {@link #parse} but answers null instead of throwing, for hot paths that count bad ids themselves. */
    static ReleaseId tryParse(String id) {
        if (id == null) return null;
        try {
            return parse(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    String providerId() { return environment + ':' + provider + ':' + account; }
    String regionId() { return providerId() + ':' + region; }
    String partitionId() { return regionId() + ':' + partition; }
    String targetId() { return partitionId() + ':' + targetType + ':' + target; }
    String stackId() { return application + ':' + stack; }
    String serviceId() { return stackId() + ':' + service; }
    String deploymentId() { return targetId() + ':' + serviceId() + ':' + tag; }
    String releaseId() { return deploymentId() + ':' + release; }

    /** The release number as an int (validated digits). */
    int releaseNumber() { return Integer.parseInt(release); }

    /** All 20 derived fields: the 12 parts then the 8 composites, in a stable order. */
    SequencedMap<String, String> tags() {
        var m = new LinkedHashMap<String, String>(32);
        m.put("environment", environment);
        m.put("provider", provider);
        m.put("account", account);
        m.put("region", region);
        m.put("partition", partition);
        m.put("target_type", targetType);
        m.put("target", target);
        m.put("application", application);
        m.put("stack", stack);
        m.put("service", service);
        m.put("tag", tag);
        m.put("release", release);
        m.put("provider_id", providerId());
        m.put("region_id", regionId());
        m.put("partition_id", partitionId());
        m.put("target_id", targetId());
        m.put("stack_id", stackId());
        m.put("service_id", serviceId());
        m.put("deployment_id", deploymentId());
        m.put("release_id", releaseId());
        return m;
    }

    /** Same as {@link #tags()} as an unmodifiable map, for callers that only read. */
    Map<String, String> tagMap() { return java.util.Collections.unmodifiableMap(tags()); }

    @Override
    public String toString() { return releaseId(); }
}
