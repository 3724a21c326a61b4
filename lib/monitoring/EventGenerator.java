import java.util.HashMap;
import java.util.SplittableRandom;

/**
 * Turns one chunk of root events into log and metric lines. Chunk {@code c} covers roots
 * {@code [c * chunkRoots, (c + 1) * chunkRoots)} and draws only from its own generator seeded by (seed, c), so a
 * chunk's bytes never depend on which worker made it. One instance per worker thread; buffers are reused.
 *
 * <p>Per root: the user (by activity), a time (persona hour-of-week weights, bursts), an action (persona category
 * weights x action weights), where it runs, the throughput dip of a deployment window, the release, the error
 * (infrastructure incident on the service, then a cascade from an incident on a callee at the amplified rate,
 * then a deployment restart, then the persona's own error rate), the latency, and one child span per documented
 * dependency, placed inside the parent's time. Each request writes one log line and four or five metric lines.
 */
final class EventGenerator {
    private static final byte[] L_TS = JsonLineBuffer.bytes("{\"timestamp\": \"");
    private static final byte[] L_LEVEL = JsonLineBuffer.bytes("\", \"level\": \"");
    private static final byte[] L_AFTER_LEVEL = JsonLineBuffer.bytes("\", ");
    private static final byte[] HANDLE = JsonLineBuffer.bytes("handle_");
    private static final byte[] L_USER = JsonLineBuffer.bytes("\", \"user_id\": \"user_");
    private static final byte[] L_REQUEST = JsonLineBuffer.bytes("\", \"request_id\": \"");
    private static final byte[] L_SUCCESS_TRUE = JsonLineBuffer.bytes("\", \"success\": true, \"message\": \"");
    private static final byte[] L_SUCCESS_FALSE = JsonLineBuffer.bytes("\", \"success\": false, \"message\": \"");
    private static final byte[] L_RELEASE = JsonLineBuffer.bytes("\", \"release_id\": \"");
    private static final byte[] L_TRACE = JsonLineBuffer.bytes("\", \"trace_id\": \"");
    private static final byte[] L_SPAN = JsonLineBuffer.bytes("\", \"span_id\": \"");
    private static final byte[] L_PARENT_NULL = JsonLineBuffer.bytes("\", \"parent_span_id\": null");
    private static final byte[] L_PARENT = JsonLineBuffer.bytes("\", \"parent_span_id\": \"");
    private static final byte[] L_TARGET_NULL = JsonLineBuffer.bytes(", \"target_user_id\": null");
    private static final byte[] L_TARGET = JsonLineBuffer.bytes(", \"target_user_id\": \"user_");
    private static final byte[] L_OBJECT_NULL = JsonLineBuffer.bytes(", \"object_type\": null, \"object_id\": null");
    private static final byte[] L_OBJECT_TYPE = JsonLineBuffer.bytes(", \"object_type\": ");
    private static final byte[] L_OBJECT_ID = JsonLineBuffer.bytes(", \"object_id\": \"");
    private static final byte[] L_NO_ERROR = JsonLineBuffer.bytes(", \"error_code\": null, \"error_message\": null, \"error_source\": null, \"error_type\": null, \"upstream_request_id\": null");
    private static final byte[] L_ERROR_CODE = JsonLineBuffer.bytes(", \"error_code\": \"");
    private static final byte[] L_ERROR_MESSAGE = JsonLineBuffer.bytes("\", \"error_message\": \"");
    private static final byte[] L_ERROR_SOURCE = JsonLineBuffer.bytes("\", \"error_source\": \"");
    private static final byte[] L_ERROR_TYPE = JsonLineBuffer.bytes("\", \"error_type\": \"");
    private static final byte[] L_UPSTREAM_NULL = JsonLineBuffer.bytes("\", \"upstream_request_id\": null");
    private static final byte[] L_UPSTREAM = JsonLineBuffer.bytes("\", \"upstream_request_id\": \"");
    private static final byte[] L_DURATION = JsonLineBuffer.bytes(", \"duration_ms\": ");
    private static final byte[] L_END = JsonLineBuffer.bytes("}\n");
    private static final byte[] FAILED = JsonLineBuffer.bytes(" failed: ");
    private static final byte[] M_DURATION = JsonLineBuffer.bytes("{\"metric\": \"request_duration_ms\", \"ts\": ");
    private static final byte[] M_REQ_SIZE = JsonLineBuffer.bytes("{\"metric\": \"request_size_bytes\", \"ts\": ");
    private static final byte[] M_RESP_SIZE = JsonLineBuffer.bytes("{\"metric\": \"response_size_bytes\", \"ts\": ");
    private static final byte[] M_DB = JsonLineBuffer.bytes("{\"metric\": \"db_query_count\", \"ts\": ");
    private static final byte[] M_CACHE = JsonLineBuffer.bytes("{\"metric\": \"cache_hit\", \"ts\": ");
    private static final byte[] M_VALUE = JsonLineBuffer.bytes(", \"value\": ");
    private static final byte[] T_SUCCESS_TRUE = JsonLineBuffer.bytes("\", \"success\": \"true\", \"is_write\": \"");
    private static final byte[] T_SUCCESS_FALSE = JsonLineBuffer.bytes("\", \"success\": \"false\", \"is_write\": \"");
    private static final byte[] T_TRUE = JsonLineBuffer.bytes("true");
    private static final byte[] T_FALSE = JsonLineBuffer.bytes("false");
    private static final byte[] T_PERSONA = JsonLineBuffer.bytes("\", \"persona\": \"");
    private static final byte[] T_OBJECT_TYPE = JsonLineBuffer.bytes(", \"object_type\": ");
    private static final byte[] T_TRACE = JsonLineBuffer.bytes(", \"trace_id\": \"");
    private static final byte[] M_END = JsonLineBuffer.bytes("}}\n");
    private static final byte[] M_END_EXEMPLAR = JsonLineBuffer.bytes("\"}}\n");
    private static final long DAY = 86_400_000_000L, HOUR = 3_600_000_000L;

