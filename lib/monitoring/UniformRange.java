/** A closed interval [min, max] that values are drawn from uniformly. */
record UniformRange(double min, double max) {
    UniformRange {
        if (!(min <= max)) throw new IllegalArgumentException("range [" + min + ", " + max + "] has min > max");
    }

    double draw(java.util.random.RandomGenerator rng) { return min == max ? min : min + (max - min) * rng.nextDouble(); }

    /** An integer in [min, max], both inclusive. */
    long drawInt(java.util.random.RandomGenerator rng) { return (long) min + rng.nextLong((long) max - (long) min + 1); }
}
