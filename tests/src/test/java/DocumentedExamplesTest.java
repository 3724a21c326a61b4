import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * Every {@code ./jbang <alias> ...} example the kit shows (catalog descriptions, the scripts' //DESCRIPTION lines,
 * every alias's --help, the README's code blocks and inline commands) parses against that alias's picocli command,
 * and every path it names under .dev/ is one of the kit's default paths or a file in one: a pasted example then reads
 * what the steps before it wrote. Driven by the catalog, so a new alias or flag is covered without editing this test.
 */
class DocumentedExamplesTest {
    private static final Pattern COMMAND = Pattern.compile("\\./jbang\\s+[^\\n)`;&]*");
    private static final Pattern INLINE = Pattern.compile("`(\\./jbang [^`]+)`");

    /** Where an example was found, and its text. */
    record Example(String source, String text) {}

    @TestFactory
    Stream<DynamicTest> everyExampleParsesAndNamesTheKitsDefaultPaths() throws Exception {
        var defaults = defaultPaths();
        return examples().stream().map(e -> DynamicTest.dynamicTest(e.source() + ": " + e.text(), () -> check(e, defaults)));
    }

    @Test
    void examplesAreFoundInEverySource() throws Exception {
        var sources = examples().stream().map(e -> e.source().replaceAll(" .*", "")).collect(java.util.stream.Collectors.toSet());
        assertTrue(sources.containsAll(List.of("jbang-catalog.json", "README.md")), "sources with examples: " + sources);
        assertTrue(examples().stream().anyMatch(e -> e.source().endsWith("--help")), "no example found in any --help");
        assertTrue(examples().stream().anyMatch(e -> e.source().contains("//DESCRIPTION")), "no example found in any //DESCRIPTION");
    }

    @Test
    void aPathTheGeneratorDoesNotWriteIsCaught() throws Exception {
        var defaults = defaultPaths();
        var bad = new Example("made up", "./jbang import-vm .dev/data/generated --url http://localhost:8428");
        var e = assertThrows(AssertionError.class, () -> check(bad, defaults));
        assertTrue(e.getMessage().contains(".dev/data/generated"), e.getMessage());
        var flag = new Example("made up", "./jbang import-vm .dev/data/test_data --no-such-flag");
        assertThrows(AssertionError.class, () -> check(flag, defaults));
        check(new Example("made up", "./jbang import-vl '.dev/data/test_data/logs_*.jsonl'"), defaults);
    }

    private static void check(Example e, List<Path> defaults) throws Exception {
        List<String> words = words(e.text());
        assertTrue(words.size() >= 2 && words.get(0).equals("./jbang"), e.source() + ": not a command: " + e.text());
        String alias = words.get(1);
        if (alias.equals("test")) return; // the wrapper's own: mvn verify of tests/pom.xml
        String ref = KitLayout.aliases().get(alias);
        assertNotNull(ref, e.source() + ": no alias " + alias + " in the catalog: " + e.text());
        var args = words.subList(2, words.size()).toArray(String[]::new);
        try {
            command(ref).parseArgs(args);
        } catch (CommandLine.ParameterException p) {
            fail(e.source() + ": " + e.text() + " does not parse against " + alias + "'s flags: " + p.getMessage());
        }
        for (String a : args) {
            String value = a.startsWith("-") && a.contains("=") ? a.substring(a.lastIndexOf('=') + 1) : a;
            if (!value.contains("/") || value.contains("://") || value.startsWith("/") || value.startsWith("-")) continue;
            if (value.matches("\\d+/\\d+")) continue; // a shard (K/N), not a path
            Path p = Path.of(value).normalize();
            if (p.startsWith(".dev")) {
                boolean known = defaults.contains(p) || p.getParent() != null && defaults.contains(p.getParent()) && !isAncestor(p.getParent(), defaults);
                assertTrue(known, e.source() + ": " + e.text() + " names " + value + ", which no step writes or reads by default "
                        + "(the kit's default paths: " + defaults + ")");
            } else {
                assertTrue(Files.exists(KitLayout.ROOT.resolve(p)), e.source() + ": " + e.text() + " names " + value + ", which the kit does not ship");
            }
        }
    }

    /**
     * A default that holds other default directories (pipeline's --data-dir) is a root, not a directory files are read
     * from; a default file in it (score-rca's incidents.json) does not make it one.
     */
    private static boolean isAncestor(Path p, List<Path> defaults) {
        return defaults.stream().anyMatch(d -> !d.equals(p) && d.startsWith(p) && !d.getFileName().toString().contains("."));
    }

