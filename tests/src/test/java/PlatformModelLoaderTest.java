import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PlatformModelLoaderTest {
    private final Path dir = KitLayout.testDir("model-loader");

    private Path copy(String name) throws Exception {
        Path d = dir.resolve(name);
        Files.createDirectories(d);
        for (String f : PlatformModelLoader.FILES)
            Files.copy(MonitoringTestData.MODEL.resolve(f), d.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return d;
    }

    @Test
    void shippedSocialNetworkModelLoadsWithAllItsTables() {
        var m = PlatformModel.load(MonitoringTestData.MODEL);
        assertEquals(100, m.personas().size());
        assertEquals(116, m.actions().size());
        assertEquals(10, m.categories().size());
        assertEquals(13, m.components().size());
        assertEquals(30, m.dependencies().size());
        assertEquals(48, m.dependencies().values().stream().mapToInt(java.util.List::size).sum());
        assertEquals(java.util.List.of("feed:ranking", "content:posts", "content:stories", "social:connections", "content:reactions"),
                m.dependenciesOf("feed:timeline"));
        assertEquals(0.002, m.components().stream().filter(c -> c.name().equals("dynamodb_throttle")).findFirst().orElseThrow().failureRate());
        assertEquals(4, m.settings().placements().size());
    }

    @Test
    void brokenJsonIsReportedWithFileAndLine() throws Exception {
        Path d = copy("broken");
        Files.writeString(d.resolve("dependencies.json"), "{\n  \"service_dependencies\": {\n    \"feed:timeline\": [\"content:posts\",,]\n}\n");
        var e = assertThrows(PlatformModelException.class, () -> PlatformModel.load(d));
        assertTrue(e.getMessage().startsWith(d.resolve("dependencies.json") + ":3: not valid JSON"), e.getMessage());
    }

    @Test
    void unknownCategoryOfAnActionIsNamedWithItsPath() throws Exception {
        Path d = copy("category");
        var doc = (ObjectNode) MonitoringTestData.JSON.readTree(d.resolve("actions.json").toFile());
        ((ObjectNode) doc.get("actions").get(3)).put("category", "gossip");
        MonitoringTestData.JSON.writeValue(d.resolve("actions.json").toFile(), doc);
        var e = assertThrows(PlatformModelException.class, () -> PlatformModel.load(d));
        assertEquals(d.resolve("actions.json") + ": actions[3].category: \"gossip\" is not one of categories "
                + PlatformModel.load(MonitoringTestData.MODEL).categories() + " - fix the name or add it there", e.getMessage());
    }

    @Test
    void impossiblePersonaValueIsRejectedWithThePersonaName() throws Exception {
        Path d = copy("persona");
        var doc = (ObjectNode) MonitoringTestData.JSON.readTree(d.resolve("personas.json").toFile());
        ((ObjectNode) doc.get("personas").get(2)).put("success_rate", 1.5);
        MonitoringTestData.JSON.writeValue(d.resolve("personas.json").toFile(), doc);
        var e = assertThrows(PlatformModelException.class, () -> PlatformModel.load(d));
        assertEquals(d.resolve("personas.json") + ": personas[2] (influencer_3): success_rate must be in (0, 1], got 1.5", e.getMessage());
    }

    @Test
    void malformedServiceKeyInInfrastructureIsRejected() throws Exception {
        Path d = copy("infra");
        var doc = (ObjectNode) MonitoringTestData.JSON.readTree(d.resolve("infrastructure.json").toFile());
        ((ObjectNode) doc.get("components").get("redis_feed")).putArray("services").add("timeline");
        MonitoringTestData.JSON.writeValue(d.resolve("infrastructure.json").toFile(), doc);
        var e = assertThrows(PlatformModelException.class, () -> PlatformModel.load(d));
        assertEquals(d.resolve("infrastructure.json") + ": components.redis_feed.services: \"timeline\" is not a service key <stack>:<service>", e.getMessage());
    }

    @Test
    void missingModelFileIsNamed() throws Exception {
        Path d = copy("missing");
        Files.delete(d.resolve("platform.json"));
        var e = assertThrows(PlatformModelException.class, () -> PlatformModel.load(d));
        assertTrue(e.getMessage().startsWith(d.resolve("platform.json") + ": missing"), e.getMessage());
    }
}