    private static final int OBJ_NONE = 0, OBJ_POST = 1, OBJ_STORY = 2, OBJ_STREAM = 3, OBJ_HASHTAG = 4, OBJ_OTHER = 5;
    private static final int ERR_NONE = 0, ERR_INFRA = 1, ERR_DEPENDENCY = 2, ERR_DEPLOYMENT = 3, ERR_SELF = 4;
    private static final int MAX_DEPS = 64;

    private final GenerationPlan plan;
    private final PlatformSettings s;
    private final boolean extended, raw;
    private ChunkRequests requests;  // the chunk's requests for the native metrics, or null
    private ChunkStats stats;        // the chunk's counts (raw series hashes among them)
    private final java.util.IdentityHashMap<byte[], Long> releaseHashes = new java.util.IdentityHashMap<>();
    private final java.util.IdentityHashMap<byte[], NativeLabels.Deployment> deployments = new java.util.IdentityHashMap<>();
    private final long start, span;
    private final int placements;
    private final JsonLineBuffer tags = new JsonLineBuffer(512);
    private final JsonLineBuffer objectId = new JsonLineBuffer(64);
    private final HashMap<String, byte[]> releaseBytes = new HashMap<>();
    private final HashMap<Long, byte[]> syntheticBytes = new HashMap<>();
    private final int[] objKind;
    private final boolean[] objCreates;
    private final byte[][] objPrefix;
    private final byte[][] hashtags;
    private final long[][] rings = new long[4][256];
    private final int[] ringSize = new int[4];
    private final long[] childReqHi = new long[MAX_DEPS], childReqLo = new long[MAX_DEPS], childSpan = new long[MAX_DEPS];

