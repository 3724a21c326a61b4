///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DEPS info.picocli:picocli:4.7.7
//SOURCES ../lib/model/ReleaseId.java ../lib/cli/KitVersion.java
//DESCRIPTION Split Qairon release ids into the 12 single-word tags and 8 composite ids the importers attach.
//DESCRIPTION Example: ./jbang release-id prod:aws:111111111111:us-east-1:platform:eks:main:social:user:identity:default:100

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "release-id", mixinStandardHelpOptions = true, versionProvider = KitVersion.class,
        description = "Print the 20 tags derived from each release id (12 parts, 8 composites); exit 1 if any id is malformed.")
class ReleaseIdTags implements Callable<Integer> {

    @Parameters(paramLabel = "RELEASE_ID", arity = "1..*", description = "Release ids, env:provider:account:region:partition:target_type:target:app:stack:service:tag:release.")
    List<String> ids;

    @Option(names = "--json", description = "Print one JSON object per id instead of aligned text.")
    boolean json;

    public static void main(String... args) {
        System.exit(new CommandLine(new ReleaseIdTags()).execute(args));
    }

    @Override
    public Integer call() {
        int bad = 0;
        for (String id : ids) {
            ReleaseId release;
            try {
                release = ReleaseId.parse(id);
            } catch (IllegalArgumentException e) {
                System.err.println("release-id: " + e.getMessage());
                bad++;
                continue;
            }
            if (json) {
                var sb = new StringBuilder("{");
                release.tags().forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append('"').append(k).append("\": \"").append(v).append('"'));
                System.out.println(sb.append('}'));
            } else {
                System.out.println(id);
                release.tags().forEach((k, v) -> System.out.printf("  %-14s %s%n", k, v));
            }
        }
        return bad == 0 ? 0 : 1;
    }
}
