import java.util.Map;

/**
 * The 20 fields every imported record carries, from its release id: {@link ReleaseId#tags()} with a bad or
 * missing id turned into a bad line that names file:line and what is wrong with the id.
 */
final class ReleaseTags {
    private ReleaseTags() {}

    static Map<String, String> of(JsonLinesReader.Line line, String releaseId) throws JsonLinesReader.BadLineException {
        if (releaseId == null || releaseId.isEmpty()) throw new JsonLinesReader.BadLineException(line, "no release_id");
        try {
            return ReleaseId.parse(releaseId).tags();
        } catch (IllegalArgumentException e) {
            throw new JsonLinesReader.BadLineException(line, e.getMessage());
        }
    }
}
