import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The window cut into one equal time slice per chunk: chunk {@code c} holds only the roots whose time falls in
 * {@code [start(c), start(c + 1))}, so chunks come out in time order and counters can be kept in one pass.
 *
 * <p>A root's time follows its persona's hour-of-week weights times the traffic bursts, and its persona follows
 * the users' activity. A slice therefore gets {@code N x sum_p share_p x F_p(slice)} roots, where {@code F_p} is
 * the part of persona {@code p}'s weight that lies in the slice; counts are rounded on the running total, so they
 * add up to {@code N} exactly. Inside a slice the persona is drawn by {@code share_p x F_p(slice)} and the time by
 * the persona's weight over the slice's pieces (an hour, or the part of an hour inside or outside a burst).
 */
final class TimeSlices {
    private static final long HOUR = 3_600_000_000L, DAY = 86_400_000_000L;

    private final GenerationPlan plan;
    private final int count;
    private final long start, span;
    private final long[] firstRoot;       // [count + 1]
    private final double[] personaTotal;  // Z_p: persona weight over the whole window
    private final double[] personaShare;  // activity share of each persona, sum 1

    TimeSlices(GenerationPlan plan) {
        this.plan = plan;
        GenerateConfig cfg = plan.cfg;
        this.count = Math.toIntExact(cfg.chunks());
        this.start = cfg.startMicros();
        this.span = cfg.endMicros() - cfg.startMicros();
        int np = plan.model.personas().size();
        personaShare = plan.users.personaActivityShares();
        personaTotal = new double[np];
        // two passes over the slices: Z_p needs the whole window before any slice can be weighed
        double[] perHour = new double[168], all = new double[168];
        for (int c = 0; c < count; c++)
            for (Piece piece : pieces(c)) all[piece.hourOfWeek] += piece.weight();
        for (int p = 0; p < np; p++) personaTotal[p] = dot(plan.personaHourOfWeek[p], all);
        double total = 0;
        double[] w = new double[count];
        for (int c = 0; c < count; c++) {
            Arrays.fill(perHour, 0);
            for (Piece piece : pieces(c)) perHour[piece.hourOfWeek] += piece.weight();
            w[c] = mixture(perHour);
            total += w[c];
        }
        firstRoot = new long[count + 1];
        long n = cfg.roots();
        double run = 0;
        for (int c = 0; c < count; c++) {
            run += w[c];
            firstRoot[c + 1] = total > 0 ? Math.round(n * (run / total)) : Math.round((double) n * (c + 1) / count);
        }
        firstRoot[count] = n;
    }

