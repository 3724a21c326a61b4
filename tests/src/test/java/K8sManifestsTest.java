import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The Kubernetes manifests (deploy/k8s/base, kustomize) parse as real Kubernetes objects, pin every image, set
 * resources, reference only what exists, and run the kit with arguments its own command definitions accept, so the
 * manifests cannot drift from the flags, the dashboards or docker-compose.yml.
 */
class K8sManifestsTest {
    private static final Path BASE = KitLayout.ROOT.resolve("deploy/k8s/base");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DOC_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    /** Every object a kustomize build of the base would hold, read file by file (resources, recursively). */
    record Manifests(List<HasMetadata> objects, Set<String> configMaps, Set<String> kustomizations) {
        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        /** Every pod template with the name of the workload that owns it. */
        Map<String, PodTemplateSpec> podTemplates() {
            var out = new LinkedHashMap<String, PodTemplateSpec>();
            for (var d : all(Deployment.class)) out.put("Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate());
            for (var s : all(StatefulSet.class)) out.put("StatefulSet/" + s.getMetadata().getName(), s.getSpec().getTemplate());
            for (var j : all(Job.class)) out.put("Job/" + j.getMetadata().getName(), j.getSpec().getTemplate());
            return out;
        }
    }

    /** What {@code kubectl kustomize dir} would build: resources (recursively), generators, JSON 6902 patches. */
    static Manifests load(Path dir) throws Exception {
        var m = new Manifests(new ArrayList<>(), new LinkedHashSet<>(), new LinkedHashSet<>());
        var serialization = new KubernetesSerialization();
        for (var doc : build(dir, m)) {
            String where = doc.source() + " " + doc.tree().path("kind").asText() + "/" + doc.tree().path("metadata").path("name").asText();
            Object o = serialization.unmarshal(doc.tree().toString());
            assertInstanceOf(HasMetadata.class, o, where + ": not a Kubernetes object");
            assertFalse(o instanceof GenericKubernetesResource, where + ": unknown kind");
            assertNoUnknownFields(o, where, new IdentityHashMap<>());
            m.objects().add((HasMetadata) o);
        }
        return m;
    }

    record Doc(Path source, ObjectNode tree) {}

    private static List<Doc> build(Path dir, Manifests m) throws Exception {
        Path file = dir.resolve("kustomization.yaml");
        assertTrue(Files.isRegularFile(file), dir + " has no kustomization.yaml");
        m.kustomizations().add(KitLayout.ROOT.relativize(dir.normalize()).toString());
        JsonNode k = YAML.readTree(file.toFile());
        assertEquals("Kustomization", k.path("kind").asText(), file + ": kind");
        var docs = new ArrayList<Doc>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            if (Files.isDirectory(p)) {
                docs.addAll(build(p, m));
                continue;
            }
            assertTrue(Files.isRegularFile(p), file + " lists a missing resource " + r.asText());
            for (String text : DOC_SEPARATOR.split(Files.readString(p))) {
                if (text.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"))) continue;
                JsonNode tree = YAML.readTree(text);
                assertInstanceOf(ObjectNode.class, tree, p + ": a document that is not an object:\n" + text);
                docs.add(new Doc(p, (ObjectNode) tree));
            }
        }
        for (JsonNode g : k.path("configMapGenerator")) {
            m.configMaps().add(g.path("name").asText());
            for (JsonNode f : g.path("files")) {
                String src = f.asText().contains("=") ? f.asText().substring(f.asText().indexOf('=') + 1) : f.asText();
                assertTrue(Files.isRegularFile(dir.resolve(src)), file + ": configMapGenerator " + g.path("name").asText() + " names a missing file " + src);
            }
        }
        for (JsonNode patch : k.path("patches")) {
            JsonNode target = patch.path("target");
            JsonNode ops = YAML.readTree(patch.path("patch").asText());
            int matched = 0;
            for (var doc : docs) {
                if (!target.path("kind").asText().equals(doc.tree().path("kind").asText())) continue;
                if (target.has("name") && !target.path("name").asText().equals(doc.tree().path("metadata").path("name").asText())) continue;
                for (JsonNode op : ops) applyReplace(doc.tree(), op, file + " patch on " + doc.tree().path("metadata").path("name").asText());
                matched++;
            }
            assertTrue(matched > 0, file + ": a patch matches nothing: " + target);
        }
        return docs;
    }

