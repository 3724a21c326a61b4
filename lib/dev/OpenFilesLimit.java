/**
 * A running store's open-files limit as its own /metrics page reports it ({@code process_max_fds}, beside
 * {@code process_open_fds}). VictoriaLogs keeps a partition per day with many files each: a year of logs queried at
 * once needs tens of thousands of descriptors, and container engines often start services with a soft limit of 1024.
 */
record OpenFilesLimit(String service, String address, long max, long open) {
    /** Below this a dashboard query over the default year range can exhaust the descriptors. */
    static final long RECOMMENDED = 65_536;

    boolean low() { return max < RECOMMENDED; }

    /** The limit in a Prometheus text page, or null when the page has no {@code process_max_fds}; {@code open} is -1 when absent. */
    static OpenFilesLimit parse(String service, String address, String metricsText) {
        long max = -1, open = -1;
        for (String line : metricsText.split("\n")) {
            if (line.startsWith("process_max_fds ")) max = value(line);
            else if (line.startsWith("process_open_fds ")) open = value(line);
        }
        return max < 0 ? null : new OpenFilesLimit(service, address, max, open);
    }

    private static long value(String line) {
        String[] parts = line.strip().split("\\s+");
        try {
            return (long) Double.parseDouble(parts[1]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The line `dev health` prints when the limit is low. */
    String warning() {
        return String.format("warning: %s allows only %,d open files (process_max_fds at %s%s); a year of data needs at least %,d: "
                        + "set ulimits nofile in docker-compose.yml (it does for the kit's services) or raise the limit of the service's own start",
                service, max, address, open >= 0 ? String.format(", %,d open now", open) : "", RECOMMENDED);
    }
}