    // the error of the request being written
    private int errKind;
    private String errCode, errMessage, errSource, errType;
    private Incident errIncident;
    private int failedDep;
    private long upHi, upLo;

    EventGenerator(GenerationPlan plan) {
        this.plan = plan;
        this.s = plan.settings;
        this.extended = plan.cfg.extendedLogs();
        this.raw = plan.cfg.rawMetrics();
        this.start = plan.cfg.startMicros();
        this.span = plan.cfg.endMicros() - plan.cfg.startMicros();
        this.placements = plan.placements.size();
        int na = plan.actions.length;
        objKind = new int[na];
        objCreates = new boolean[na];
        objPrefix = new byte[na][];
        for (int a = 0; a < na; a++) {
            ServiceAction act = plan.actions[a];
            String t = act.objectType();
            if (t == null) continue;
            objKind[a] = switch (t) {
                case "post" -> OBJ_POST;
                case "story" -> OBJ_STORY;
                case "stream" -> OBJ_STREAM;
                case "hashtag" -> OBJ_HASHTAG;
                default -> OBJ_OTHER;
            };
            objCreates[a] = act.action().equals("create_" + t) || act.action().equals("start_" + t);
            objPrefix[a] = JsonLineBuffer.escaped(t + "_");
        }
        hashtags = new byte[s.hashtags().size()][];
        for (int i = 0; i < hashtags.length; i++) hashtags[i] = JsonLineBuffer.escaped(s.hashtags().get(i));
    }

    /**
     * Appends the lines of chunk {@code c} to {@code logs} and {@code metrics} (raw form, when written), records its
     * requests into {@code requests} (native form, when counted) and counts them into {@code st}.
     */
    void generate(long c, JsonLineBuffer logs, JsonLineBuffer metrics, ChunkRequests requests, ChunkStats st) {
        int chunk = Math.toIntExact(c);
        generate(c, plan.slices.roots(chunk), plan.slices.new Draw(chunk), logs, metrics, requests, st);
    }

    /**
     * Like {@link #generate(long, JsonLineBuffer, JsonLineBuffer, ChunkRequests, ChunkStats)} for {@code roots} roots
     * placed by {@code draw} (live mode: a stretch of wall time), drawing from the generator of chunk number {@code c}.
     */
    void generate(long c, long roots, TimeSlices.Draw draw, JsonLineBuffer logs, JsonLineBuffer metrics, ChunkRequests requests, ChunkStats st) {
        var rng = new SplittableRandom(Seeds.mix(plan.cfg.seed(), 0x100000000L + c));
        java.util.Arrays.fill(ringSize, 0);
        this.requests = requests;
        this.stats = st;
        for (long i = 0; i < roots; i++) {
            int persona = draw.persona(rng.nextDouble());
            int user = plan.users.userOf(persona, rng.nextDouble());
            long t = draw.time(persona, rng.nextDouble(), rng.nextDouble());
            root(user, t, rng, logs, metrics, st);
        }
        if (requests != null) requests.sortByTime();
    }

