// The kit's alert rules, defined once and written twice: as Grafana alerting provisioning (built with the Grafana
// Foundation SDK's alerting and expression builders) and as vmalert rules files, so the two cannot drift.
// generate.mjs calls alertFiles(); `./jbang dashboards` writes the results and `--check` compares them.
//
// Every rule is one value per group of labels and a threshold above which it fires:
//   vmalert   expr `(<value>) > <threshold>`, or for VictoriaLogs `<value> | filter <field>:><threshold>`
//   Grafana   A = <value> (instant), B = last of A, C = B > <threshold>; the rule's condition is C
// Both evaluate every group interval and fire once the condition held for `for`.
//
// The native counters only have samples at the scrapes where they changed (see generate.mjs), so every window
// below reads them through increase() over an explicit range; a service needs enough requests in the window to
// be judged at all (a single failure among three requests is not an outage).
import * as alerting from '@grafana/grafana-foundation-sdk/alerting';
import * as expr from '@grafana/grafana-foundation-sdk/expr';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import { stringify } from 'yaml';

const BY = 'environment, stack, service';
const EXPR_DS = { type: '__expr__', uid: '__expr__' };
const FOLDER = 'Qairon'; // the dashboards' folder (provisioning/dashboards/dashboards.yaml)

const served = (win, offset = '') => `sum by (${BY}) (increase(requests_total[${win}]${offset}))`;
const p99 = (win, offset = '') =>
  `histogram_quantile(0.99, sum by (${BY}, le) (increase(request_duration_seconds_bucket[${win}]${offset})))`;

/**
 * Error ratio over ERROR_WINDOW of every service with at least ERROR_MIN_REQUESTS requests and ERROR_MIN_FAILURES
 * failures in it: a few self errors among a quiet service's requests are not an outage. The window and ratio are such
 * that a component failing most requests crosses the ratio well within one evaluation interval.
 */
const ERROR_WINDOW = '5m';
const ERROR_MIN_REQUESTS = 20;
const ERROR_MIN_FAILURES = 5;
const ERROR_RATIO = 0.1;
/** p99 over LATENCY_WINDOW against the same service's p99 over the hour before it. */
const LATENCY_WINDOW = '10m';
const LATENCY_MIN_REQUESTS = 50;
const LATENCY_BASELINE_MIN_REQUESTS = 300;
const LATENCY_FACTOR = 2;
const LATENCY_FLOOR_SECONDS = 0.5;
/** Lines with an infrastructure error_source per environment and component in one logs interval. */
const BURST_LINES = 10;

/** Renders `{{ <value> }}` through a template function, in each system's template syntax. */
const valueOf = { vmalert: '$value', grafana: '$values.B.Value' };
const shown = (target, fn) => (fn ? `{{ ${target === 'vmalert' ? `${valueOf[target]} | ${fn}` : `${fn} ${valueOf[target]}`} }}` : `{{ ${valueOf[target]} }}`);
const svc = '{{ $labels.stack }}:{{ $labels.service }} ({{ $labels.environment }})';

export const GROUPS = [
  {
    name: 'qairon-services',
    store: 'metrics',
    interval: '1m',
    rules: [
      {
        uid: 'qairon-service-error-ratio',
        alert: 'QaironServiceErrorRatioHigh',
        value: `(sum by (${BY}) (increase(requests_total{success="false"}[${ERROR_WINDOW}])) >= ${ERROR_MIN_FAILURES})`
          + ` / (${served(ERROR_WINDOW)} >= ${ERROR_MIN_REQUESTS})`,
        threshold: ERROR_RATIO,
        for: '2m',
        severity: 'critical',
        summary: (t) => `${svc} fails ${shown(t, 'humanizePercentage')} of its requests`,
        description: `Failed requests / all requests (requests_total) over the last ${ERROR_WINDOW} above ${ERROR_RATIO * 100} %, `
          + `for services with at least ${ERROR_MIN_REQUESTS} requests and ${ERROR_MIN_FAILURES} failures in it. An infrastructure incident fails every service on the component; `
          + 'see the Error analysis dashboard and the logs\' error_source.',
      },
      {
        uid: 'qairon-service-p99-latency',
        alert: 'QaironServiceLatencyP99High',
        value: `(${p99(LATENCY_WINDOW)} > ${LATENCY_FACTOR} * ${p99('1h', ` offset ${LATENCY_WINDOW}`)})`
          + ` and (${served(LATENCY_WINDOW)} >= ${LATENCY_MIN_REQUESTS})`
          + ` and (${served('1h', ` offset ${LATENCY_WINDOW}`)} >= ${LATENCY_BASELINE_MIN_REQUESTS})`,
        threshold: LATENCY_FLOOR_SECONDS,
        for: '5m',
        severity: 'warning',
        summary: (t) => `${svc} p99 latency ${shown(t, 'humanizeDuration')}`,
        description: `p99 of request_duration_seconds over the last ${LATENCY_WINDOW} above ${LATENCY_FLOOR_SECONDS} s and more than ${LATENCY_FACTOR}x `
          + `the service's own p99 over the hour before (at least ${LATENCY_MIN_REQUESTS} requests in the window and `
          + `${LATENCY_BASELINE_MIN_REQUESTS} in the hour): services differ by orders of magnitude, so each is judged against itself.`,
      },
    ],
  },
  {
    name: 'qairon-logs',
    store: 'logs',
    interval: '5m', // vmalert queries VictoriaLogs over the last group interval (_time:5m)
    rules: [
      {
        uid: 'qairon-infrastructure-error-burst',
        alert: 'QaironInfrastructureErrorBurst',
        value: 'error_source:infrastructure* | stats by (environment, error_source) count() as errors',
        field: 'errors',
        threshold: BURST_LINES,
        for: '0s',
        severity: 'critical',
        summary: (t) => `{{ $labels.error_source }} failed ${shown(t)} requests in {{ $labels.environment }}`,
        description: `More than ${BURST_LINES} log lines in one interval whose error_source is infrastructure:<component>: a shared `
          + 'component (database, cache, queue, ...) fails the requests of every service on it.',
      },
    ],
  },
];

