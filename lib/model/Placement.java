/** Where a request runs: environment, cloud account and region, with its share of the traffic. */
record Placement(String env, String account, String region, double weight) {
    Placement {
        if (env == null || env.isBlank() || region == null || region.isBlank() || account == null || account.isBlank())
            throw new IllegalArgumentException("env, account and region must be set");
        if (!(weight >= 0)) throw new IllegalArgumentException("weight must be >= 0, got " + weight);
    }
}
