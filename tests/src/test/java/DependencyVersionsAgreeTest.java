import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** A script's //DEPS and the test build must name the same versions, so tests exercise what users run. */
class DependencyVersionsAgreeTest {
    private static final Pattern DEPS = Pattern.compile("^//DEPS\\s+(.+)$", Pattern.MULTILINE);

    static Map<String, String> pomVersions() throws Exception {
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(KitLayout.ROOT.resolve("tests/pom.xml").toFile());
        var props = new HashMap<String, String>();
        var propNodes = ((Element) doc.getElementsByTagName("properties").item(0)).getChildNodes();
        for (int i = 0; i < propNodes.getLength(); i++) {
            if (propNodes.item(i) instanceof Element p) props.put(p.getTagName(), p.getTextContent().trim());
        }
        var out = new HashMap<String, String>();
        var deps = doc.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            var d = (Element) deps.item(i);
            String ga = text(d, "groupId") + ":" + text(d, "artifactId");
            String v = text(d, "version");
            if (v.startsWith("${")) v = props.get(v.substring(2, v.length() - 1));
            out.put(ga, v);
        }
        return out;
    }

    private static String text(Element e, String tag) {
        return e.getElementsByTagName(tag).item(0).getTextContent().trim();
    }

    @Test
    void everyScriptDependencyIsPinnedToTheTestBuildsVersion() throws Exception {
        var pom = pomVersions();
        int checked = 0;
        try (var scripts = Files.list(KitLayout.SCRIPTS)) {
            for (Path s : scripts.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                var m = DEPS.matcher(Files.readString(s));
                while (m.find()) {
                    for (String coord : m.group(1).trim().split("\\s+")) {
                        String[] p = coord.split(":");
                        assertTrue(p.length >= 3, s.getFileName() + ": //DEPS " + coord + " is not group:artifact:version");
                        String ga = p[0] + ":" + p[1];
                        assertTrue(pom.containsKey(ga), s.getFileName() + ": " + ga + " is not in tests/pom.xml");
                        assertEquals(pom.get(ga), p[2], s.getFileName() + ": " + ga + " version differs from tests/pom.xml");
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 0, "no //DEPS lines found in scripts/");
    }

    /**
     * opentelemetry-proto brings an older protobuf-java, which prints sun.misc.Unsafe warnings on JDK 24+: every script
     * that takes it pins the test build's protobuf-java too, so no script falls back to the transitive one.
     */
    @Test
    void everyScriptWithOpenTelemetryProtoPinsProtobufJava() throws Exception {
        int checked = 0;
        try (var scripts = Files.list(KitLayout.SCRIPTS)) {
            for (Path s : scripts.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(s);
                if (!text.contains("//DEPS io.opentelemetry.proto:opentelemetry-proto:")) continue;
                assertTrue(text.contains("//DEPS com.google.protobuf:protobuf-java:"), s.getFileName() + " takes opentelemetry-proto without pinning protobuf-java");
                checked++;
            }
        }
        assertTrue(checked >= 5, "only " + checked + " scripts with opentelemetry-proto");
    }
}
