/** How one pipeline step ended; {@code headline} is the rest of the step's own first summary line. */
record StepOutcome(PipelineStep step, Status status, int exitCode, double seconds, String headline) {
    enum Status { DONE, FAILED, SKIPPED, UNREACHABLE, NOT_RUN }

    boolean ok() { return status == Status.DONE || status == Status.SKIPPED; }
}
