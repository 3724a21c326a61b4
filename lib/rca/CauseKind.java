import java.util.Locale;

/** What a root cause is, as the ground truth and findings name it ({@code error_source} kinds the kit injects). */
enum CauseKind {
    INFRASTRUCTURE, DEPENDENCY, DEPLOYMENT;

    /** The name in files: {@code infrastructure}, {@code dependency}, {@code deployment}. */
    String wire() { return name().toLowerCase(Locale.ROOT); }

    /** The kind named {@code text}, or null when it names none. */
    static CauseKind of(String text) {
        for (CauseKind k : values()) if (k.wire().equals(text)) return k;
        return null;
    }
}
