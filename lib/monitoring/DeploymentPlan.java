import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Which release runs where and when, and the rolling-restart windows of the run. From a
 * {@code deployment_schedule.json}: real release ids (newest created at or before the event, any target of the
 * same env/region/stack/service) and windows for releases on the primary targets, each after its own release's creation.
 * Without one: a built-in
 * schedule, {@code builds_per_service_per_year} builds per service that takes traffic, at seeded times, each rolled out region by
 * region. Windows follow: release time + CI/CD delay, k-th region + k x stagger, a few minutes long.
 */
final class DeploymentPlan {
    private static final long MINUTE = 60_000_000L;
    private static final long YEAR = 365L * 24 * 60 * MINUTE;

    final String source;
    final List<DeploymentWindow> windows;
    final long releaseEntries;
    private final Map<String, DeploymentWindow[]> windowsByKey = new HashMap<>();
    private final Map<String, Timeline> timelines = new HashMap<>();

    /**
     * Releases of one service at one env/region: {@code releases[k]} is live from {@code from[k]}. {@code firstBuild} is
     * the lowest build number among them: what ran before the first one is numbered below it, so it never names a
     * release created later.
     */
    record Timeline(long[] from, String[] releases, long firstBuild) {
        String at(long micros) {
            int lo = 0, hi = from.length - 1, found = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (from[mid] <= micros) { found = mid; lo = mid + 1; } else hi = mid - 1;
            }
            return found < 0 ? null : releases[found];
        }
    }

    static String key(String serviceKey, String env, String region) { return serviceKey + "|" + env + "|" + region; }

    /** The build number ending a release id, or Long.MAX_VALUE when it does not end in one. */
    private static long buildOf(String releaseId) {
        try {
            return Long.parseLong(releaseId.substring(releaseId.lastIndexOf(':') + 1));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private DeploymentPlan(String source, List<DeploymentWindow> windows, Map<String, List<Object[]>> timelineEntries, long releaseEntries) {
        this.source = source;
        var sorted = new ArrayList<>(windows);
        sorted.sort(Comparator.comparingLong(DeploymentWindow::startMicros).thenComparing(DeploymentWindow::releaseId));
        this.windows = List.copyOf(sorted);
        var tmp = new HashMap<String, List<DeploymentWindow>>();
        for (DeploymentWindow w : this.windows)
            tmp.computeIfAbsent(key(w.stack() + ":" + w.service(), w.env(), w.region()), k -> new ArrayList<>()).add(w);
        tmp.forEach((k, v) -> windowsByKey.put(k, v.toArray(DeploymentWindow[]::new)));
        timelineEntries.forEach((k, entries) -> {
            entries.sort(Comparator.comparingLong((Object[] e) -> (Long) e[0]).thenComparing(e -> (String) e[1]));
            long[] from = new long[entries.size()];
            String[] rel = new String[entries.size()];
            long firstBuild = Long.MAX_VALUE;
            for (int i = 0; i < from.length; i++) {
                from[i] = (Long) entries.get(i)[0];
                rel[i] = ((String) entries.get(i)[1]).intern();
                firstBuild = Math.min(firstBuild, buildOf(rel[i]));
            }
            timelines.put(k, new Timeline(from, rel, firstBuild));
        });
        this.releaseEntries = releaseEntries;
    }

    /** The window covering a moment for a service at an env/region, or null. */
    DeploymentWindow windowAt(String key, long micros) { return windowIn(windowsByKey.get(key), micros); }

    /** Windows of one service at one env/region, by start (null when none). */
    DeploymentWindow[] windows(String key) { return windowsByKey.get(key); }

    static DeploymentWindow windowIn(DeploymentWindow[] ws, long micros) {
        if (ws == null) return null;
        int lo = 0, hi = ws.length - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ws[mid].startMicros() <= micros) { found = mid; lo = mid + 1; } else hi = mid - 1;
        }
        for (int i = found; i >= 0 && i > found - 4; i--) if (ws[i].activeAt(micros)) return ws[i];
        return null;
    }

    /** The scheduled release live at a moment, or null when the schedule has none. */
    Timeline timeline(String key) { return timelines.get(key); }

    // ---- built-in schedule ----

    static DeploymentPlan builtIn(PlatformModel model, GenerateConfig cfg) {
        var s = model.settings();
        long span = cfg.endMicros() - cfg.startMicros();
        var envs = new LinkedHashMap<String, List<Placement>>();
        for (Placement p : s.placements()) envs.computeIfAbsent(p.env(), k -> new ArrayList<>()).add(p);
        var windows = new ArrayList<DeploymentWindow>();
        var entries = new HashMap<String, List<Object[]>>();
        long count = 0;
        var deployed = new java.util.LinkedHashSet<String>();
        for (ServiceAction a : model.actions()) {
            deployed.add(a.serviceKey());
            deployed.addAll(model.dependenciesOf(a.serviceKey()));
        }
        for (String svcKey : deployed) {
            String stack = svcKey.substring(0, svcKey.indexOf(':')), service = svcKey.substring(svcKey.indexOf(':') + 1);
            var rng = new SplittableRandom(Seeds.mix(cfg.seed(), 0xde910L + Seeds.stableHash(svcKey)));
            double expected = s.buildsPerServicePerYear() * span / YEAR * cfg.scenario().deploymentFactor();
            long n = (long) expected;
            if (rng.nextDouble() < expected - n) n++;
            long[] times = new long[(int) n];
            for (int i = 0; i < n; i++) times[i] = cfg.startMicros() + rng.nextLong(span);
            Arrays.sort(times);
            long build = 100 + Seeds.stableHash(svcKey) % 50;
            for (var env : envs.values())
                for (Placement p : env) {
                    entries.computeIfAbsent(key(svcKey, p.env(), p.region()), k -> new ArrayList<>())
                            .add(new Object[]{Long.MIN_VALUE, s.releaseId(p, stack, service, build)});
                    count++;
                }
            for (long t : times) {
                build += 1 + rng.nextInt(3);
                long cicd = (long) (s.cicdDelayMinutes().draw(rng) * MINUTE);
                for (var env : envs.values()) {
                    long start = t + cicd;
                    for (int k = 0; k < env.size(); k++) {
                        Placement p = env.get(k);
                        if (k > 0) start += (long) (s.staggerMinutes().draw(rng) * MINUTE);
                        long dur = (long) (s.deployMinutes().draw(rng) * MINUTE);
                        double tf = s.throughputFactor().draw(rng), boost = s.errorRateBoost().draw(rng), lat = s.deployLatencyMultiplier().draw(rng);
                        if (start >= cfg.endMicros()) continue;
                        String release = s.releaseId(p, stack, service, build);
                        windows.add(new DeploymentWindow(stack, service, p.env(), p.region(), release, start, start + dur, tf, boost, lat));
                        entries.computeIfAbsent(key(svcKey, p.env(), p.region()), x -> new ArrayList<>()).add(new Object[]{start, release});
                        count++;
                    }
                }
            }
        }
        return new DeploymentPlan("built-in", windows, entries, count);
    }

    // ---- from deployment_schedule.json ----

    static DeploymentPlan fromSchedule(PlatformModel model, GenerateConfig cfg, Path file) {
        var s = model.settings();
        var reader = new DeploymentScheduleReader(file);
        var primary = new java.util.HashSet<>(reader.primaryTargets());
        var wanted = new java.util.HashSet<String>();
        var services = new java.util.HashSet<>(model.serviceKeys());
        for (Placement p : s.placements()) for (String svc : services) wanted.add(key(svc, p.env(), p.region()));
        var entries = new HashMap<String, List<Object[]>>();
        // (stack:service|env) -> build -> target -> created
        var builds = new TreeMap<String, TreeMap<Long, TreeMap<String, Object[]>>>();
        long[] count = {0};
        reader.forEachDeployment((deploymentId, releases) -> {
            for (ScheduledRelease r : releases) {
                String[] f = r.releaseId().split(":", -1);
                String svcKey = f[8] + ":" + f[9];
                String k = key(svcKey, f[0], f[3]);
                if (wanted.contains(k)) {
                    entries.computeIfAbsent(k, x -> new ArrayList<>()).add(new Object[]{r.createdMicros(), r.releaseId()});
                    count[0]++;
                }
                String target = String.join(":", Arrays.copyOfRange(f, 0, 7));
                if (primary.contains(target) && r.createdMicros() >= cfg.startMicros() && r.createdMicros() < cfg.endMicros()) {
                    var perTarget = builds.computeIfAbsent(svcKey + "|" + f[0], x -> new TreeMap<>())
                            .computeIfAbsent(r.buildNum(), x -> new TreeMap<>());
                    Object[] prev = perTarget.get(target);
                    if (prev == null || (Long) prev[0] > r.createdMicros()) perTarget.put(target, new Object[]{r.createdMicros(), r.releaseId()});
                }
            }
        });
        var windows = new ArrayList<DeploymentWindow>();
        // Each target's window follows its own release's creation (the fixtures create a build on different targets days
        // apart): created + CI/CD delay, plus the stagger of the targets rolled out before it.
        builds.forEach((group, byBuild) -> byBuild.forEach((build, targets) -> {
            var rng = new SplittableRandom(Seeds.mix(cfg.seed(), 0x5c4edL + Seeds.stableHash(group) * 1_000_003L + build));
            long cicd = (long) (s.cicdDelayMinutes().draw(rng) * MINUTE), stagger = 0;
            int k = 0;
            for (var e : targets.entrySet()) {
                if (k++ > 0) stagger += (long) (s.staggerMinutes().draw(rng) * MINUTE);
                long start = (Long) e.getValue()[0] + cicd + stagger;
                String[] f = ((String) e.getValue()[1]).split(":", -1);
                long dur = (long) (s.deployMinutes().draw(rng) * MINUTE);
                double tf = s.throughputFactor().draw(rng), boost = s.errorRateBoost().draw(rng), lat = s.deployLatencyMultiplier().draw(rng);
                if (start >= cfg.endMicros()) continue;
                windows.add(new DeploymentWindow(f[8], f[9], f[0], f[3], (String) e.getValue()[1], start, start + dur, tf, boost, lat));
            }
        }));
        return new DeploymentPlan(file.toString(), windows, entries, count[0]);
    }
}
