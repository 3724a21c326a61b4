import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scores findings against the injected causes under {@link MatchRules}. Per cause kind: precision (findings that match a
 * cause of their kind), recall (findable causes some finding matches), F1, and time to detect (per found cause, the
 * earliest matching finding's detection minus the cause's start, 0 when it came first). Blame accuracy per level over
 * the matching findings that name that level: a component, service or release is right when a cause the finding
 * matches has it.
 */
final class RcaScore {
    /** Counts and measures of one cause kind, or of all ({@code kind} null); ratios are null when undefined (0/0). */
    record KindScore(CauseKind kind, int causes, int unfindable, int found, int findings, int matchedFindings,
                     Double precision, Double recall, Double f1, Double ttdMedianSeconds, Double ttdMeanSeconds, Double ttdMaxSeconds) {}

    /** Findings that matched and named this level, and how many of them named it right. */
    record BlameScore(String level, int named, int right, Double accuracy) {}

    record Result(List<KindScore> kinds, KindScore all, List<BlameScore> blame) {}

    private RcaScore() {}

    static Result score(List<TruthCause> causes, List<Finding> findings, MatchRules rules) {
        var index = new CauseIndex(causes, rules);
        // one pass over the findings: which causes each matches, the earliest detection of each cause
        long[] firstDetected = new long[causes.size()];
        Arrays.fill(firstDetected, Long.MAX_VALUE);
        int[] findingsOf = new int[CauseKind.values().length], matchedOf = new int[CauseKind.values().length];
        int[] named = new int[3], right = new int[3];
        for (Finding f : findings) {
            int[] hits = index.matching(f);
            findingsOf[f.kind().ordinal()]++;
            if (hits.length == 0) continue;
            matchedOf[f.kind().ordinal()]++;
            for (int c : hits) firstDetected[c] = Math.min(firstDetected[c], f.detectedMicros());
            String[] blamed = {f.component(), f.service(), f.releaseId()};
            for (int level = 0; level < 3; level++) {
                if (blamed[level] == null) continue;
                named[level]++;
                for (int c : hits)
                    if (blames(causes.get(c), level, blamed[level])) {
                        right[level]++;
                        break;
                    }
            }
        }
        var kinds = new ArrayList<KindScore>();
        int[] sum = new int[5];
        var allTtd = new ArrayList<Double>();
        for (CauseKind k : CauseKind.values()) {
            int findable = 0, unfindable = 0, found = 0;
            var ttd = new ArrayList<Double>();
            for (int c = 0; c < causes.size(); c++) {
                TruthCause cause = causes.get(c);
                if (cause.kind() != k) continue;
                if (!rules.findable(cause)) {
                    unfindable++;
                    continue;
                }
                findable++;
                if (firstDetected[c] == Long.MAX_VALUE) continue;
                found++;
                ttd.add(Math.max(0, firstDetected[c] - cause.startMicros()) / 1e6);
            }
            kinds.add(kindScore(k, findable, unfindable, found, findingsOf[k.ordinal()], matchedOf[k.ordinal()], ttd));
            sum[0] += findable;
            sum[1] += unfindable;
            sum[2] += found;
            sum[3] += findingsOf[k.ordinal()];
            sum[4] += matchedOf[k.ordinal()];
            allTtd.addAll(ttd);
        }
        var all = kindScore(null, sum[0], sum[1], sum[2], sum[3], sum[4], allTtd);
        String[] levels = {"component", "service", "release"};
        var blame = new ArrayList<BlameScore>();
        for (int i = 0; i < 3; i++) blame.add(new BlameScore(levels[i], named[i], right[i], named[i] == 0 ? null : (double) right[i] / named[i]));
        return new Result(kinds, all, blame);
    }

    private static boolean blames(TruthCause c, int level, String blamed) {
        return switch (level) {
            case 0 -> blamed.equals(c.component());
            case 1 -> c.services().contains(blamed);
            default -> blamed.equals(c.releaseId());
        };
    }

