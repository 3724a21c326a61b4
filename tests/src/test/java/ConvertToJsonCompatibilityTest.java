import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The original toolchain's own TSV files convert to its own JSON:API documents. */
class ConvertToJsonCompatibilityTest {
    static final Path ORIGINAL = KitLayout.ROOT.resolve("tests/fixtures/qairon-original");
    static final ObjectMapper JSON = new ObjectMapper();
    static Path out;
    static JsonApiConversion.Result result;
    static List<BadTsvLine> bad = new ArrayList<>();

    @BeforeAll
    static void convertTheOriginal() {
        out = KitLayout.testDir("convert-original");
        result = JsonApiConversion.run(ORIGINAL.resolve("txt"), out, 2, b -> { synchronized (bad) { bad.add(b); } });
    }

    @Test
    void everyOriginalLineConvertsWithoutComplaint() {
        assertEquals(List.of(), bad);
        assertEquals(36, result.results().size());
        assertEquals(List.of(), result.missing());
        assertEquals(1533, result.rows());
        assertEquals(1533, result.written());
    }

    @Test
    void thirtyFiveDocumentsAreByteIdenticalToTheOriginals() throws Exception {
        int same = 0;
        for (var table : JsonApiTable.ALL) {
            if (table.resource().equals("release")) continue; // see releaseDocument... below
            byte[] want = Files.readAllBytes(ORIGINAL.resolve("json").resolve(table.jsonFile()));
            byte[] got = Files.readAllBytes(out.resolve(table.jsonFile()));
            assertEquals(JSON.readTree(want), JSON.readTree(got), table.jsonFile() + " differs as JSON");
            assertArrayEquals(want, got, table.jsonFile() + " differs in bytes");
            same++;
        }
        assertEquals(35, same);
    }

    /**
     * The original's release.json is older than its 26_releases.txt (21 documents against 134 rows, only 13 of
     * them still in the TSV), so it cannot be reproduced; every row of the TSV is converted, and the 13 shared
     * documents are identical.
     */
    @Test
    void releaseDocumentsMatchTheOriginalWhereTheOriginalStillHasTheRow() throws Exception {
        JsonNode want = JSON.readTree(ORIGINAL.resolve("json/release.json").toFile());
        JsonNode got = JSON.readTree(out.resolve("release.json").toFile());
        assertEquals(134, got.size());
        Set<JsonNode> ours = new HashSet<>();
        got.forEach(ours::add);
        int shared = 0;
        for (JsonNode doc : want) if (ours.contains(doc)) shared++;
        assertEquals(13, shared);
        assertEquals(JSON.readTree(Files.readString(out.resolve("release.json"))).get(0), want.get(0));
    }

    @Test
    void underscoreColumnsAreNeverSent() throws Exception {
        JsonNode services = JSON.readTree(out.resolve("service.json").toFile());
        assertEquals(80, services.size());
        for (JsonNode s : services) {
            var names = new ArrayList<String>();
            s.path("data").path("attributes").fieldNames().forEachRemaining(names::add);
            assertEquals(List.of("stack_id", "name", "defaults"), names);
        }
    }

    @Test
    void numbersAreLaidOutAsTheOriginalDid() {
        assertEquals("31.4701", JsonApiDocumentWriter.pythonFloat(31.4701));
        assertEquals("2.0", JsonApiDocumentWriter.pythonFloat(2.0));
        assertEquals("0.0001", JsonApiDocumentWriter.pythonFloat(0.0001));
        assertEquals("1e-05", JsonApiDocumentWriter.pythonFloat(0.00001));
        assertEquals("1e+16", JsonApiDocumentWriter.pythonFloat(1e16));
        assertEquals("1234567890123456.0", JsonApiDocumentWriter.pythonFloat(1234567890123456.0));
        assertEquals("-0.5", JsonApiDocumentWriter.pythonFloat(-0.5));
        var sb = new StringBuilder();
        JsonApiDocumentWriter.string(sb, "é\t\"x\"\u0001");
        assertEquals("\"\\u00e9\\t\\\"x\\\"\\u0001\"", sb.toString());
    }
}