    private void root(int user, long t, SplittableRandom rng, JsonLineBuffer logs, JsonLineBuffer metrics, ChunkStats st) {
        int persona = plan.users.persona[user];
        Persona ps = plan.model.personas().get(persona);
        int a = Seeds.pick(plan.personaActionCumulative[persona], rng.nextDouble() * lastOf(plan.personaActionCumulative[persona]));
        ServiceAction act = plan.actions[a];
        int svc = plan.actionService[a];
        int pl = Seeds.pick(plan.placementCumulative, rng.nextDouble() * plan.placementCumulative[placements - 1]);
        DeploymentWindow window = DeploymentPlan.windowIn(plan.windows[svc * placements + pl], t);
        if (window != null && rng.nextDouble() > window.throughputFactor()) {
            st.dropped++;
            return;
        }
        st.roots++;
        st.rootsPerPersona[persona]++;
        byte[] release = release(svc, pl, t);
        long reqHi = rng.nextLong(), reqLo = rng.nextLong(), traceHi = rng.nextLong(), traceLo = rng.nextLong(), spanId = rng.nextLong();
        int[] deps = plan.dependencies[svc];
        for (int k = 0; k < deps.length; k++) {
            childReqHi[k] = rng.nextLong();
            childReqLo[k] = rng.nextLong();
            childSpan[k] = rng.nextLong();
        }
        objectId(a, rng);
        long target = act.hasTargetUser() ? plan.users.idBits(otherUser(user, rng)) : 0;

        // error, in priority order
        errKind = ERR_NONE;
        errIncident = null;
        failedDep = -1;
        Incident inc = firstActive(plan.incidentsByService[svc], t);
        if (inc != null && rng.nextDouble() < inc.failureRate()) {
            infraError(inc, rng);
            st.incidentErrors[inc.id() - 1]++;
        }
        if (errKind == ERR_NONE) {
            for (int k = 0; k < deps.length; k++) {
                Incident di = firstActive(plan.incidentsByService[deps[k]], t);
                if (di != null && rng.nextDouble() < plan.incidents.cascadeRate(di)) {
                    InfraComponent comp = di.component();
                    errKind = ERR_DEPENDENCY;
                    errIncident = di;
                    failedDep = k;
                    errCode = comp.errorCodes().get(rng.nextInt(comp.errorCodes().size()));
                    errMessage = "Upstream service " + plan.serviceKeys[deps[k]] + " failed: " + comp.errorMessage();
                    errSource = "dependency:" + plan.serviceKeys[deps[k]];
                    errType = comp.errorType();
                    upHi = childReqHi[k];
                    upLo = childReqLo[k];
                    st.incidentCascades[di.id() - 1]++;
                    break;
                }
            }
        }
        if (errKind == ERR_NONE && window != null && rng.nextDouble() < window.errorRateBoost()) {
            errKind = ERR_DEPLOYMENT;
            errCode = s.deploymentErrorCodes().get(rng.nextInt(s.deploymentErrorCodes().size()));
            errMessage = "Service restarting during deployment of " + window.releaseId();
            errSource = "deployment:" + window.releaseId();
            errType = "server";
        }
        if (errKind == ERR_NONE && rng.nextDouble() >= ps.successRate()) selfError(rng);
        boolean failed = errKind != ERR_NONE;

        // latency
        double mean = act.baseLatencyMs() * ps.latencyMultiplier() * (window != null ? window.latencyMultiplier() : 1.0);
        double lat = Math.max(1.0, mean + rng.nextGaussian() * act.latencyStddevMs());
        if (failed) lat *= rng.nextDouble() < s.failureFastProbability() ? s.failureFastFactor() : s.failureSlowFactor();
        long cents = Math.max(1, Math.round(lat * 100));

        byte[] name = plan.actionName[a];
        writeLog(logs, t, svc, false, name, user, reqHi, reqLo, failed ? null : plan.actionOkMessage[a], release, traceHi, traceLo,
                spanId, 0, false, act.hasTargetUser(), target, plan.actionObjectType[a], cents, st);
        st.eventsPerService[svc]++;
        long reqSize = Math.max(64, (long) (act.basePayloadBytes() * 0.1 + rng.nextGaussian() * act.payloadStddevBytes() * 0.1));
        long respSize = failed ? 128 + rng.nextInt(385) : Math.max(64, (long) (act.basePayloadBytes() + rng.nextGaussian() * act.payloadStddevBytes()));
        writeMetrics(metrics, t, svc, a, false, name, !failed, act.isWrite(), persona, release, plan.actionObjectType[a],
                cents, reqSize, respSize, failed, traceHi, traceLo, rng, st);

        // child spans, one per documented dependency, nested inside the parent's time
        long parentUs = cents * 10;
        Incident forced = errKind == ERR_DEPENDENCY ? errIncident : null;
        int forcedDep = failedDep;
        for (int k = 0; k < deps.length; k++) {
            int cs = deps[k];
            long offsetUs = (long) ((k + 1) * s.childStartOffsetFraction() * parentUs);
            long limitUs = (long) (s.childEndLimitFraction() * parentUs) - offsetUs;
            long childUs = Math.min((long) (parentUs * s.childDurationRatio().draw(rng)), limitUs) / 10 * 10;
            if (childUs < 10) childUs = Math.max(1, limitUs);
            long ct = t + offsetUs;
            errKind = ERR_NONE;
            if (k == forcedDep) {
                infraError(forced, rng);
                st.incidentErrors[forced.id() - 1]++;
            } else {
                Incident ci = firstActive(plan.incidentsByService[cs], ct);
                if (ci != null && rng.nextDouble() < ci.failureRate()) {
                    infraError(ci, rng);
                    st.incidentErrors[ci.id() - 1]++;
                }
            }
            boolean cf = errKind != ERR_NONE;
            byte[] crel = release(cs, pl, ct);
            long childCents = Math.max(1, childUs / 10);
            writeLog(logs, ct, cs, true, name, user, childReqHi[k], childReqLo[k], cf ? null : plan.childOkMessage[a], crel,
                    traceHi, traceLo, childSpan[k], spanId, true, false, 0, plan.actionObjectType[a], childCents, st);
            st.children++;
            st.eventsPerService[cs]++;
            long cReq = Math.max(64, (long) (s.childPayloadBytes() * 0.1 + rng.nextGaussian() * s.childPayloadStddevBytes() * 0.1));
            long cResp = cf ? 128 + rng.nextInt(385) : Math.max(64, (long) (s.childPayloadBytes() + rng.nextGaussian() * s.childPayloadStddevBytes()));
            writeMetrics(metrics, ct, cs, a, true, name, !cf, act.isWrite(), persona, crel, plan.actionObjectType[a],
                    childCents, cReq, cResp, cf, traceHi, traceLo, rng, st);
        }
    }