    /** JSON 6902 "replace": the path must exist (kustomize refuses the patch otherwise). */
    private static void applyReplace(ObjectNode root, JsonNode op, String where) {
        assertEquals("replace", op.path("op").asText(), where + ": only replace ops are used");
        String[] path = op.path("path").asText().substring(1).split("/");
        JsonNode parent = root;
        for (int i = 0; i < path.length - 1; i++) parent = parent.isArray() ? parent.path(Integer.parseInt(path[i])) : parent.path(path[i]);
        String last = path[path.length - 1];
        if (parent instanceof ArrayNode array) {
            int i = Integer.parseInt(last);
            assertTrue(i < array.size(), where + ": no " + op.path("path").asText());
            array.set(i, op.path("value"));
        } else {
            assertTrue(parent instanceof ObjectNode o && o.has(last), where + ": no " + op.path("path").asText());
            ((ObjectNode) parent).set(last, op.path("value"));
        }
    }

    /** The model keeps fields it does not know in additionalProperties: a typo in a manifest lands there. */
    private static void assertNoUnknownFields(Object o, String where, IdentityHashMap<Object, Boolean> seen) throws Exception {
        if (o == null || seen.put(o, true) != null) return;
        if (o instanceof Iterable<?> list) {
            for (Object e : list) assertNoUnknownFields(e, where, seen);
            return;
        }
        if (o instanceof Map<?, ?> map) {
            for (Object e : map.values()) assertNoUnknownFields(e, where, seen);
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) return;
        for (Method g : o.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || !g.getName().startsWith("get") || g.getDeclaringClass() == Object.class) continue;
            Object v = g.invoke(o);
            if (g.getName().equals("getAdditionalProperties")) {
                assertTrue(v == null || ((Map<?, ?>) v).isEmpty(), where + ": unknown fields " + v + " in " + o.getClass().getSimpleName());
            } else {
                assertNoUnknownFields(v, where, seen);
            }
        }
    }

