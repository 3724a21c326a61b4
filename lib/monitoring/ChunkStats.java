/** Counts of one chunk (or, summed, of a run). Summing in chunk order keeps the totals independent of workers. */
final class ChunkStats {
    static final String[] LEVELS = {"INFO", "WARN", "ERROR"};
    static final String[] SOURCES = {"infrastructure", "dependency", "deployment", "self"};

    long roots, children, dropped, logLines, metricLines, logBytes, metricBytes;
    final long[] levels = new long[3];
    final long[] sources = new long[4];
    final long[] rootsPerPersona;
    final long[] eventsPerService;
    final long[] incidentErrors;    // [incident id - 1]: requests failed directly by the incident
    final long[] incidentCascades;  // [incident id - 1]: callers failed by the cascade
    long[] rawSeries = new long[0];  // one hash per raw sample's series, 0 for an exemplar sample (see RawSeriesCount)
    int rawSeriesCount;

    ChunkStats(int personas, int services, int incidents) {
        rootsPerPersona = new long[personas];
        eventsPerService = new long[services];
        incidentErrors = new long[incidents];
        incidentCascades = new long[incidents];
    }

    void rawSeries(long hash) {
        if (rawSeriesCount == rawSeries.length) rawSeries = java.util.Arrays.copyOf(rawSeries, Math.max(4096, rawSeriesCount * 2));
        rawSeries[rawSeriesCount++] = hash;
    }

    void clear() {
        rawSeriesCount = 0;
        roots = children = dropped = logLines = metricLines = logBytes = metricBytes = 0;
        java.util.Arrays.fill(levels, 0);
        java.util.Arrays.fill(sources, 0);
        java.util.Arrays.fill(rootsPerPersona, 0);
        java.util.Arrays.fill(eventsPerService, 0);
        java.util.Arrays.fill(incidentErrors, 0);
        java.util.Arrays.fill(incidentCascades, 0);
    }

    void add(ChunkStats o) {
        roots += o.roots;
        children += o.children;
        dropped += o.dropped;
        logLines += o.logLines;
        metricLines += o.metricLines;
        logBytes += o.logBytes;
        metricBytes += o.metricBytes;
        for (int i = 0; i < 3; i++) levels[i] += o.levels[i];
        for (int i = 0; i < 4; i++) sources[i] += o.sources[i];
        for (int i = 0; i < rootsPerPersona.length; i++) rootsPerPersona[i] += o.rootsPerPersona[i];
        for (int i = 0; i < eventsPerService.length; i++) eventsPerService[i] += o.eventsPerService[i];
        for (int i = 0; i < o.incidentErrors.length; i++) { // o may know fewer incidents (live mode adds some as it runs)
            incidentErrors[i] += o.incidentErrors[i];
            incidentCascades[i] += o.incidentCascades[i];
        }
    }
}