    private static double lastOf(double[] a) { return a[a.length - 1]; }

    private int otherUser(int user, SplittableRandom rng) {
        int n = plan.users.size;
        if (n == 1) return user;
        int o = rng.nextInt(n - 1);
        return o >= user ? o + 1 : o;
    }

    private static Incident firstActive(Incident[] list, long t) {
        for (Incident i : list) {
            if (i.startMicros() > t) return null;
            if (t < i.endMicros()) return i;
        }
        return null;
    }

    private void infraError(Incident inc, SplittableRandom rng) {
        InfraComponent comp = inc.component();
        errKind = ERR_INFRA;
        errIncident = inc;
        errCode = comp.errorCodes().get(rng.nextInt(comp.errorCodes().size()));
        errMessage = comp.errorMessage();
        errSource = "infrastructure:" + comp.name();
        errType = comp.errorType();
    }

    private void selfError(SplittableRandom rng) {
        errKind = ERR_SELF;
        if (rng.nextDouble() < s.clientErrorProbability()) {
            errCode = s.clientCodes().get(rng.nextInt(s.clientCodes().size()));
            errType = "client";
        } else {
            errCode = s.serverCodes().get(rng.nextInt(s.serverCodes().size()));
            errType = "server";
        }
        errMessage = s.messageFor(errCode);
        errSource = "self";
    }

