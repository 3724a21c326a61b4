import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReleaseIdTest {
    static final String ID = "prod:aws:111111111111:us-east-1:platform:eks:main:social:user:identity:default:100";

    @Test
    void allTwentyDerivedFieldsHaveTheSeedNamesAndValues() {
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("environment", "prod");
        expected.put("provider", "aws");
        expected.put("account", "111111111111");
        expected.put("region", "us-east-1");
        expected.put("partition", "platform");
        expected.put("target_type", "eks");
        expected.put("target", "main");
        expected.put("application", "social");
        expected.put("stack", "user");
        expected.put("service", "identity");
        expected.put("tag", "default");
        expected.put("release", "100");
        expected.put("provider_id", "prod:aws:111111111111");
        expected.put("region_id", "prod:aws:111111111111:us-east-1");
        expected.put("partition_id", "prod:aws:111111111111:us-east-1:platform");
        expected.put("target_id", "prod:aws:111111111111:us-east-1:platform:eks:main");
        expected.put("stack_id", "social:user");
        expected.put("service_id", "social:user:identity");
        expected.put("deployment_id", "prod:aws:111111111111:us-east-1:platform:eks:main:social:user:identity:default");
        expected.put("release_id", ID);

        var tags = ReleaseId.parse(ID).tags();
        assertEquals(20, tags.size());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(tags.keySet()), "names and order");
        assertEquals(expected, tags);
    }

    @Test
    void tagNamesAreTheTwelvePartsThenTheEightComposites() {
        var names = List.copyOf(ReleaseId.parse(ID).tags().keySet());
        assertEquals(ReleaseId.PART_NAMES, names.subList(0, 12));
        assertEquals(ReleaseId.COMPOSITE_NAMES, names.subList(12, 20));
    }

    @Test
    void compositesBuildHierarchically() {
        var r = ReleaseId.parse("stg:gcp:222222222222:europe-west1:tenant-a:gke:blue:payments:wallet:balance:canary:7");
        assertTrue(r.regionId().startsWith(r.providerId() + ":"));
        assertTrue(r.partitionId().startsWith(r.regionId() + ":"));
        assertTrue(r.targetId().startsWith(r.partitionId() + ":"));
        assertTrue(r.serviceId().startsWith(r.stackId() + ":"));
        assertEquals(r.targetId() + ":" + r.serviceId() + ":canary", r.deploymentId());
        assertEquals(r.deploymentId() + ":7", r.releaseId());
        assertEquals(7, r.releaseNumber());
    }

    @Test
    void toStringRoundTrips() {
        assertEquals(ID, ReleaseId.parse(ID).toString());
        assertEquals(ReleaseId.parse(ID), ReleaseId.parse(ReleaseId.parse(ID).toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "prod:aws:111111111111:us-east-1:platform:eks:main:social:user:identity:default",
        "prod:aws:111111111111:us-east-1:platform:eks:main:social:user:identity:default:100:extra",
        "prod:aws:111111111111:us-east-1::eks:main:social:user:identity:default:100",
        "prod:aws:111111111111:us-east-1:platform:eks:main:social:user:identity:default:r100",
        "prod:aws:111111111111:us east-1:platform:eks:main:social:user:identity:default:100",
        "",
        "   "})
    void malformedIdsAreRefusedWithAMessageThatSaysWhy(String bad) {
        var e = assertThrows(IllegalArgumentException.class, () -> ReleaseId.parse(bad));
        assertTrue(e.getMessage().startsWith("release id"), e.getMessage());
        assertNull(ReleaseId.tryParse(bad));
    }

    @Test
    void wrongPartCountNamesTheCountAndTheExpectedLayout() {
        var e = assertThrows(IllegalArgumentException.class, () -> ReleaseId.parse("a:b:c"));
        assertTrue(e.getMessage().contains("has 3 parts, expected 12"), e.getMessage());
        assertTrue(e.getMessage().contains("environment:provider:account"), e.getMessage());
    }

    @Test
    void badPartIsNamedByPositionAndName() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ReleaseId.parse("prod:aws:111111111111:us-east-1::eks:main:social:user:identity:default:100"));
        assertTrue(e.getMessage().contains("part 5 (partition) is empty"), e.getMessage());
        var n = assertThrows(IllegalArgumentException.class,
                () -> ReleaseId.parse("prod:aws:1:us-east-1:p:eks:main:social:user:identity:default:x1"));
        assertTrue(n.getMessage().contains("(release) must be a number"), n.getMessage());
    }
}
