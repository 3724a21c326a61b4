/** One release of a deployment as listed in deployment_schedule.json; created at epoch microseconds UTC. */
record ScheduledRelease(String releaseId, long buildNum, long createdMicros) {}