    private void objectId(int a, SplittableRandom rng) {
        objectId.clear();
        int kind = objKind[a];
        if (kind == OBJ_NONE) return;
        if (kind == OBJ_HASHTAG) {
            objectId.put(hashtags[rng.nextInt(hashtags.length)]);
            return;
        }
        objectId.put(objPrefix[a]);
        int digits = kind == OBJ_POST || kind == OBJ_STORY ? 16 : 12;
        if (kind == OBJ_OTHER) {
            objectId.hex(rng.nextLong(), digits);
            return;
        }
        long[] ring = rings[kind];
        long bits;
        if (objCreates[a] || ringSize[kind] == 0) {
            bits = rng.nextLong();
            ring[ringSize[kind] % ring.length] = bits;
            ringSize[kind]++;
        } else {
            bits = ring[rng.nextInt(Math.min(ringSize[kind], ring.length))];
        }
        objectId.hex(bits, digits);
    }

    private byte[] release(int svc, int pl, long t) {
        DeploymentPlan.Timeline tl = plan.timelines[svc * placements + pl];
        String r = tl == null ? null : tl.at(t);
        if (r != null) {
            byte[] b = releaseBytes.get(r);
            if (b == null) releaseBytes.put(r, b = JsonLineBuffer.escaped(r));
            return b;
        }
        long num = 50 + (long) ((t - start) / DAY / 365.0 * 200) + plan.syntheticReleaseOffset[svc];
        if (tl != null) num = Math.min(num, tl.firstBuild() - 1); // before the schedule's first release: an older build
        long key = ((long) (svc * placements + pl) << 32) | num;
        byte[] b = syntheticBytes.get(key);
        if (b == null) {
            b = JsonLineBuffer.escaped(s.releaseId(plan.placements.get(pl), plan.serviceStacks[svc], plan.serviceNames[svc], num));
            syntheticBytes.put(key, b);
        }
        return b;
    }

    private void writeLog(JsonLineBuffer out, long t, int svc, boolean child, byte[] action, int user, long reqHi, long reqLo,
                          byte[] okMessage, byte[] release, long traceHi, long traceLo, long spanId, long parentSpan,
                          boolean hasParent, boolean hasTarget, long target, byte[] objectType, long cents, ChunkStats st) {
        boolean failed = errKind != ERR_NONE;
        out.put(L_TS).isoMicros(t).put(L_LEVEL);
        // the seed's rule: every 5xx is an ERROR, and so is any failure of an error-level type (a database 429 too)
        int level = !failed ? 0 : errCode.charAt(0) == '5' || s.errorLevelTypes().contains(errType) ? 2 : 1;
        out.ascii(ChunkStats.LEVELS[level]).put(L_AFTER_LEVEL).put(plan.logServiceHead[svc]);
        if (child) out.put(HANDLE);
        out.put(action).put(L_USER).hex(plan.users.idBits(user), 12)
                .put(L_REQUEST).hex(reqHi, 16).hex(reqLo, 16)
                .put(failed ? L_SUCCESS_FALSE : L_SUCCESS_TRUE);
        if (!failed) out.put(okMessage);
        else {
            if (child) out.put(HANDLE);
            out.put(action).put(FAILED).put(JsonLineBuffer.escaped(errMessage));
        }
        out.put(L_RELEASE).put(release).put(L_TRACE).hex(traceHi, 16).hex(traceLo, 16).put(L_SPAN).hex(spanId, 16);
        if (hasParent) out.put(L_PARENT).hex(parentSpan, 16).put('"');
        else out.put(L_PARENT_NULL);
        if (hasTarget) out.put(L_TARGET).hex(target, 12).put('"');
        else out.put(L_TARGET_NULL);
        if (objectType == null) out.put(L_OBJECT_NULL);
        else out.put(L_OBJECT_TYPE).put(objectType).put(L_OBJECT_ID).put(objectId).put('"');
        if (!failed) out.put(L_NO_ERROR);
        else {
            out.put(L_ERROR_CODE).ascii(errCode).put(L_ERROR_MESSAGE).put(JsonLineBuffer.escaped(errMessage))
                    .put(L_ERROR_SOURCE).put(JsonLineBuffer.escaped(errSource)).put(L_ERROR_TYPE).put(JsonLineBuffer.escaped(errType));
            if (errKind == ERR_DEPENDENCY && !child) out.put(L_UPSTREAM).hex(upHi, 16).hex(upLo, 16).put('"');
            else out.put(L_UPSTREAM_NULL);
            st.sources[errKind - 1]++;
        }
        if (extended) out.put(L_DURATION).hundredths(cents);
        out.put(L_END);
        st.levels[level]++;
        st.logLines++;
    }

