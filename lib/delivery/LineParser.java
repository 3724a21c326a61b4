/**
 * Turns one input line into the record a store receives (parsing, checking, enriching with release tags).
 * A line it cannot use is a {@link JsonLinesReader.BadLineException} naming file:line and the reason.
 */
@FunctionalInterface
interface LineParser<R> {
    R parse(JsonLinesReader.Line line) throws JsonLinesReader.BadLineException;
}
