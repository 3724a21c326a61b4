import picocli.CommandLine.IVersionProvider;

/** The one version string every step prints for {@code --version}. */
class KitVersion implements IVersionProvider {
    static final String VERSION = "0.1.0";

    @Override
    public String[] getVersion() {
        return new String[] {"qairon-kit " + VERSION + " (Java " + Runtime.version() + ")"};
    }
}
