/**
 * One query of one dashboard panel, as the dashboard JSON holds it: which store answers it, how Grafana sends it
 * (range or instant, the panel's data points and minimum interval), and its text with the variables still in it.
 */
record PanelQuery(String dashboard, int panelId, String panel, String refId, Store store, String queryType,
                  boolean instant, String text, int limit, long minIntervalMs, int maxDataPoints) {

    /** The data source kinds the kit provisions, by their fixed uids. */
    enum Store {
        VM("qairon-vm"), VL("qairon-vl"), TEMPO("qairon-tempo");

        final String uid;

        Store(String uid) {
            this.uid = uid;
        }

        static Store of(String uid) {
            for (Store s : values()) if (s.uid.equals(uid)) return s;
            throw new IllegalArgumentException("unknown data source uid " + uid);
        }
    }

    String where() {
        return dashboard + " / " + panel + (refId.equals("A") ? "" : " [" + refId + "]");
    }
}