    /** The default values of every path-like option and parameter of every alias (and its subcommands). */
    static List<Path> defaultPaths() throws Exception {
        var out = new TreeSet<Path>();
        for (String ref : KitLayout.aliases().values()) collectDefaults(command(ref), out);
        return List.copyOf(out);
    }

    private static void collectDefaults(CommandLine cmd, TreeSet<Path> out) {
        var args = new ArrayList<CommandLine.Model.ArgSpec>(cmd.getCommandSpec().options());
        args.addAll(cmd.getCommandSpec().positionalParameters());
        for (var a : args) {
            String d = a.defaultValue();
            if (d != null && d.contains("/") && !d.contains("://") && !d.contains("${")) out.add(Path.of(d).normalize());
        }
        for (CommandLine sub : cmd.getSubcommands().values()) collectDefaults(sub, out);
    }

    static CommandLine command(String scriptRef) throws Exception {
        String name = Path.of(scriptRef).getFileName().toString().replaceFirst("\\.java$", "");
        var ctor = Class.forName(name).getDeclaredConstructor();
        ctor.setAccessible(true);
        return new CommandLine(ctor.newInstance());
    }

    static List<Example> examples() throws Exception {
        var out = new ArrayList<Example>();
        var catalog = new ObjectMapper().readTree(KitLayout.CATALOG.toFile()).path("aliases");
        for (var e : (Iterable<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>) catalog::fields) {
            for (String c : commands(e.getValue().path("description").asText())) out.add(new Example("jbang-catalog.json " + e.getKey(), c));
            String ref = e.getValue().path("script-ref").asText();
            var description = new StringBuilder();
            for (String line : Files.readAllLines(KitLayout.ROOT.resolve(ref)))
                if (line.startsWith("//DESCRIPTION ")) description.append(line.substring("//DESCRIPTION ".length())).append(' ');
            for (String c : commands(description.toString())) out.add(new Example(ref + " //DESCRIPTION", c));
            helpTexts(command(ref), e.getKey(), out);
        }
        List<String> readme = Files.readAllLines(KitLayout.ROOT.resolve("README.md"));
        boolean code = false;
        for (int i = 0; i < readme.size(); i++) {
            String line = readme.get(i);
            if (line.startsWith("```")) code = !code;
            else if (code && line.startsWith("./jbang ")) {
                int first = i;
                // a shell continuation (a line ending in a backslash) is one command with the lines after it
                var joined = new StringBuilder(line.replaceFirst("\\s+#.*$", ""));
                while (joined.toString().endsWith("\\") && i + 1 < readme.size()) {
                    joined.setLength(joined.length() - 1);
                    joined.append(' ').append(readme.get(++i).replaceFirst("\\s+#.*$", "").strip());
                }
                for (String c : commands(joined.toString())) out.add(new Example("README.md line " + (first + 1), c));
            }
        }
        // inline commands in the prose, joined across line breaks
        String prose = String.join("\n", readme);
        Matcher m = INLINE.matcher(prose);
        while (m.find()) {
            String c = m.group(1).replace('\n', ' ');
            int line = (int) prose.substring(0, m.start()).chars().filter(ch -> ch == '\n').count() + 1;
            for (String one : commands(c)) out.add(new Example("README.md line " + line, one));
        }
        return out;
    }

    private static void helpTexts(CommandLine cmd, String name, List<Example> out) {
        cmd.setUsageHelpWidth(1000);
        for (String c : commands(cmd.getUsageMessage(CommandLine.Help.Ansi.OFF))) out.add(new Example(name + " --help", c));
        cmd.getSubcommands().forEach((sub, subCmd) -> { if (!sub.equals("help")) helpTexts(subCmd, name + " " + sub, out); });
    }

    /** The ./jbang commands in a text, each up to the end of its sentence or line, split at {@code &&}; synopses left out. */
    static List<String> commands(String text) {
        var out = new ArrayList<String>();
        Matcher m = COMMAND.matcher(text);
        while (m.find()) {
            String c = m.group().strip().replaceFirst("[.,:]+$", "").strip();
            if (!c.contains("<") && !c.contains("[")) out.add(c); // usage synopses (<alias>, [options]) are not examples
        }
        return out;
    }

    /** Shell words: whitespace-separated, single or double quotes kept together and removed. */
    static List<String> words(String command) {
        var out = new ArrayList<String>();
        var word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (char c : command.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0; else word.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) out.add(word.toString());
                word.setLength(0);
                inWord = false;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) out.add(word.toString());
        return out;
    }
}
