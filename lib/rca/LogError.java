/**
 * One failed request or span from the logs, as a service would have logged it: where and when, its level, error
 * type, code and message, the release it ran, and the request it blamed upstream (null unless a dependency failed).
 */
record LogError(long timeMicros, String stack, String service, String level, String errorType, String errorCode,
                String errorMessage, String errorSource, String releaseId, String requestId, String upstreamRequestId,
                String traceId) {

    private static final String UPSTREAM = "Upstream service ";

    String serviceKey() { return stack + ":" + service; }

    /** The deployment the release runs on: the release id without its release number. */
    String deploymentId() {
        int cut = releaseId == null ? -1 : releaseId.lastIndexOf(':');
        return cut < 0 ? null : releaseId.substring(0, cut);
    }

    boolean cascaded() { return upstreamRequestId != null; }

    /** The upstream service a cascaded error names in its message ({@code Upstream service content:posts failed: ...}). */
    String upstreamService() {
        if (errorMessage == null || !errorMessage.startsWith(UPSTREAM)) return null;
        int end = errorMessage.indexOf(" failed", UPSTREAM.length());
        return end < 0 ? null : errorMessage.substring(UPSTREAM.length(), end);
    }

    /**
     * What the error looks like without where it happened: the error type and the message with the upstream prefix
     * cut and identifiers (words holding ':' or a digit) masked, so the same failure on many services, and through
     * their callers, shares one signature.
     */
    String signature() {
        String msg = errorMessage == null ? "" : errorMessage;
        if (msg.startsWith(UPSTREAM)) {
            int cut = msg.indexOf(" failed: ");
            if (cut >= 0) msg = msg.substring(cut + " failed: ".length());
        }
        var sb = new StringBuilder(errorType).append('|');
        for (String word : msg.split(" ")) {
            boolean id = word.indexOf(':') >= 0 || word.chars().anyMatch(Character::isDigit);
            sb.append(id ? "<id>" : word).append(' ');
        }
        return sb.toString().trim();
    }
}
