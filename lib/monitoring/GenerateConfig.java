//SOURCES IncidentIntensity.java
import java.nio.file.Path;

/**
 * Everything one generation run depends on. Same config, same bytes: the worker count changes only the speed.
 *
 * @param roots      user requests to generate (each adds child spans for its dependencies)
 * @param startMicros window start, epoch microseconds UTC (inclusive)
 * @param endMicros  window end (exclusive)
 * @param files      how many logs_N / metrics_N pairs to spread the chunks over
 * @param extendedLogs append {@code "duration_ms"} to every request log line
 * @param schedule   deployment_schedule.json, or null for the built-in schedule
 * @param chunkRoots roots per chunk on average; each chunk is one time slice with its own seed, so this is part of the
 *                   output's identity
 * @param rawMetrics    write the seed's per-request metric lines
 * @param nativeMetrics count native counters and histograms per scrape interval
 * @param scrapeMillis  the native metrics' scrape interval
 * @param shard         the part of the run this process makes ({@link Shard#WHOLE} for all of it)
 * @param incidentIntensity multiplier of the incident and cascade failure rates ({@code --incident-intensity})
 */
record GenerateConfig(Path modelDir, long seed, long roots, int users, long startMicros, long endMicros, int workers,
                      int files, Path output, boolean extendedLogs, Path schedule, Scenario scenario, int chunkRoots,
                      boolean rawMetrics, boolean nativeMetrics, long scrapeMillis, Shard shard, IncidentIntensity incidentIntensity) {
    static final int DEFAULT_CHUNK_ROOTS = 1024;

    /** The whole run at the seed's incident rates. */
    GenerateConfig(Path modelDir, long seed, long roots, int users, long startMicros, long endMicros, int workers, int files, Path output,
                   boolean extendedLogs, Path schedule, Scenario scenario, int chunkRoots, boolean rawMetrics, boolean nativeMetrics,
                   long scrapeMillis) {
        this(modelDir, seed, roots, users, startMicros, endMicros, workers, files, output, extendedLogs, schedule, scenario, chunkRoots,
                rawMetrics, nativeMetrics, scrapeMillis, Shard.WHOLE, IncidentIntensity.SEED);
    }

    GenerateConfig {
        if (roots < 1) throw new IllegalArgumentException("total_events must be at least 1, got " + roots);
        if (users < 1) throw new IllegalArgumentException("total_users must be at least 1, got " + users);
        if (endMicros <= startMicros) throw new IllegalArgumentException("--end must be after --start");
        if (workers < 1) throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
        if (files < 1) throw new IllegalArgumentException("--files must be at least 1, got " + files);
        if (chunkRoots < 1) throw new IllegalArgumentException("chunk size must be at least 1");
        if (shard == null) throw new IllegalArgumentException("shard must not be null (Shard.WHOLE for the whole run)");
        if (incidentIntensity == null) incidentIntensity = IncidentIntensity.SEED;
        if (scrapeMillis < 1000) throw new IllegalArgumentException("--scrape-interval must be at least 1s, got " + scrapeMillis + " ms");
    }

    long chunks() { return (roots + chunkRoots - 1) / chunkRoots; }
}
