import java.util.SplittableRandom;

/**
 * The simulated users: each has a persona (shares from {@code user_percentage}, largest-remainder rounding) and an activity weight
 * (persona multiplier with seeded jitter, +/-10% per user). Root event {@code i} of {@code n} belongs to the user
 * whose cumulative activity covers {@code (i + 0.5) / n}, so event counts follow activity exactly.
 */
final class UserPopulation {
    final int size;
    final int[] persona;          // user -> persona index
    private final double[] cumulative; // user -> cumulative activity, last = total
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
        cumulative = new double[users];
        double total = 0;
        for (int k = 0; k < users; k++) {
            total += personaMultiplier[persona[k]] * (0.9 + 0.2 * rng.nextDouble());
            cumulative[k] = total;
        }
        idSalt = Seeds.mix(seed, 0x05e7_1dL);
    }

    /** The user of root event {@code i} out of {@code n}. */
    int userOfRoot(long i, long n) {
        double target = (i + 0.5) / n * cumulative[size - 1];
        int u = Seeds.pick(cumulative, target);
        return Math.min(u, size - 1);
    }

    /** The 12 hex digits after {@code user_}, fixed per user and seed. */
    long idBits(int user) { return Seeds.mix(idSalt, user); }
}