    /** Expected share of all roots that falls in a slice with these burst-weighted microseconds per hour of week. */
    private double mixture(double[] perHour) {
        double w = 0;
        for (int p = 0; p < personaShare.length; p++) {
            if (personaShare[p] == 0 || personaTotal[p] == 0) continue;
            w += personaShare[p] * dot(plan.personaHourOfWeek[p], perHour) / personaTotal[p];
        }
        return w;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    int count() { return count; }

    long startOf(int c) { return start + (long) ((double) span * c / count); }

    long firstRoot(int c) { return firstRoot[c]; }

    long roots(int c) { return firstRoot[c + 1] - firstRoot[c]; }

    /** A stretch of one slice with constant weight: one hour of week, one burst factor. */
    record Piece(long fromMicros, long toMicros, int hourOfWeek, double factor) {
        double weight() { return (toMicros - fromMicros) * factor; }
    }

    /** The slice's pieces in time order: cut at every hour boundary and at every burst edge. */
    List<Piece> pieces(int c) {
        return pieces(startOf(c), c + 1 == count ? start + span : startOf(c + 1));
    }

    /** The pieces of {@code [from, to)}, cut at every hour boundary and at every burst edge. */
    List<Piece> pieces(long from, long to) {
        var out = new ArrayList<Piece>();
        var edges = new ArrayList<Long>();
        for (TrafficBursts.Burst b : plan.bursts.bursts) {
            if (b.startMicros() > from && b.startMicros() < to) edges.add(b.startMicros());
            if (b.endMicros() > from && b.endMicros() < to) edges.add(b.endMicros());
        }
        edges.sort(null);
        int e = 0;
        long t = from;
        while (t < to) {
            long next = Math.min(to, Math.floorDiv(t, HOUR) * HOUR + HOUR);
            while (e < edges.size() && edges.get(e) <= t) e++;
            if (e < edges.size() && edges.get(e) < next) next = edges.get(e);
            long hours = Math.floorDiv(t, HOUR);
            int how = (int) (Math.floorMod(Math.floorDiv(t, DAY) + 3, 7) * 24 + Math.floorMod(hours, 24));
            double factor = plan.bursts.bursts.isEmpty() ? 1 : plan.bursts.factorAt(t);
            out.add(new Piece(t, next, how, factor));
            t = next;
        }
        return out;
    }

    // ---- live mode: any stretch of wall time, weighed against a whole week instead of the run's window ----

    private double[] weekTotal;  // Z_p over one week: a stretch's persona mix does not depend on how long the run is

    private double[] weekTotal() {
        if (weekTotal == null) {
            double[] t = new double[personaShare.length], hours = new double[168];
            Arrays.fill(hours, HOUR);
            for (int p = 0; p < t.length; p++) t[p] = dot(plan.personaHourOfWeek[p], hours);
            weekTotal = t;
        }
        return weekTotal;
    }

    /**
     * The traffic at a moment relative to the week's mean (1 on average over a week without bursts): the personas'
     * hour-of-week weights at that hour, mixed by activity, times the burst factor.
     */
    double liveFactor(long micros) {
        double[] z = weekTotal();
        int how = (int) (Math.floorMod(Math.floorDiv(micros, DAY) + 3, 7) * 24 + Math.floorMod(Math.floorDiv(micros, HOUR), 24));
        double w = 0;
        for (int p = 0; p < personaShare.length; p++)
            if (personaShare[p] > 0 && z[p] > 0) w += personaShare[p] * plan.personaHourOfWeek[p][how] * 168 * HOUR / z[p];
        return w * (plan.bursts.bursts.isEmpty() ? 1 : plan.bursts.factorAt(micros));
    }

    /** How the roots of {@code [from, to)} of a live run draw their personas and times. */
    Draw liveDraw(long from, long to) { return new Draw(pieces(from, to), weekTotal()); }

    /** How one chunk draws its roots' personas and times. */
    final class Draw {
        final List<Piece> pieces;
        final double[] personaCumulative;
        private final double[][] pieceCumulative; // per persona, lazily

        Draw(int c) { this(pieces(c), personaTotal); }

        /** Draws over {@code pieces}, each persona's weight there divided by its {@code totals} entry. */
        Draw(List<Piece> pieces, double[] totals) {
            this.pieces = pieces;
            int np = personaShare.length;
            double[] perHour = new double[168];
            for (Piece piece : pieces) perHour[piece.hourOfWeek] += piece.weight();
            personaCumulative = new double[np];
            double acc = 0;
            for (int p = 0; p < np; p++) {
                if (personaShare[p] > 0 && totals[p] > 0)
                    acc += personaShare[p] * dot(plan.personaHourOfWeek[p], perHour) / totals[p];
                personaCumulative[p] = acc;
            }
            pieceCumulative = new double[np][];
        }

        /** A persona for {@code x} uniform in [0, 1). */
        int persona(double x) {
            double total = personaCumulative[personaCumulative.length - 1];
            if (total > 0) return Seeds.pick(personaCumulative, x * total);
            double[] shares = new double[personaShare.length]; // no persona is active in this slice: by activity alone
            double acc = 0;
            for (int p = 0; p < shares.length; p++) shares[p] = acc += personaShare[p];
            return Seeds.pick(shares, x * acc);
        }

        /** A time inside the slice for persona {@code p}: a piece by its weight, then uniform inside it. */
        long time(int p, double x, double y) {
            double[] cum = pieceCumulative[p];
            if (cum == null) {
                cum = new double[pieces.size()];
                double acc = 0;
                double[] how = plan.personaHourOfWeek[p];
                for (int i = 0; i < cum.length; i++) cum[i] = acc += how[pieces.get(i).hourOfWeek] * pieces.get(i).weight();
                pieceCumulative[p] = cum;
            }
            double total = cum[cum.length - 1];
            Piece piece = pieces.get(total > 0 ? Seeds.pick(cum, x * total) : (int) (x * pieces.size()));
            long len = piece.toMicros - piece.fromMicros;
            return piece.fromMicros + Math.min(len - 1, (long) (y * len));
        }
    }
}
