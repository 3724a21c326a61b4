import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;

/** A kit command run in this JVM with System.out and System.err captured: its exit code and its non-blank lines. */
record CommandRun(int code, List<String> out, List<String> err) {
    /** Runs {@code command} (a picocli command object) with {@code args}; one at a time, since System.out is global. */
    static synchronized CommandRun of(Object command, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        PrintStream o = System.out, e = System.err;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            var cmd = new CommandLine(command);
            cmd.setOut(new PrintWriter(System.out, true));
            cmd.setErr(new PrintWriter(System.err, true));
            code = cmd.execute(args);
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
        return new CommandRun(code, lines(out), lines(err));
    }

    private static List<String> lines(ByteArrayOutputStream b) {
        return b.toString(StandardCharsets.UTF_8).lines().filter(s -> !s.isBlank()).toList();
    }
}
