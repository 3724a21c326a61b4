import java.util.List;

/**
 * One injected cause from {@code incidents.json}, in epoch microseconds [start, end). An infrastructure incident blames
 * its component and the services it fails; the dependency cause of the same incident (its cascade into callers) blames
 * the same component and services; a deployment window blames its service and release.
 *
 * @param id             {@code incident 3} or {@code deployment 12}, for messages
 * @param component      the hidden component, or null (deployments)
 * @param services       {@code stack:service} keys that are right to blame
 * @param releaseId      the deployed release, or null (incidents)
 * @param observedErrors errors the run logged for it, or -1 when the ground truth has no count (deployment windows, whose
 *                       start and complete lines are always logged)
 */
record TruthCause(CauseKind kind, String id, long startMicros, long endMicros, String component, List<String> services,
                  String releaseId, long observedErrors) {
    TruthCause {
        services = List.copyOf(services);
    }
}
