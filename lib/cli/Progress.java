import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One progress line with rate and ETA, redrawn at most once a second, shown only on an interactive terminal:
 * pipes, CI ({@code CI} set) and {@code --quiet} get nothing, so logs stay clean. Thread-safe.
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar; // null when not shown

    private Progress(ProgressBar bar) { this.bar = bar; }

    /** A bar for {@code total} units (use -1 when unknown). */
    static Progress start(String task, long total, String unit, boolean quiet) {
        if (quiet || !interactive()) return new Progress(null);
        var bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" " + unit, 1)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(1000)
                .setMaxRenderedLength(100)
                .setEtaFunction(state -> state.getMax() <= 0 || state.getCurrent() <= 0 ? java.util.Optional.empty()
                        : java.util.Optional.of(Duration.ofMillis((long) (state.getElapsedAfterStart().toMillis()
                                * (double) (state.getMax() - state.getCurrent()) / state.getCurrent()))))
                .build();
        return new Progress(bar);
    }

    static boolean interactive() {
        return System.console() != null && System.getenv("CI") == null;
    }

    boolean shown() { return bar != null; }

    void step(long n) {
        if (bar != null) bar.stepBy(n);
    }

    void message(String extra) {
        if (bar != null) bar.setExtraMessage(extra);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
