import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The simulated platform, read once from {@code fixtures/<platform>/*.json} and validated by
 * {@link PlatformModelLoader}: personas, user-facing actions, documented service dependencies, hidden
 * infrastructure components and platform settings. Service keys are {@code <stack>:<service>}.
 */
record PlatformModel(Path dir, List<Persona> personas, List<String> categories, List<ServiceAction> actions,
                     Map<String, List<String>> dependencies, List<InfraComponent> components,
                     PlatformSettings settings) {
    PlatformModel {
        personas = List.copyOf(personas);
        categories = List.copyOf(categories);
        actions = List.copyOf(actions);
        dependencies = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(dependencies));
        components = List.copyOf(components);
    }

    static PlatformModel load(Path dir) { return PlatformModelLoader.load(dir); }

    /** Every service key the model mentions, in first-seen order: actions, dependencies, infrastructure. */
    List<String> serviceKeys() {
        var keys = new LinkedHashSet<String>();
        for (ServiceAction a : actions) keys.add(a.serviceKey());
        dependencies.forEach((caller, callees) -> { keys.add(caller); keys.addAll(callees); });
        for (InfraComponent c : components) keys.addAll(c.services());
        return new ArrayList<>(keys);
    }

    List<String> dependenciesOf(String serviceKey) { return dependencies.getOrDefault(serviceKey, List.of()); }
}
