import java.util.regex.Pattern;

/**
 * A tenant of the VictoriaMetrics and VictoriaLogs cluster versions: {@code accountID[:projectID]}, two unsigned
 * 32-bit numbers (projectID 0 when left out). VictoriaMetrics' vminsert takes it in the path
 * ({@code /insert/<accountID>:<projectID>/prometheus/...}), VictoriaLogs in the {@code AccountID}/{@code ProjectID}
 * headers (cluster vlinsert, or a single node's own tenants).
 */
record AccountTenant(long accountId, long projectId) {
    private static final Pattern FORM = Pattern.compile("(\\d{1,10})(?::(\\d{1,10}))?");
    private static final long MAX = 0xFFFF_FFFFL;

    AccountTenant {
        if (accountId < 0 || accountId > MAX || projectId < 0 || projectId > MAX)
            throw new IllegalArgumentException("tenant ids are 0.." + MAX + ", got " + accountId + ":" + projectId);
    }

    /** Parses {@code 42} or {@code 42:7}; anything else is an IllegalArgumentException naming the flag and the value. */
    static AccountTenant parse(String text) {
        var m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches())
            throw new IllegalArgumentException("--tenant takes accountID[:projectID] (numbers 0.." + MAX + "), got \"" + text + "\"");
        long account = Long.parseLong(m.group(1)), project = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        if (account > MAX || project > MAX)
            throw new IllegalArgumentException("--tenant takes accountID[:projectID] (numbers 0.." + MAX + "), got \"" + text + "\"");
        return new AccountTenant(account, project);
    }

    @Override
    public String toString() { return accountId + ":" + projectId; }
}
