import java.util.List;

/** A shared piece of infrastructure (database, cache, queue) the services do not declare as a dependency. */
record InfraComponent(String name, String description, List<String> services, double failureRate, String errorType,
                      List<String> errorCodes, String errorMessage) {
    InfraComponent {
        if (services.isEmpty()) throw new IllegalArgumentException("services is empty");
        if (!(failureRate > 0 && failureRate <= 1)) throw new IllegalArgumentException("failure_rate must be in (0, 1], got " + failureRate);
        if (errorCodes.isEmpty()) throw new IllegalArgumentException("error_codes is empty");
        for (String c : errorCodes)
            if (!c.matches("[1-5][0-9][0-9]")) throw new IllegalArgumentException("error code \"" + c + "\" is not an HTTP status");
        if (errorMessage == null || errorMessage.isBlank()) throw new IllegalArgumentException("error_message is blank");
        if (errorType == null || errorType.isBlank()) throw new IllegalArgumentException("error_type is blank");
        services = List.copyOf(services);
        errorCodes = List.copyOf(errorCodes);
    }
}
