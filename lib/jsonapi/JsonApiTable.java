import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One of the 36 Qairon fixture tables as the TSV -> JSON:API -> REST pipeline sees it: its numbered TSV file,
 * the REST resource (JSON:API {@code type}) it becomes, the TSV columns by position ({@code _}-prefixed ones are
 * written to TSV but never sent), how the server builds its id, and, for the four association files, which
 * to-many relationship of which owner it writes. {@link #ALL} is the load order: every table comes after the
 * tables it refers to.
 */
record JsonApiTable(int step, String tsvFile, String resource, List<String> columns, List<String> idRule,
                    Link link) {

    /**
     * An association row: {@code owner/<ownerColumn>/relationships/<relation>} gains {@code relatedType/<relatedColumn>}.
     * {@code writable} is false for {@code deployment_targets_fleets}: the API has no write for the target_fleets table,
     * and {@code deployment_target/<id>/fleets} is the fleet's own parent, which a write would move (and re-key).
     */
    record Link(String owner, String ownerColumn, String relation, String relatedType, String relatedColumn, boolean writable) {}

    JsonApiTable {
        columns = List.copyOf(columns);
        idRule = List.copyOf(idRule);
        if (columns.isEmpty()) throw new IllegalArgumentException(resource + ": no columns");
    }

    static final List<JsonApiTable> ALL = List.of(
            plain(1, "01_environments.txt", "environment", List.of("id"), List.of("id")),
            plain(2, "02_provider_types.txt", "provider_type", List.of("id"), List.of("id")),
            plain(3, "03_deployment_target_types.txt", "deployment_target_type", List.of("id"), List.of("id")),
            plain(4, "04_allocation_types.txt", "allocation_type", List.of("id", "unit"), List.of("id")),
            plain(5, "05_repo_types.txt", "repo_type", List.of("id"), List.of("id")),
            plain(6, "06_languages.txt", "language", List.of("id"), List.of("id")),
            plain(7, "07_providers.txt", "provider", List.of("environment_id", "provider_type_id", "native_id"),
                    List.of("environment_id", "provider_type_id", "native_id")),
            plain(8, "08_regions.txt", "region", List.of("provider_id", "name"), List.of("provider_id", "name")),
            plain(9, "09_zones.txt", "zone", List.of("region_id", "name", "native_id"), List.of("region_id", "name")),
            plain(10, "10_partitions.txt", "partition", List.of("region_id", "name", "native_id"), List.of("region_id", "name")),
            plain(11, "11_networks.txt", "network", List.of("partition_id", "name", "cidr"), List.of("partition_id", "name")),
            plain(12, "12_subnets.txt", "subnet", List.of("network_id", "name", "cidr", "native_id"), List.of("network_id", "name")),
            plain(13, "13_fleet_types.txt", "fleet_type", List.of("provider_type_id", "name"), List.of("provider_type_id", "name")),
            plain(14, "14_deployment_targets.txt", "deployment_target", List.of("partition_id", "deployment_target_type_id", "name"),
                    List.of("partition_id", "deployment_target_type_id", "name")),
            plain(15, "15_fleets.txt", "fleet", List.of("deployment_target_id", "fleet_type_id", "name"),
                    List.of("deployment_target_id", "fleet_type_id", "name")),
            plain(16, "16_capacities.txt", "capacity", List.of("allocation_type_id", "fleet_id", "value"),
                    List.of("fleet_id", "allocation_type_id")),
            plain(17, "17_repos.txt", "repo", List.of("repo_type_id", "name", "url"), List.of("repo_type_id", "name")),
            plain(18, "18_applications.txt", "application", List.of("id", "defaults"), List.of("id")),
            plain(19, "19_stacks.txt", "stack", List.of("application_id", "name", "defaults"), List.of("application_id", "name")),
            plain(20, "20_services.txt", "service", List.of("stack_id", "name", "_artifact_name", "defaults"), List.of("stack_id", "name")),
            plain(21, "21_procs.txt", "proc", List.of("service_id", "name", "defaults"), List.of("service_id", "name")),
            plain(22, "22_config_templates.txt", "config_template", List.of("id", "language_id", "doc"), List.of("id")),
            plain(23, "23_builds.txt", "build", List.of("service_id", "build_num", "vcs_ref", "defaults"), List.of("service_id", "build_num")),
            plain(24, "24_deployments.txt", "deployment", List.of("deployment_target_id", "service_id", "tag", "defaults"),
                    List.of("deployment_target_id", "service_id", "tag")),
            plain(25, "25_deployment_procs.txt", "deployment_proc", List.of("deployment_id", "proc_id", "defaults"),
                    List.of("deployment_id", "proc_id")),
            plain(26, "26_releases.txt", "release", List.of("deployment_id", "build_id", "build_num", "defaults"),
                    List.of("deployment_id", "build_num")),
            plain(27, "27_allocations.txt", "allocation", List.of("deployment_proc_id", "allocation_type_id", "watermark", "value", "defaults"),
                    List.of("deployment_proc_id", "allocation_type_id", "watermark")),
            plain(28, "28_build_artifacts.txt", "build_artifact", List.of("build_id", "input_repo_id", "output_repo_id", "name", "upload_path", "data"),
                    List.of("build_id", "name")),
            plain(29, "29_release_artifacts.txt", "release_artifact", List.of("release_id", "input_repo_id", "output_repo_id", "name", "upload_path", "data"),
                    List.of("release_id", "name")),
            plain(30, "30_deployment_configs.txt", "deployment_config", List.of("deployment_id", "config_template_id", "name", "tag", "config", "defaults"),
                    List.of("deployment_id", "config_template_id", "name", "tag")),
            plain(31, "31_service_configs.txt", "service_config", List.of("service_id", "config_template_id", "name", "tag", "config", "defaults"),
                    List.of("service_id", "config_template_id", "name", "tag")),
            plain(32, "32_stack_configs.txt", "stack_config", List.of("stack_id", "config_template_id", "name", "tag", "config", "defaults"),
                    List.of("stack_id", "config_template_id", "name", "tag")),
            link(33, "33_services_repos.txt", "services_repos", new Link("service", "service_id", "repos", "repo", "repo_id", true)),
            link(34, "34_deployments_zones.txt", "deployments_zones", new Link("deployment", "deployment_id", "zones", "zone", "zone_id", true)),
            link(35, "35_subnets_fleets.txt", "subnets_fleets", new Link("subnet", "subnet_id", "fleets", "fleet", "fleet_id", true)),
            link(36, "36_target_fleets.txt", "deployment_targets_fleets",
                    new Link("deployment_target", "deployment_target_id", "fleets", "fleet", "fleet_id", false)));

    /**
     * How many {@code :}-separated parts each resource's id has; a column naming a resource ({@code zone_id},
     * {@code input_repo_id}) must hold an id with exactly that many parts.
     */
    static final Map<String, Integer> ID_PARTS = Map.ofEntries(
            Map.entry("environment", 1), Map.entry("provider_type", 1), Map.entry("deployment_target_type", 1),
            Map.entry("allocation_type", 1), Map.entry("repo_type", 1), Map.entry("language", 1),
            Map.entry("application", 1), Map.entry("config_template", 1),
            Map.entry("provider", 3), Map.entry("region", 4), Map.entry("zone", 5), Map.entry("partition", 5),
            Map.entry("network", 6), Map.entry("subnet", 7), Map.entry("fleet_type", 2), Map.entry("deployment_target", 7),
            Map.entry("fleet", 10), Map.entry("capacity", 11), Map.entry("repo", 2), Map.entry("stack", 2),
            Map.entry("service", 3), Map.entry("proc", 4), Map.entry("build", 4), Map.entry("deployment", 11),
            Map.entry("deployment_proc", 15), Map.entry("release", 12), Map.entry("allocation", 17),
            Map.entry("build_artifact", 5), Map.entry("release_artifact", 13), Map.entry("deployment_config", 14),
            Map.entry("service_config", 6), Map.entry("stack_config", 5));

    private static JsonApiTable plain(int step, String file, String resource, List<String> columns, List<String> idRule) {
        return new JsonApiTable(step, file, resource, columns, idRule, null);
    }

    private static JsonApiTable link(int step, String file, String resource, Link link) {
        return new JsonApiTable(step, file, resource, List.of(link.ownerColumn(), link.relatedColumn()), List.of(), link);
    }

    static Optional<JsonApiTable> byTsvFile(String fileName) {
        String name = fileName.endsWith(".gz") ? fileName.substring(0, fileName.length() - 3) : fileName;
        return ALL.stream().filter(t -> t.tsvFile.equals(name)).findFirst();
    }

    static Optional<JsonApiTable> byResource(String resource) {
        return ALL.stream().filter(t -> t.resource.equals(resource)).findFirst();
    }

    /** The JSON:API document file this table converts to, e.g. {@code region.json}. */
    String jsonFile() { return resource + ".json"; }

    boolean isLink() { return link != null; }

    /** The client supplies the id (lookup tables); everywhere else the server builds it from {@link #idRule}. */
    boolean clientId() { return idRule.equals(List.of("id")); }

    /**
     * The resource an id column refers to: {@code zone_id} -> zone, {@code input_repo_id} -> repo, {@code id} -> this
     * table; null for columns that hold no Qairon id ({@code native_id}, {@code name}).
     */
    String referencedResource(String column) {
        if (column.equals("id")) return resource;
        if (column.equals("input_repo_id") || column.equals("output_repo_id")) return "repo";
        if (!column.endsWith("_id") || column.equals("native_id")) return null;
        String target = column.substring(0, column.length() - 3);
        return ID_PARTS.containsKey(target) ? target : null;
    }

    /** The id the server gives a row with these attributes, or null when a part is missing. */
    String idOf(Map<String, ?> attributes) {
        var sb = new StringBuilder();
        for (String part : idRule) {
            Object v = attributes.get(part);
            if (part.equals("tag") && v == null) v = "default";
            if (v == null || v.toString().isEmpty()) return null;
            if (sb.length() > 0) sb.append(':');
            sb.append(v);
        }
        return sb.toString();
    }
}
