import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The causes of each kind sorted by start, so the causes a finding matches are found by a binary search instead of a
 * scan: a cause can only touch a finding when it starts no later than the finding's end plus the tolerance and no
 * earlier than the finding's start minus the tolerance and the kind's longest cause.
 */
final class CauseIndex {
    private final List<TruthCause> causes;
    private final MatchRules rules;
    private final int[][] byStart = new int[CauseKind.values().length][];     // cause positions, by start
    private final long[][] starts = new long[CauseKind.values().length][];
    private final long[] longest = new long[CauseKind.values().length];

    CauseIndex(List<TruthCause> causes, MatchRules rules) {
        this.causes = causes;
        this.rules = rules;
        for (CauseKind k : CauseKind.values()) {
            var of = new ArrayList<Integer>();
            for (int i = 0; i < causes.size(); i++) if (causes.get(i).kind() == k) of.add(i);
            of.sort((a, b) -> Long.compare(causes.get(a).startMicros(), causes.get(b).startMicros()));
            int[] ids = of.stream().mapToInt(Integer::intValue).toArray();
            long[] st = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                TruthCause c = causes.get(ids[i]);
                st[i] = c.startMicros();
                longest[k.ordinal()] = Math.max(longest[k.ordinal()], c.endMicros() - c.startMicros());
            }
            byStart[k.ordinal()] = ids;
            starts[k.ordinal()] = st;
        }
    }

    /** Positions (in the list given) of the causes the finding matches, in start order. */
    int[] matching(Finding f) {
        int k = f.kind().ordinal();
        long[] st = starts[k];
        long from = f.startMicros() - rules.toleranceMicros() - longest[k];
        int i = Arrays.binarySearch(st, from);
        if (i < 0) i = -i - 1;
        while (i > 0 && st[i - 1] >= from) i--;
        var out = new ArrayList<Integer>();
        for (; i < st.length && st[i] <= f.endMicros() + rules.toleranceMicros(); i++)
            if (rules.matches(f, causes.get(byStart[k][i]))) out.add(byStart[k][i]);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
