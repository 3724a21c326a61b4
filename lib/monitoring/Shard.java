/**
 * One part of a run split over {@code count} independent processes ({@code --shard K/N}, K from 0). The unit is the
 * chunk: chunk {@code c} belongs to shard {@code c % count}. A chunk is one time slice drawn from its own seed, so a
 * shard makes exactly those chunks' bytes and the union of the shards is the whole run. Round-robin rather than
 * contiguous ranges: every shard spans the whole window, like one scrape target among several for a year, and the
 * busy hours spread evenly over the shards.
 */
record Shard(int index, int count) {
    /** The whole run: no shard label anywhere, so the output is the unsharded bytes. */
    static final Shard WHOLE = new Shard(0, 1);

    Shard {
        if (count < 1) throw new IllegalArgumentException("--shard K/N needs N >= 1, got " + count);
        if (index < 0 || index >= count)
            throw new IllegalArgumentException("--shard K/N needs 0 <= K < N (K counts from 0), got " + index + "/" + count);
    }

    /** {@code "K/N"}; throws IllegalArgumentException with one sentence naming the flag. */
    static Shard parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("--shard takes K/N (e.g. 0/8), got \"" + text + "\"");
        try {
            return new Shard(Integer.parseInt(text.substring(0, slash).trim()), Integer.parseInt(text.substring(slash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shard takes K/N with whole numbers (e.g. 0/8), got \"" + text + "\"");
        }
    }

    boolean whole() { return count == 1; }

    boolean owns(long chunk) { return chunk % count == index; }

    /** The chunks of this shard among {@code chunks}. */
    long chunks(long chunks) { return chunks <= index ? 0 : (chunks - index - 1) / count + 1; }

    /** The {@code n}-th chunk of this shard. */
    long chunk(long n) { return index + n * count; }

    /** The value of the {@code instance} label its native series carry, as a scrape target's would. */
    String instance() { return "shard-" + index + "-of-" + count; }

    @Override
    public String toString() { return index + "/" + count; }
}
