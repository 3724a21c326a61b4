import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything fixed before the first event, shared read-only by all workers: the model compiled into index
 * tables and pre-encoded JSON fragments, the users, the incidents, the deployment plan and traffic bursts.
 */
final class GenerationPlan {
    final GenerateConfig cfg;
    final PlatformModel model;
    final PlatformSettings settings;
    final UserPopulation users;
    final IncidentPlan incidents;
    final DeploymentPlan deployments;
    final TrafficBursts bursts;

    // services
    final String[] serviceKeys, serviceStacks, serviceNames;
    final Map<String, Integer> serviceIndex = new HashMap<>();
    final byte[][] logServiceHead;   // "service": "x", "stack": "y", "action": "
    final byte[][] tagServiceHead;   // , "tags": {"service": "x", "stack": "y", "action": "
    final int[][] dependencies;      // service -> callee services, in call order
    final Incident[][] incidentsByService;
    final int[] syntheticReleaseOffset;

    // placements (env/region), per service: windows and release timelines
    final List<Placement> placements;
    final double[] placementCumulative;
    final DeploymentWindow[][] windows;           // [service * placements + placement]
    final DeploymentPlan.Timeline[] timelines;    // same index

    // actions
    final ServiceAction[] actions;
    final int[] actionService;
    final byte[][] actionName, actionOkMessage, childOkMessage, actionObjectType;

    // personas
    final byte[][] personaName;
    final double[][] personaActionCumulative;
    final double[][] personaHourOfWeek;           // 168 acceptance weights, max 1, Monday 00h first

    // one time slice per chunk
    final TimeSlices slices;

    GenerationPlan(PlatformModel model, GenerateConfig cfg) {
        this.cfg = cfg;
        this.model = model;
        this.settings = model.settings();
        this.users = new UserPopulation(model, cfg.users(), cfg.seed());
        this.incidents = new IncidentPlan(model, cfg);
        this.deployments = cfg.schedule() == null ? DeploymentPlan.builtIn(model, cfg) : DeploymentPlan.fromSchedule(model, cfg, cfg.schedule());
        this.bursts = new TrafficBursts(cfg);

        List<String> keys = model.serviceKeys();
        int ns = keys.size();
        serviceKeys = keys.toArray(String[]::new);
        serviceStacks = new String[ns];
        serviceNames = new String[ns];
        logServiceHead = new byte[ns][];
        tagServiceHead = new byte[ns][];
        incidentsByService = new Incident[ns][];
        syntheticReleaseOffset = new int[ns];
        for (int s = 0; s < ns; s++) {
            String k = serviceKeys[s];
            serviceIndex.put(k, s);
            serviceStacks[s] = k.substring(0, k.indexOf(':'));
            serviceNames[s] = k.substring(k.indexOf(':') + 1);
            String head = "\"service\": " + str(serviceNames[s]) + ", \"stack\": " + str(serviceStacks[s]) + ", \"action\": \"";
            logServiceHead[s] = JsonLineBuffer.bytes(head);
            tagServiceHead[s] = JsonLineBuffer.bytes(", \"tags\": {" + head);
            incidentsByService[s] = incidents.forService(k);
            syntheticReleaseOffset[s] = Seeds.stableHash(k) % 50;
        }
        dependencies = new int[ns][];
        for (int s = 0; s < ns; s++) {
            List<String> callees = model.dependenciesOf(serviceKeys[s]);
            dependencies[s] = callees.stream().mapToInt(serviceIndex::get).toArray();
        }

        placements = settings.placements();
        int np = placements.size();
        placementCumulative = new double[np];
        double acc = 0;
        for (int p = 0; p < np; p++) placementCumulative[p] = acc += placements.get(p).weight();
        windows = new DeploymentWindow[ns * np][];
        timelines = new DeploymentPlan.Timeline[ns * np];
        for (int s = 0; s < ns; s++)
            for (int p = 0; p < np; p++) {
                String key = DeploymentPlan.key(serviceKeys[s], placements.get(p).env(), placements.get(p).region());
                windows[s * np + p] = deployments.windows(key);
                timelines[s * np + p] = deployments.timeline(key);
            }

        actions = model.actions().toArray(ServiceAction[]::new);
        int na = actions.length;
        actionService = new int[na];
        actionName = new byte[na][];
        actionOkMessage = new byte[na][];
        childOkMessage = new byte[na][];
        actionObjectType = new byte[na][];
        for (int a = 0; a < na; a++) {
            ServiceAction act = actions[a];
            actionService[a] = serviceIndex.get(act.serviceKey());
            actionName[a] = JsonLineBuffer.escaped(act.action());
            String ok = act.isWrite() ? " completed successfully" : " returned data";
            actionOkMessage[a] = JsonLineBuffer.escaped(act.action() + ok);
            childOkMessage[a] = JsonLineBuffer.escaped("handle_" + act.action() + ok);
            actionObjectType[a] = act.objectType() == null ? null : JsonLineBuffer.quoted(act.objectType());
        }

        var personas = model.personas();
        personaName = new byte[personas.size()][];
        personaActionCumulative = new double[personas.size()][];
        personaHourOfWeek = new double[personas.size()][];
        for (int p = 0; p < personas.size(); p++) {
            Persona ps = personas.get(p);
            personaName[p] = JsonLineBuffer.escaped(ps.name());
            // category weight (normalised over categories with actions) x action weight within the category
            Map<String, Double> catTotal = new HashMap<>();
            for (ServiceAction act : actions) catTotal.merge(act.category(), act.weight(), Double::sum);
            double usable = 0;
            for (var e : ps.actionWeights().entrySet()) if (catTotal.getOrDefault(e.getKey(), 0.0) > 0) usable += e.getValue();
            double[] cum = new double[na];
            double c = 0;
            for (int a = 0; a < na; a++) {
                double total = catTotal.getOrDefault(actions[a].category(), 0.0);
                double w = total <= 0 ? 0 : ps.actionWeights().getOrDefault(actions[a].category(), 0.0) / usable * actions[a].weight() / total;
                cum[a] = c += w;
            }
            personaActionCumulative[p] = cum;
            double[] how = new double[168];
            double max = 0;
            for (int d = 0; d < 7; d++)
                for (int h = 0; h < 24; h++) max = Math.max(max, how[d * 24 + h] = ps.dailyWeights()[d] * ps.hourlyWeights()[h]);
            for (int i = 0; i < 168; i++) how[i] /= max;
            personaHourOfWeek[p] = how;
        }
        slices = new TimeSlices(this);
    }

