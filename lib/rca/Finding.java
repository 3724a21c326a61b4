/**
 * One line of a findings file: a cause of kind {@code kind} during [start, end] (epoch microseconds), noticed at
 * {@code detectedMicros} (the window's start unless the line says), blaming any of component, service
 * ({@code stack:service}) and release id (null when not named).
 */
record Finding(int line, CauseKind kind, long startMicros, long endMicros, long detectedMicros, String component, String service,
               String releaseId) {}
