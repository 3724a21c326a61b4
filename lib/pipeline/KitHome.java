import java.nio.file.Files;
import java.nio.file.Path;

/** Where the kit lives: steps that start other steps need its {@code ./jbang} wrapper. */
final class KitHome {
    private KitHome() {}

    /** QAIRON_KIT_HOME (set by ./jbang), else the nearest directory upwards from here holding the catalog. */
    static Path find() {
        String env = System.getenv("QAIRON_KIT_HOME");
        if (env != null && !env.isBlank() && Files.isRegularFile(Path.of(env, "jbang-catalog.json"))) {
            return Path.of(env).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("jbang-catalog.json")) && Files.isRegularFile(dir.resolve("jbang"))) return dir;
        }
        throw new IllegalStateException("cannot find the kit (no jbang-catalog.json here or above); run through ./jbang or set QAIRON_KIT_HOME");
    }

    static Path launcher() { return find().resolve("jbang"); }
}
