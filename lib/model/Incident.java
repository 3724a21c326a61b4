/**
 * One injected infrastructure incident: during [start, end) (epoch microseconds, UTC) every request of the
 * component's services fails with probability {@code failureRate}, and callers of those services at ten times that.
 */
record Incident(int id, InfraComponent component, long startMicros, long endMicros, double failureRate) {
    Incident {
        if (endMicros <= startMicros) throw new IllegalArgumentException("incident ends before it starts");
    }

    boolean activeAt(long micros) { return micros >= startMicros && micros < endMicros; }
}