    // ---- live mode: incidents and releases added while it runs (from its one generating thread) ----

    /** An incident was added or ended in {@link #incidents}: its services see it from their next request on. */
    void incidentChanged(Incident i) {
        for (String svc : i.component().services()) incidentsByService[serviceIndex.get(svc)] = incidents.forService(svc);
    }

    /**
     * Rolls out {@code w}'s release on its service at its env/region: the release is live from the window's start and the
     * window dips, slows and fails requests like a scheduled one.
     */
    void addDeployment(DeploymentWindow w) {
        int s = serviceIndex.get(w.stack() + ":" + w.service()), np = placements.size(), p = -1;
        for (int k = 0; k < np; k++) if (placements.get(k).env().equals(w.env()) && placements.get(k).region().equals(w.region())) p = k;
        if (p < 0) throw new IllegalArgumentException("no placement " + w.env() + "/" + w.region());
        int idx = s * np + p;
        var ws = new ArrayList<DeploymentWindow>(windows[idx] == null ? List.of() : List.of(windows[idx]));
        ws.add(w);
        ws.sort(java.util.Comparator.comparingLong(DeploymentWindow::startMicros).thenComparing(DeploymentWindow::releaseId));
        windows[idx] = ws.toArray(DeploymentWindow[]::new);
        DeploymentPlan.Timeline tl = timelines[idx];
        int n = tl == null ? 0 : tl.from().length, at = n;
        while (at > 0 && tl.from()[at - 1] > w.startMicros()) at--;
        long[] from = new long[n + 1];
        String[] rel = new String[n + 1];
        for (int k = 0, j = 0; k <= n; k++) {
            if (k == at) { from[k] = w.startMicros(); rel[k] = w.releaseId(); }
            else { from[k] = tl.from()[j]; rel[k] = tl.releases()[j++]; }
        }
        long build;
        try {
            build = Long.parseLong(w.releaseId().substring(w.releaseId().lastIndexOf(':') + 1));
        } catch (NumberFormatException e) {
            build = Long.MAX_VALUE;
        }
        timelines[idx] = new DeploymentPlan.Timeline(from, rel, tl == null ? build : Math.min(tl.firstBuild(), build));
    }

    private static String str(String s) { return new String(JsonLineBuffer.quoted(s), java.nio.charset.StandardCharsets.UTF_8); }

    /** Expected share of root events per persona (from the users' activity), for checks and the summary. */
    List<String> personaNames() {
        var out = new ArrayList<String>();
        for (Persona p : model.personas()) out.add(p.name());
        return out;
    }
}
