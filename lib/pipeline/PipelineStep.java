import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of the pipeline: a catalog alias with its arguments, and the endpoints of the store it writes to
 * (none for steps that only write files), so the final table can say what went where.
 */
record PipelineStep(String name, String alias, List<String> args, List<URI> targets, String writes) {
    PipelineStep {
        args = List.copyOf(args);
        targets = List.copyOf(targets);
    }

    /** The command line, as a user would type it. */
    List<String> command(String launcher) {
        var cmd = new ArrayList<String>();
        cmd.add(launcher);
        cmd.add(alias);
        cmd.addAll(args);
        return cmd;
    }

    String commandLine() {
        return String.join(" ", command("./jbang").stream().map(PipelineStep::quote).toList());
    }

    private static String quote(String arg) {
        return arg.matches("[A-Za-z0-9_./:=,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
}