    private static Stream<Container> containers(PodTemplateSpec t) {
        PodSpec s = t.getSpec();
        return Stream.concat(s.getInitContainers().stream(), s.getContainers().stream());
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/k8s/base", "deploy/k8s/overlays/kind"})
    void everyManifestParsesAsKubernetesObjectsWithoutUnknownFields(String dir) throws Exception {
        var m = load(KitLayout.ROOT.resolve(dir));
        var kinds = m.objects().stream().map(HasMetadata::getKind).distinct().toList();
        for (String kind : List.of("Namespace", "Service", "StatefulSet", "Deployment", "Job", "Secret")) {
            assertTrue(kinds.contains(kind), "no " + kind + " among " + kinds);
        }
        var names = new LinkedHashSet<String>();
        for (var o : m.objects()) {
            assertTrue(names.add(o.getKind() + "/" + o.getMetadata().getName()), "defined twice: " + o.getKind() + "/" + o.getMetadata().getName());
        }
        assertTrue(m.kustomizations().contains("config/grafana"), "the Grafana dashboards do not come from config/grafana: " + m.kustomizations());
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/k8s/base", "deploy/k8s/overlays/kind"})
    void everyImageIsPinnedAndMatchesDockerCompose(String dir) throws Exception {
        var m = load(KitLayout.ROOT.resolve(dir));
        var compose = YAML.readTree(KitLayout.ROOT.resolve("docker-compose.yml").toFile()).path("services");
        var composeImages = new LinkedHashMap<String, String>();
        compose.forEach(s -> composeImages.put(s.path("image").asText().replaceAll(":.*", ""), s.path("image").asText()));
        int checked = 0;
        for (var e : m.podTemplates().entrySet()) {
            for (var c : containers(e.getValue()).toList()) {
                String image = c.getImage();
                assertNotNull(image, e.getKey() + "/" + c.getName() + " has no image");
                assertTrue(image.matches("[^:@]+(:[\\w][\\w.-]*|@sha256:[0-9a-f]{64})"), e.getKey() + "/" + c.getName() + ": image not pinned: " + image);
                assertFalse(image.endsWith(":latest"), e.getKey() + "/" + c.getName() + ": image not pinned: " + image);
                String repo = image.replaceAll("[:@].*", "");
                if (composeImages.containsKey(repo)) {
                    assertEquals(composeImages.get(repo), image, e.getKey() + ": a different version from docker-compose.yml");
                }
                if (repo.matches("victoriametrics/vm(storage|insert|select)")) { // vmalert and the other tools have no -cluster build
                    String single = composeImages.get("victoriametrics/victoria-metrics");
                    assertEquals(single.replaceAll(".*:", "") + "-cluster", image.replaceAll(".*:", ""),
                            e.getKey() + ": VictoriaMetrics cluster version differs from docker-compose.yml's single node");
                }
                if (repo.equals("qairon-kit")) assertEquals("qairon-kit:" + KitVersion.VERSION, image, e.getKey() + ": kit image is not the kit's version");
                checked++;
            }
        }
        assertTrue(checked >= 10, "only " + checked + " containers found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/k8s/base", "deploy/k8s/overlays/kind", "deploy/k8s/jobs/replay-rules"})
    void everyContainerHasCpuAndMemoryRequestsAndLimits(String dir) throws Exception {
        for (var e : load(KitLayout.ROOT.resolve(dir)).podTemplates().entrySet()) {
            for (var c : containers(e.getValue()).toList()) {
                var r = c.getResources();
                String where = e.getKey() + "/" + c.getName();
                assertNotNull(r, where + " has no resources");
                for (String kind : List.of("cpu", "memory")) {
                    assertNotNull(r.getRequests().get(kind), where + " has no " + kind + " request");
                    assertNotNull(r.getLimits().get(kind), where + " has no " + kind + " limit");
                    assertTrue(r.getLimits().get(kind).getNumericalAmount().compareTo(r.getRequests().get(kind).getNumericalAmount()) >= 0,
                            where + ": " + kind + " limit below its request");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/k8s/base", "deploy/k8s/overlays/kind"})
    void everyConfigMapSecretServiceAndEndpointReferencedExists(String dir) throws Exception {
        var m = load(KitLayout.ROOT.resolve(dir));
        var secrets = m.objects().stream().filter(o -> o.getKind().equals("Secret")).map(o -> o.getMetadata().getName()).toList();
        for (var e : m.podTemplates().entrySet()) {
            var spec = e.getValue().getSpec();
            for (var v : spec.getVolumes()) {
                if (v.getConfigMap() != null) assertTrue(m.configMaps().contains(v.getConfigMap().getName()), e.getKey() + ": no ConfigMap " + v.getConfigMap().getName());
                if (v.getSecret() != null) assertTrue(secrets.contains(v.getSecret().getSecretName()), e.getKey() + ": no Secret " + v.getSecret().getSecretName());
            }
            for (var c : containers(e.getValue()).toList()) {
                c.getEnvFrom().forEach(f -> {
                    if (f.getSecretRef() != null) assertTrue(secrets.contains(f.getSecretRef().getName()), e.getKey() + ": no Secret " + f.getSecretRef().getName());
                });
                c.getEnv().forEach(env -> {
                    if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                        assertTrue(secrets.contains(env.getValueFrom().getSecretKeyRef().getName()), e.getKey() + ": no Secret " + env.getValueFrom().getSecretKeyRef().getName());
                    }
                });
                var mounts = c.getVolumeMounts().stream().map(vm -> vm.getName()).toList();
                var claims = e.getKey().startsWith("StatefulSet/")
                        ? m.all(StatefulSet.class).stream().filter(s -> e.getKey().equals("StatefulSet/" + s.getMetadata().getName()))
                                .flatMap(s -> s.getSpec().getVolumeClaimTemplates().stream()).map(p -> p.getMetadata().getName()).toList()
                        : List.<String>of();
                for (String mount : mounts) {
                    assertTrue(spec.getVolumes().stream().anyMatch(v -> v.getName().equals(mount)) || claims.contains(mount),
                            e.getKey() + "/" + c.getName() + " mounts an undefined volume " + mount);
                }
            }
        }
        // every Service selects a workload's pods
        for (var s : m.all(Service.class)) {
            var selector = s.getSpec().getSelector();
            assertTrue(m.podTemplates().values().stream().anyMatch(t -> t.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())),
                    "Service " + s.getMetadata().getName() + " selects no pods: " + selector);
        }
        // every StatefulSet's governing Service exists and is headless where pods are addressed one by one
        for (var st : m.all(StatefulSet.class)) {
            assertTrue(m.all(Service.class).stream().anyMatch(s -> s.getMetadata().getName().equals(st.getSpec().getServiceName())),
                    "StatefulSet " + st.getMetadata().getName() + " names a missing Service " + st.getSpec().getServiceName());
        }
        // every host:port in the kit's arguments is a Service port, or a StatefulSet replica behind its headless Service
        int urls = 0;
        for (var j : m.all(Job.class)) {
            for (var c : containers(j.getSpec().getTemplate()).toList()) {
                for (String arg : c.getArgs()) {
                    var url = Pattern.compile("https?://[^,\\s]+").matcher(arg);
                    while (url.find()) {
                        assertEndpointExists(m, URI.create(url.group()), "Job/" + j.getMetadata().getName());
                        urls++;
                    }
                }
            }
        }
        assertTrue(urls >= 3, "the stream Job names no store endpoints");
    }

    private static void assertEndpointExists(Manifests m, URI url, String where) {
        String[] host = url.getHost().split("\\.");
        int port = url.getPort();
        if (host.length == 2) {
            var pod = Pattern.compile("(.+)-(\\d+)").matcher(host[0]);
            assertTrue(pod.matches(), where + ": " + url + " is not <statefulset>-<n>.<service>");
            var st = m.all(StatefulSet.class).stream().filter(s -> s.getMetadata().getName().equals(pod.group(1))).findFirst();
            assertTrue(st.isPresent(), where + ": " + url + " names no StatefulSet " + pod.group(1));
            assertEquals(host[1], st.get().getSpec().getServiceName(), where + ": " + url + " is not under the StatefulSet's Service");
            assertTrue(Integer.parseInt(pod.group(2)) < st.get().getSpec().getReplicas(), where + ": " + url + " is beyond the StatefulSet's replicas");
            var service = m.all(Service.class).stream().filter(s -> s.getMetadata().getName().equals(host[1])).findFirst().orElseThrow();
            assertEquals("None", service.getSpec().getClusterIP(), where + ": Service " + host[1] + " must be headless for " + url);
            assertTrue(st.get().getSpec().getTemplate().getSpec().getContainers().stream().flatMap(c -> c.getPorts().stream())
                    .anyMatch(p -> p.getContainerPort() == port), where + ": no container port " + port + " for " + url);
        } else {
            assertEquals(1, host.length, where + ": " + url + " is not a Service of the namespace");
            var service = m.all(Service.class).stream().filter(s -> s.getMetadata().getName().equals(host[0])).findFirst();
            assertTrue(service.isPresent(), where + ": " + url + " names no Service");
            assertTrue(service.get().getSpec().getPorts().stream().anyMatch(p -> p.getPort() == port), where + ": Service " + host[0] + " has no port " + port);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/k8s/base", "deploy/k8s/overlays/kind"})
    void theJobsArgumentsParseWithTheKitsOwnCommandDefinitions(String dir) throws Exception {
        var m = load(KitLayout.ROOT.resolve(dir));
        var aliases = KitLayout.aliases();
        int parsed = 0;
        for (var j : m.all(Job.class)) {
            var spec = j.getSpec();
            boolean indexed = "Indexed".equals(spec.getCompletionMode());
            int completions = spec.getCompletions() == null ? 1 : spec.getCompletions();
            for (var c : containers(spec.getTemplate()).toList()) {
                String where = "Job/" + j.getMetadata().getName() + "/" + c.getName();
                assertTrue(c.getCommand() == null || c.getCommand().isEmpty(), where + ": the image's entry point (./jbang) must run, only args are given");
                var args = c.getArgs();
                String alias = args.get(0);
                assertTrue(aliases.containsKey(alias), where + ": " + alias + " is not a catalog alias");
                String className = Path.of(aliases.get(alias)).getFileName().toString().replace(".java", "");
                boolean usesIndex = args.stream().anyMatch(a -> a.contains("$(SHARD_INDEX)"));
                if (usesIndex) {
                    assertTrue(indexed, where + " uses the completion index in a Job that is not Indexed");
                    var env = c.getEnv().stream().filter(e -> e.getName().equals("SHARD_INDEX")).findFirst().orElseThrow(
                            () -> new AssertionError(where + ": $(SHARD_INDEX) is used but not defined in env"));
                    assertEquals("metadata.annotations['batch.kubernetes.io/job-completion-index']", env.getValueFrom().getFieldRef().getFieldPath(), where);
                }
                for (int index = 0; index < (usesIndex ? completions : 1); index++) {
                    String k = Integer.toString(index);
                    var resolved = args.subList(1, args.size()).stream().map(a -> a.replace("$(SHARD_INDEX)", k)).toArray(String[]::new);
                    Object command = Class.forName(className).getDeclaredConstructor().newInstance();
                    var cl = new CommandLine(command);
                    try {
                        cl.parseArgs(resolved);
                    } catch (CommandLine.ParameterException e) {
                        fail(where + ": " + alias + " refuses its arguments " + List.of(resolved) + ": " + e.getMessage());
                    }
                    if (usesIndex) {
                        var shard = cl.getParseResult().matchedOption("--shard");
                        assertNotNull(shard, where + ": --shard is not given");
                        assertEquals(index + "/" + completions, shard.originalStringValues().get(0), where + ": the shard count must equal the Job's completions");
                    }
                    parsed++;
                }
            }
        }
        assertTrue(parsed >= 3, "parsed only " + parsed + " kit command lines");
    }

    @Test
    void theReplayJobReadsAndWritesTheBasesStoresAndItsImageCarriesVmalert() throws Exception {
        var base = load(BASE);
        var job = load(KitLayout.ROOT.resolve("deploy/k8s/jobs/replay-rules"));
        var jobs = job.all(Job.class);
        assertEquals(1, jobs.size());
        var args = containers(jobs.get(0).getSpec().getTemplate()).findFirst().orElseThrow().getArgs();
        assertEquals("replay-rules", args.get(0));
        new CommandLine(new ReplayRules()).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
        String kit = base.all(Job.class).stream().filter(j -> j.getMetadata().getName().equals("kit-stream")).findFirst().orElseThrow()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        assertEquals(kit, containers(jobs.get(0).getSpec().getTemplate()).findFirst().orElseThrow().getImage(), "the kit image of the stream Job");
        for (String flag : List.of("--vm-url=", "--write-url=")) {
            String url = args.stream().filter(a -> a.startsWith(flag)).findFirst().orElseThrow(() -> new AssertionError(flag + " not given: " + args));
            assertEndpointExists(base, URI.create(url.substring(flag.length())), "Job/kit-replay-rules " + flag);
        }
        String vmalert = base.all(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals("vmalert")).findFirst().orElseThrow()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        String recipe = Files.readString(KitLayout.ROOT.resolve("deploy/container/Containerfile"));
        assertTrue(recipe.contains("COPY --from=" + vmalert + " /vmalert-prod /usr/local/bin/vmalert-prod"),
                "the kit image must carry the cluster's vmalert (" + vmalert + ") on its PATH for replay-rules");
        assertTrue(RuleReplay.BINARIES.contains("vmalert-prod"));
    }

    @Test
    void everyGeneratedRulesFileIsInTheClustersConfigMaps() throws Exception {
        var expected = new LinkedHashSet<String>();
        var listed = new LinkedHashSet<String>();
        for (var o : List.of(Map.entry("config/grafana", "grafana-alerting"), Map.entry("config/vmalert", "vmalert-rules"))) {
            Path dir = KitLayout.ROOT.resolve(o.getKey());
            for (JsonNode g : YAML.readTree(dir.resolve("kustomization.yaml").toFile()).path("configMapGenerator")) {
                if (!g.path("name").asText().equals(o.getValue())) continue;
                g.path("files").forEach(f -> listed.add(KitLayout.ROOT.relativize(dir.resolve(f.asText().replaceAll(".*=", "")).normalize()).toString()));
            }
        }
        for (var out : DashboardGenerator.OUTPUTS) {
            if (out.part().equals("dashboards")) continue; // see the next test
            try (var files = Files.list(KitLayout.ROOT.resolve(out.target()))) {
                files.map(p -> KitLayout.ROOT.relativize(p).toString()).filter(n -> n.endsWith(out.suffix())).sorted().forEach(expected::add);
            }
        }
        assertEquals(4, expected.size(), expected.toString());
        assertEquals(expected, listed, "the kustomizations must put every generated rules file into a ConfigMap");
    }

    @Test
    void everyGeneratedDashboardIsInTheClustersConfigMapAndTheDataSourcesKeepTheirUids() throws Exception {
        JsonNode k = YAML.readTree(KitLayout.ROOT.resolve("config/grafana/kustomization.yaml").toFile());
        var listed = new LinkedHashSet<String>();
        for (JsonNode g : k.path("configMapGenerator")) {
            if (g.path("name").asText().equals("grafana-dashboards")) g.path("files").forEach(f -> listed.add(f.asText()));
        }
        try (var files = Files.list(KitLayout.ROOT.resolve("config/grafana/dashboards"))) {
            var dashboards = files.map(p -> "dashboards/" + p.getFileName()).filter(n -> n.endsWith(".json")).sorted().toList();
            assertFalse(dashboards.isEmpty());
            assertEquals(new LinkedHashSet<>(dashboards), listed, "config/grafana/kustomization.yaml must list every generated dashboard");
        }
        var uids = (java.util.function.Function<Path, List<String>>) p -> {
            try {
                var out = new ArrayList<String>();
                YAML.readTree(p.toFile()).path("datasources").forEach(d -> out.add(d.path("uid").asText() + " " + d.path("type").asText()));
                return out;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        assertEquals(uids.apply(KitLayout.ROOT.resolve("config/grafana/provisioning/datasources/datasources.yaml")),
                uids.apply(BASE.resolve("grafana/datasources.yaml")), "the cluster's data sources must keep the dashboards' uids and types");
    }
}
