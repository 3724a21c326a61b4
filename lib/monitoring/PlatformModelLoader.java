import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the five model files of a platform directory (personas, actions, dependencies, infrastructure, platform)
 * and checks them against each other. Every problem becomes a {@link PlatformModelException} whose message names
 * the file and the JSON path: {@code fixtures/social_network/actions.json: actions[12].category "x" is not ...}.
 */
final class PlatformModelLoader {
    static final List<String> FILES = List.of("personas.json", "actions.json", "dependencies.json", "infrastructure.json", "platform.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private Path file;

    private PlatformModelLoader(Path dir) { this.dir = dir; }

    static PlatformModel load(Path dir) {
        if (!Files.isDirectory(dir))
            throw new PlatformModelException(dir + ": model directory not found (expected " + String.join(", ", FILES) + ")");
        return new PlatformModelLoader(dir).read();
    }

    private PlatformModel read() {
        JsonNode actionsDoc = open("actions.json");
        List<String> categories = new ArrayList<>();
        for (JsonNode c : array(actionsDoc, "categories", "categories")) categories.add(text(c, "categories[]"));
        if (new HashSet<>(categories).size() != categories.size()) fail("categories", "lists a category twice");
        var actions = new ArrayList<ServiceAction>();
        var seen = new HashSet<String>();
        int i = 0;
        for (JsonNode a : array(actionsDoc, "actions", "actions")) {
            String at = "actions[" + i++ + "]";
            ServiceAction action = build(at, () -> new ServiceAction(str(a, "stack", at), str(a, "service", at), str(a, "action", at),
                    str(a, "category", at), num(a, "weight", at), bool(a, "is_write", at), optStr(a, "object_type"),
                    bool(a, "has_target_user", at), num(a, "base_latency_ms", at), num(a, "latency_stddev_ms", at),
                    num(a, "base_payload_bytes", at), num(a, "payload_stddev_bytes", at)));
            if (!categories.contains(action.category()))
                fail(at + ".category", "\"" + action.category() + "\" is not one of categories " + categories + " - fix the name or add it there");
            checkKeyPart(at + ".stack", action.stack());
            checkKeyPart(at + ".service", action.service());
            if (!seen.add(action.serviceKey() + ":" + action.action()))
                fail(at, "action " + action.serviceKey() + ":" + action.action() + " is listed twice");
            actions.add(action);
        }
        if (actions.isEmpty()) fail("actions", "is empty");
        var categoriesWithActions = new HashSet<String>();
        for (ServiceAction a : actions) if (a.weight() > 0) categoriesWithActions.add(a.category());

        JsonNode personasDoc = open("personas.json");
        var personas = new ArrayList<Persona>();
        var names = new HashSet<String>();
        i = 0;
        for (JsonNode p : array(personasDoc, "personas", "personas")) {
            String at = "personas[" + i++ + "]";
            String name = str(p, "name", at);
            String where = at + " (" + name + ")";
            var weights = new LinkedHashMap<String, Double>();
            JsonNode aw = obj(p, "action_weights", where);
            aw.fields().forEachRemaining(e -> {
                if (!e.getValue().isNumber()) fail(where + ".action_weights." + e.getKey(), "must be a number");
                if (!categories.contains(e.getKey()))
                    fail(where + ".action_weights", "category \"" + e.getKey() + "\" is not defined in actions.json categories - fix the name or add it there");
                weights.put(e.getKey(), e.getValue().asDouble());
            });
            double usable = 0;
            for (var e : weights.entrySet()) if (categoriesWithActions.contains(e.getKey())) usable += e.getValue();
            if (usable <= 0) fail(where + ".action_weights", "gives no weight to any category that has actions");
            Persona persona = build(where, () -> new Persona(name, str(p, "archetype", where), optStr(p, "description"),
                    num(p, "user_percentage", where), num(p, "activity_multiplier", where),
                    p.has("activity_jitter") ? num(p, "activity_jitter", where) : 0.0, num(p, "success_rate", where),
                    num(p, "latency_multiplier", where), weights, nums(p, "hourly_weights", where), nums(p, "daily_weights", where)));
            if (!names.add(name)) fail(where, "persona name is used twice");
            personas.add(persona);
        }
        if (personas.isEmpty()) fail("personas", "is empty");
        if (personas.stream().mapToDouble(Persona::userPercentage).sum() <= 0) fail("personas", "all user_percentage values are zero");

        JsonNode depsDoc = open("dependencies.json");
        var deps = new LinkedHashMap<String, List<String>>();
        obj(depsDoc, "service_dependencies", "").fields().forEachRemaining(e -> {
            String at = "service_dependencies." + e.getKey();
            checkServiceKey(at, e.getKey());
            if (!e.getValue().isArray()) fail(at, "must be an array of service keys");
            var callees = new ArrayList<String>();
            for (JsonNode c : e.getValue()) {
                String key = text(c, at + "[]");
                checkServiceKey(at, key);
                if (key.equals(e.getKey())) fail(at, "a service cannot depend on itself");
                if (callees.contains(key)) fail(at, "lists " + key + " twice");
                callees.add(key);
            }
            deps.put(e.getKey(), List.copyOf(callees));
        });

        JsonNode infraDoc = open("infrastructure.json");
        var components = new ArrayList<InfraComponent>();
        obj(infraDoc, "components", "").fields().forEachRemaining(e -> {
            String at = "components." + e.getKey();
            JsonNode c = e.getValue();
            var services = new ArrayList<String>();
            for (JsonNode s : array(c, "services", at)) {
                String key = text(s, at + ".services[]");
                checkServiceKey(at + ".services", key);
                services.add(key);
            }
            var codes = new ArrayList<String>();
            for (JsonNode s : array(c, "error_codes", at)) codes.add(s.isNumber() ? s.asText() : text(s, at + ".error_codes[]"));
            components.add(build(at, () -> new InfraComponent(e.getKey(), optStr(c, "description"), services,
                    num(c, "failure_rate", at), str(c, "error_type", at), codes, str(c, "error_message", at))));
        });
        JsonNode inc = obj(infraDoc, "incidents", "");
        UniformRange perYear = range(inc, "per_component_per_year", "incidents");
        UniformRange minutes = range(inc, "duration_minutes", "incidents");
        double amplification = num(inc, "cascade_amplification", "incidents");
        if (perYear.min() < 0) fail("incidents.per_component_per_year", "must not be negative");
        if (minutes.min() < 1) fail("incidents.duration_minutes", "must be at least 1 minute");
        if (amplification < 1) fail("incidents.cascade_amplification", "must be at least 1");

        PlatformSettings settings = settings(open("platform.json"), perYear, minutes, amplification);
        int maxCallees = deps.values().stream().mapToInt(List::size).max().orElse(0);
        if (maxCallees * settings.childStartOffsetFraction() >= settings.childEndLimitFraction() - 0.05)
            fail("child_spans", "start_offset_fraction x " + maxCallees + " callees leaves no room for child spans inside the parent - lower start_offset_fraction");
        return new PlatformModel(dir, personas, categories, actions, deps, components, settings);
    }

    private PlatformSettings settings(JsonNode p, UniformRange perYear, UniformRange minutes, double amplification) {
        var placements = new ArrayList<Placement>();
        int i = 0;
        for (JsonNode e : array(p, "environments", "")) {
            String at = "environments[" + i++ + "]";
            placements.add(build(at, () -> new Placement(str(e, "env", at), str(e, "account", at), str(e, "region", at), num(e, "weight", at))));
        }
        if (placements.stream().mapToDouble(Placement::weight).sum() <= 0) fail("environments", "all weights are zero");
        String format = str(p, "release_id_format", "");
        for (String ph : List.of("{env}", "{account}", "{region}", "{stack}", "{service}", "{release}"))
            if (!format.contains(ph)) fail("release_id_format", "lacks the placeholder " + ph);
        if (format.split(":", -1).length != 12) fail("release_id_format", "must have 12 colon-separated parts");
        JsonNode err = obj(p, "errors", "");
        List<String> client = strings(err, "client_codes", "errors");
        List<String> server = strings(err, "server_codes", "errors");
        List<String> deploy = strings(err, "deployment_codes", "errors");
        var messages = new HashMap<String, String>();
        obj(err, "messages", "errors").fields().forEachRemaining(e -> messages.put(e.getKey(), text(e.getValue(), "errors.messages." + e.getKey())));
        for (String c : concat(client, server, deploy))
            if (!messages.containsKey(c)) fail("errors.messages", "has no message for code " + c + " - add one");
        Set<String> levels = new LinkedHashSet<>(strings(err, "error_levels", "errors"));
        double clientP = num(err, "client_probability", "errors");
        if (clientP < 0 || clientP > 1) fail("errors.client_probability", "must be in [0, 1]");
        JsonNode d = obj(p, "deployments", "");
        JsonNode l = obj(p, "latency", "");
        JsonNode c = obj(p, "child_spans", "");
        JsonNode x = obj(p, "exemplars", "");
        double builds = num(d, "builds_per_service_per_year", "deployments");
        if (builds < 0) fail("deployments.builds_per_service_per_year", "must not be negative");
        UniformRange tf = range(d, "throughput_factor", "deployments");
        if (tf.min() <= 0 || tf.max() > 1) fail("deployments.throughput_factor", "must lie in (0, 1]");
        UniformRange ratio = range(c, "duration_ratio", "child_spans");
        double offset = num(c, "start_offset_fraction", "child_spans");
        double limit = num(c, "end_limit_fraction", "child_spans");
        if (!(limit > 0 && limit <= 1)) fail("child_spans.end_limit_fraction", "must lie in (0, 1]");
        if (offset < 0) fail("child_spans.start_offset_fraction", "must not be negative");
        if (ratio.min() <= 0 || ratio.max() > 1) fail("child_spans.duration_ratio", "must lie in (0, 1]");
        return new PlatformSettings(optStr(p, "application") == null ? "social" : optStr(p, "application"), placements, format,
                clientP, client, server, messages, levels, deploy,
                perYear, minutes, amplification,
                builds, range(d, "cicd_delay_minutes", "deployments"), range(d, "stagger_minutes", "deployments"),
                range(d, "duration_minutes", "deployments"), tf, range(d, "error_rate_boost", "deployments"),
                range(d, "latency_multiplier", "deployments"),
                num(l, "failure_fast_probability", "latency"), num(l, "failure_fast_factor", "latency"), num(l, "failure_slow_factor", "latency"),
                offset, ratio, limit, num(c, "base_payload_bytes", "child_spans"), num(c, "payload_stddev_bytes", "child_spans"),
                num(x, "slow_threshold_ms", "exemplars"), num(x, "random_fraction", "exemplars"),
                num(p, "cache_hit_probability", ""), strings(p, "hashtags", ""));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        var out = new ArrayList<String>();
        for (var l : lists) out.addAll(l);
        return out;
    }

    // ---- JSON access with file-and-path errors ----

    private JsonNode open(String name) {
        file = dir.resolve(name);
        if (!Files.exists(file)) throw new PlatformModelException(file + ": missing - every model directory needs " + String.join(", ", FILES));
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n == null || !n.isObject()) throw new PlatformModelException(file + ": must hold one JSON object");
            return n;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new PlatformModelException(file + (loc != null ? ":" + loc.getLineNr() : "") + ": not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (NoSuchFileException e) {
            throw new PlatformModelException(file + ": missing - every model directory needs " + String.join(", ", FILES));
        } catch (IOException e) {
            throw new PlatformModelException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private void fail(String at, String what) {
        throw new PlatformModelException(file + ": " + (at.isEmpty() ? "" : at + ": ") + what);
    }

    private <T> T build(String at, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            fail(at, e.getMessage());
            return null;
        }
    }

    private static String path(String at, String field) { return at.isEmpty() ? field : at + "." + field; }

    private JsonNode field(JsonNode n, String field, String at) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) fail(path(at, field), "is missing");
        return v;
    }

    private JsonNode obj(JsonNode n, String field, String at) {
        JsonNode v = field(n, field, at);
        if (!v.isObject()) fail(path(at, field), "must be an object");
        return v;
    }

    private JsonNode array(JsonNode n, String field, String at) {
        JsonNode v = field(n, field, at.equals(field) ? "" : at);
        if (!v.isArray()) fail(path(at.equals(field) ? "" : at, field), "must be an array");
        return v;
    }

    private String str(JsonNode n, String field, String at) {
        JsonNode v = field(n, field, at);
        if (!v.isTextual() || v.asText().isBlank()) fail(path(at, field), "must be a non-empty string");
        return v.asText();
    }

    private static String optStr(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private String text(JsonNode v, String at) {
        if (!v.isTextual() || v.asText().isBlank()) fail(at, "must be a non-empty string");
        return v.asText();
    }

    private double num(JsonNode n, String field, String at) {
        JsonNode v = field(n, field, at);
        if (!v.isNumber()) fail(path(at, field), "must be a number, got " + v);
        return v.asDouble();
    }

    private boolean bool(JsonNode n, String field, String at) {
        JsonNode v = field(n, field, at);
        if (!v.isBoolean()) fail(path(at, field), "must be true or false, got " + v);
        return v.asBoolean();
    }

    private double[] nums(JsonNode n, String field, String at) {
        JsonNode v = array(n, field, at);
        double[] out = new double[v.size()];
        for (int k = 0; k < out.length; k++) {
            if (!v.get(k).isNumber()) fail(path(at, field) + "[" + k + "]", "must be a number");
            out[k] = v.get(k).asDouble();
        }
        return out;
    }

    private List<String> strings(JsonNode n, String field, String at) {
        var out = new ArrayList<String>();
        for (JsonNode s : array(n, field, at)) out.add(s.isNumber() ? s.asText() : text(s, path(at, field) + "[]"));
        return out;
    }

    private UniformRange range(JsonNode n, String field, String at) {
        double[] v = nums(n, field, at);
        if (v.length != 2) fail(path(at, field), "must be [min, max]");
        return build(path(at, field), () -> new UniformRange(v[0], v[1]));
    }

    private void checkServiceKey(String at, String key) {
        String[] parts = key.split(":", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty())
            fail(at, "\"" + key + "\" is not a service key <stack>:<service>");
    }

    private void checkKeyPart(String at, String part) {
        if (part.contains(":") || part.contains("\"") || part.contains("\\")) fail(at, "\"" + part + "\" must not contain ':', '\"' or '\\'");
    }
}
