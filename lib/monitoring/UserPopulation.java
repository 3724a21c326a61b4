import java.util.SplittableRandom;

/**
 * The simulated users: each has a persona (shares from {@code user_percentage}, largest-remainder rounding) and an activity weight
 * (persona multiplier with seeded jitter, +/-10% per user). Users of one persona are numbered together, so a
 * persona's users are one range and a user of it is drawn by activity inside that range.
 */
final class UserPopulation {
    final int size;
    final int[] persona;          // user -> persona index
    private final double[] cumulative; // user -> cumulative activity, last = total
    private final int[] firstUser;     // persona -> its first user; [personas] = size
    private final long idSalt;
    final double[] personaMultiplier;
    final int[] usersPerPersona;

    UserPopulation(PlatformModel model, int users, long seed) {
        var personas = model.personas();
        var rng = new SplittableRandom(Seeds.mix(seed, 0x5eed_0001L));
        personaMultiplier = new double[personas.size()];
        for (int p = 0; p < personas.size(); p++) {
            Persona ps = personas.get(p);
            personaMultiplier[p] = ps.activityMultiplier() + (ps.activityJitter() == 0 ? 0 : (rng.nextDouble() * 2 - 1) * ps.activityJitter());
        }
        double sumPct = personas.stream().mapToDouble(Persona::userPercentage).sum();
        size = users;
        persona = new int[users];
        usersPerPersona = new int[personas.size()];
        // largest remainder: each persona gets floor(quota) users, the rest go to the largest fractions
        int np = personas.size();
        int[] count = new int[np];
        double[] frac = new double[np];
        int assigned = 0;
        for (int p = 0; p < np; p++) {
            double quota = users * personas.get(p).userPercentage() / sumPct;
            count[p] = (int) quota;
            frac[p] = quota - count[p];
            assigned += count[p];
        }
        Integer[] order = new Integer[np];
        for (int p = 0; p < np; p++) order[p] = p;
        java.util.Arrays.sort(order, (x, y) -> frac[x] != frac[y] ? Double.compare(frac[y], frac[x]) : Integer.compare(x, y));
        for (int k = 0; assigned < users; k = (k + 1) % np, assigned++) count[order[k]]++;
        int u = 0;
        for (int p = 0; p < np; p++) for (int k = 0; k < count[p]; k++) persona[u++] = p;
        for (int p : persona) usersPerPersona[p]++;
        firstUser = new int[np + 1];
        for (int p = 0; p < np; p++) firstUser[p + 1] = firstUser[p] + count[p];
        cumulative = new double[users];
        double total = 0;
        for (int k = 0; k < users; k++) {
            total += personaMultiplier[persona[k]] * (0.9 + 0.2 * rng.nextDouble());
            cumulative[k] = total;
        }
        idSalt = Seeds.mix(seed, 0x05e7_1dL);
    }

    /** Each persona's share of all activity (sum 1); 0 for personas without users. */
    double[] personaActivityShares() {
        double[] out = new double[firstUser.length - 1];
        double total = cumulative[size - 1];
        for (int p = 0; p < out.length; p++) {
            if (firstUser[p + 1] == firstUser[p]) continue;
            double before = firstUser[p] == 0 ? 0 : cumulative[firstUser[p] - 1];
            out[p] = (cumulative[firstUser[p + 1] - 1] - before) / total;
        }
        return out;
    }

    /** A user of persona {@code p} by activity, for {@code x} uniform in [0, 1); the persona must have users. */
    int userOf(int p, double x) {
        int lo = firstUser[p], hi = firstUser[p + 1] - 1;
        double before = lo == 0 ? 0 : cumulative[lo - 1];
        double target = before + x * (cumulative[hi] - before);
        int u = lo, top = hi;
        while (u < top) { // first user whose cumulative activity exceeds the target
            int mid = (u + top) >>> 1;
            if (cumulative[mid] > target) top = mid;
            else u = mid + 1;
        }
        return u;
    }

    /** The 12 hex digits after {@code user_}, fixed per user and seed. */
    long idBits(int user) { return Seeds.mix(idSalt, user); }
}