const seconds = (d) => {
  const m = /^(\d+)([smh])$/.exec(d);
  if (!m) throw new Error(`duration ${d}: expected <n>s, <n>m or <n>h`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2]];
};

// ---- vmalert ------------------------------------------------------------------------------------------------
function vmalertRule(rule, store) {
  const condition = store === 'logs' ? `${rule.value} | filter ${rule.field}:>${rule.threshold}` : `(${rule.value}) > ${rule.threshold}`;
  return {
    alert: rule.alert,
    expr: condition,
    for: rule.for,
    labels: { severity: rule.severity },
    annotations: { summary: rule.summary('vmalert'), description: rule.description },
  };
}
const vmalertGroup = (g) => ({
  name: g.name,
  ...(g.store === 'logs' ? { type: 'vlogs' } : {}),
  interval: g.interval,
  rules: g.rules.map((r) => vmalertRule(r, g.store)),
});

// ---- Grafana ------------------------------------------------------------------------------------------------
/** The VictoriaLogs plugin's query (the SDK has no builder for it; the same shape as the dashboards' LogsQuery). */
class LogsStatsQuery {
  constructor(datasource, query) { this.internal = { refId: 'A', datasource, editorMode: 'code', queryType: 'stats', expr: query }; }
  build() { return this.internal; }
}

function grafanaRule(rule, group, ds) {
  // VictoriaLogs counts the lines in the query's range (the group interval, as vmalert does); the metric queries are
  // instant and carry their own windows
  const range = group.store === 'logs' ? seconds(group.interval) : 600;
  const source = group.store === 'logs' ? ds.VL : ds.VM;
  const model = group.store === 'logs'
    ? new LogsStatsQuery(ds.VL, rule.value)
    : new prometheus.DataqueryBuilder().datasource(ds.VM).refId('A').expr(rule.value).instant().legendFormat('__auto');
  return new alerting.RuleBuilder(rule.alert)
    .uid(rule.uid)
    .condition('C')
    .withQuery(new alerting.QueryBuilder('A').datasourceUid(source.uid).relativeTimeRange({ from: range, to: 0 }).model(model))
    .withQuery(new alerting.QueryBuilder('B').datasourceUid(EXPR_DS.uid).model(
      new expr.TypeReduceBuilder().refId('B').datasource(EXPR_DS).expression('A').reducer('last').settings({ mode: 'dropNN' })))
    .withQuery(new alerting.QueryBuilder('C').datasourceUid(EXPR_DS.uid).model(
      new expr.TypeThresholdBuilder().refId('C').datasource(EXPR_DS).expression('B')
        .conditions([{ evaluator: { type: 'gt', params: [rule.threshold] } }])))
    .forDuration(rule.for)
    .noDataState('OK') // no data = no traffic or no failures in the window
    .execErrState('Error')
    .isPaused(false)
    .labels({ severity: rule.severity })
    .annotations({ summary: rule.summary('grafana'), description: rule.description });
}

/** The SDK's rule group as Grafana's file provisioning wants it (folder by title, interval as a duration). */
function provisionedGroup(g, ds) {
  const built = JSON.parse(JSON.stringify(new alerting.RuleGroupBuilder(g.name).interval(seconds(g.interval))
    .rules(g.rules.map((r) => grafanaRule(r, g, ds))).build()));
  const fileRule = (r) => ({
    uid: r.uid, title: r.title, condition: r.condition, data: r.data, noDataState: r.noDataState, execErrState: r.execErrState,
    for: r.for, isPaused: r.isPaused, labels: r.labels, annotations: r.annotations,
  });
  return { orgId: 1, name: built.title, folder: FOLDER, interval: `${built.interval}s`, rules: built.rules.map(fileRule) };
}

const HEADER = (what, source = 'alerts.mjs') => `# ${what}\n# Generated by \`./jbang dashboards\` from config/grafana/generator/${source}; never edit by hand.\n`;
const yaml = (doc) => stringify(doc, { lineWidth: 0 });

/** file name -> contents, under the output directory's alerting/ and vmalert/ parts; `recording`: generate.mjs's groups. */
export function alertFiles(ds, recording) {
  const metrics = GROUPS.filter((g) => g.store === 'metrics');
  const logs = GROUPS.filter((g) => g.store === 'logs');
  return {
    'alerting/qairon-alerts.yaml': HEADER('Grafana alerting provisioning: the kit\'s alert rules against the provisioned data sources.')
      + yaml({ apiVersion: 1, groups: GROUPS.map((g) => provisionedGroup(g, ds)) }),
    'vmalert/rules.yml': HEADER('vmalert rules over the native metrics in VictoriaMetrics (-datasource.url=VictoriaMetrics).')
      + yaml({ groups: metrics.map(vmalertGroup) }),
    'vmalert/rules-vlogs.yml': HEADER('vmalert rules over the logs in VictoriaLogs (type: vlogs, vmalert 1.106+, -datasource.url=VictoriaLogs).')
      + yaml({ groups: logs.map(vmalertGroup) }),
    'vmalert/recording.yml': HEADER('vmalert recording rules over the native metrics: pre-computed history the dashboards read (./jbang replay-rules '
      + 'replays them over imported data).', 'generate.mjs') + yaml({ groups: recording }),
  };
}