    private static KindScore kindScore(CauseKind k, int causes, int unfindable, int found, int findings, int matched, List<Double> ttd) {
        Double p = findings == 0 ? null : (double) matched / findings, r = causes == 0 ? null : (double) found / causes;
        Double f1 = p == null || r == null ? null : p + r == 0 ? 0.0 : 2 * p * r / (p + r);
        double[] t = ttd.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Double median = t.length == 0 ? null : t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
        Double mean = t.length == 0 ? null : Arrays.stream(t).sum() / t.length;
        Double max = t.length == 0 ? null : t[t.length - 1];
        return new KindScore(k, causes, unfindable, found, findings, matched, p, r, f1, median, mean, max);
    }

    /** The result as the {@code --json} object: rules, counts and measures (null where undefined). */
    static Map<String, Object> json(Result r, MatchRules rules, String truthFile, String findingsFile, int findingsRead, int badLines) {
        var root = new LinkedHashMap<String, Object>();
        root.put("ground_truth", truthFile);
        root.put("findings", findingsFile);
        root.put("findings_read", findingsRead);
        root.put("bad_lines", badLines);
        var m = new LinkedHashMap<String, Object>();
        m.put("tolerance_seconds", rules.toleranceMicros() / 1e6);
        m.put("min_overlap", rules.minOverlap());
        m.put("min_errors", rules.minErrors());
        root.put("matching", m);
        var kinds = new LinkedHashMap<String, Object>();
        for (KindScore k : r.kinds()) kinds.put(k.kind().wire(), kindJson(k));
        root.put("kinds", kinds);
        root.put("all", kindJson(r.all()));
        var blame = new LinkedHashMap<String, Object>();
        for (BlameScore b : r.blame()) {
            var x = new LinkedHashMap<String, Object>();
            x.put("named", b.named());
            x.put("right", b.right());
            x.put("accuracy", b.accuracy());
            blame.put(b.level(), x);
        }
        root.put("blame", blame);
        return root;
    }

    private static Map<String, Object> kindJson(KindScore k) {
        var x = new LinkedHashMap<String, Object>();
        x.put("causes", k.causes());
        x.put("unfindable", k.unfindable());
        x.put("found", k.found());
        x.put("findings", k.findings());
        x.put("matched_findings", k.matchedFindings());
        x.put("precision", k.precision());
        x.put("recall", k.recall());
        x.put("f1", k.f1());
        var ttd = new LinkedHashMap<String, Object>();
        ttd.put("median", k.ttdMedianSeconds());
        ttd.put("mean", k.ttdMeanSeconds());
        ttd.put("max", k.ttdMaxSeconds());
        x.put("time_to_detect_seconds", ttd);
        return x;
    }

    /** The table: one row per kind and one for all, then blame per level. */
    static void print(PrintStream out, Result r) {
        out.printf(Locale.ROOT, "  %-15s %7s %7s %6s %9s %8s %9s %7s %6s %10s %10s%n", "kind", "causes", "unfind.", "found", "findings",
                "matched", "precision", "recall", "F1", "TTD median", "TTD mean");
        var rows = new ArrayList<>(r.kinds());
        rows.add(r.all());
        for (KindScore k : rows)
            out.printf(Locale.ROOT, "  %-15s %7d %7d %6d %9d %8d %9s %7s %6s %10s %10s%n", k.kind() == null ? "all" : k.kind().wire(),
                    k.causes(), k.unfindable(), k.found(), k.findings(), k.matchedFindings(), ratio(k.precision()), ratio(k.recall()),
                    ratio(k.f1()), seconds(k.ttdMedianSeconds()), seconds(k.ttdMeanSeconds()));
        out.printf(Locale.ROOT, "  %-15s %7s %7s %9s%n", "blame", "named", "right", "accuracy");
        for (BlameScore b : r.blame()) out.printf(Locale.ROOT, "  %-15s %7d %7d %9s%n", b.level(), b.named(), b.right(), ratio(b.accuracy()));
    }

    private static String ratio(Double v) { return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v); }

    private static String seconds(Double v) { return v == null ? "-" : String.format(Locale.ROOT, "%.0f s", v); }
}