    /**
     * The request's five metric draws (exemplar, database queries, cache hit), then its raw metric lines when the run
     * writes them and its row in the native requests when it counts them. The draws happen either way, so the logs
     * are the same bytes for every --metrics form.
     */
    private void writeMetrics(JsonLineBuffer out, long t, int svc, int a, boolean child, byte[] action, boolean success, boolean write,
                              int persona, byte[] release, byte[] objectType, long cents, long reqSize, long respSize,
                              boolean failed, long traceHi, long traceLo, SplittableRandom rng, ChunkStats st) {
        boolean slow = cents > s.exemplarSlowThresholdMs() * 100;
        boolean exemplar = failed || slow || rng.nextDouble() < s.exemplarRandomFraction();
        long db = failed ? rng.nextInt(3) : 1 + rng.nextInt(5);
        int cache = success && !write ? (rng.nextDouble() < s.cacheHitProbability() ? 1 : 0) : -1;
        if (requests != null) {
            NativeLabels.Deployment dep = deployments.get(release);
            if (dep == null) deployments.put(release, dep = NativeLabels.of(new String(release, java.nio.charset.StandardCharsets.UTF_8)));
            requests.add(t, svc, a, child, success, dep, failed ? errType : null, cents, reqSize, respSize, (int) db, cache,
                    failed || slow, traceHi, traceLo);
        }
        if (!raw) return;
        tags.clear();
        tags.put(plan.tagServiceHead[svc]);
        if (child) tags.put(HANDLE);
        tags.put(action).put(success ? T_SUCCESS_TRUE : T_SUCCESS_FALSE).put(write ? T_TRUE : T_FALSE)
                .put(T_PERSONA).put(plan.personaName[persona]).put(L_RELEASE).put(release).put('"');
        if (objectType != null) tags.put(T_OBJECT_TYPE).put(objectType);
        Long rh = releaseHashes.get(release);
        if (rh == null) releaseHashes.put(release, rh = (long) Seeds.stableHash(new String(release, java.nio.charset.StandardCharsets.UTF_8)));
        long series = Seeds.mix(Seeds.mix(Seeds.mix(svc, a * 2L + (child ? 1 : 0)), persona * 2L + (success ? 1 : 0)), rh);
        stats.rawSeries(exemplar ? 0 : (Seeds.mix(series, 1) & ~7L) | 1); // low 3 bits: which metric (RawSeriesCount)
        for (int m = 2; m <= (cache >= 0 ? 5 : 4); m++) stats.rawSeries((Seeds.mix(series, m) & ~7L) | m);
        out.put(M_DURATION).epochSeconds(t).put(M_VALUE).hundredths(cents).put(tags);
        if (exemplar) out.put(T_TRACE).hex(traceHi, 16).hex(traceLo, 16).put(M_END_EXEMPLAR);
        else out.put(M_END);
        out.put(M_REQ_SIZE).epochSeconds(t).put(M_VALUE).wholeFloat(reqSize).put(tags).put(M_END);
        out.put(M_RESP_SIZE).epochSeconds(t).put(M_VALUE).wholeFloat(respSize).put(tags).put(M_END);
        out.put(M_DB).epochSeconds(t).put(M_VALUE).wholeFloat(db).put(tags).put(M_END);
        st.metricLines += 4;
        if (cache >= 0) {
            out.put(M_CACHE).epochSeconds(t).put(M_VALUE).wholeFloat(cache).put(tags).put(M_END);
            st.metricLines++;
        }
    }
}
