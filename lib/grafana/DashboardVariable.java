import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dashboard's template variable and the value the check gives it: "All" where the variable offers it (Grafana's
 * first option), else the first value its query returns, else what {@code --var} set.
 */
record DashboardVariable(String name, String type, String query, boolean includeAll, String allValue, boolean multi,
                         List<String> values, boolean all) {
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((?:(.*),\\s*)?(\\w+)\\)");

    /** The label and series selector of a {@code label_values(selector, label)} query; null selector for {@code label_values(label)}. */
    static String[] labelValues(String query) {
        Matcher m = LABEL_VALUES.matcher(query.strip());
        if (!m.matches()) throw new IllegalArgumentException("not a label_values(...) query: " + query);
        return new String[] {m.group(2), m.group(1)};
    }

    DashboardVariable choose(List<String> found, String forced) {
        if (forced != null) return new DashboardVariable(name, type, query, includeAll, allValue, multi, List.of(forced), false);
        if (includeAll) return new DashboardVariable(name, type, query, includeAll, allValue, multi, found, true);
        return new DashboardVariable(name, type, query, includeAll, allValue, multi, found.isEmpty() ? List.of() : List.of(found.get(0)), false);
    }

    /** The text that replaces {@code $name} (format null) or {@code ${name:format}} in a query of {@code store}. */
    String format(String format, PanelQuery.Store store) {
        boolean regex = "regex".equals(format) || (format == null && store == PanelQuery.Store.VM && (multi || includeAll));
        if (all) {
            if (allValue != null) return allValue;
            return regex ? "(" + String.join("|", values.stream().map(DashboardVariable::escape).toList()) + ")" : String.join(",", values);
        }
        if (values.isEmpty()) return "";
        if (values.size() == 1) return regex ? escape(values.get(0)) : values.get(0);
        return regex ? "(" + String.join("|", values.stream().map(DashboardVariable::escape).toList()) + ")" : String.join(",", values);
    }

    /** A value as a regular expression matching only itself (Grafana's escaping of regex-formatted values). */
    static String escape(String value) {
        return value.replaceAll("([\\\\^$.|?*+()\\[\\]{}/])", "\\\\$1");
    }

    String shown() {
        return all ? "All" : values.isEmpty() ? "(none)" : String.join(",", values);
    }
}
