// Builds the kit's Grafana dashboards with the Grafana Foundation SDK and writes one JSON file per dashboard, and the
// alert rules of alerts.mjs (Grafana alerting provisioning and vmalert rules files from one definition).
// Run it through `./jbang dashboards` (installs the pinned SDK with `npm ci` into .dev/cache first).
//   node generate.mjs <output-dir>     writes <output-dir>/dashboards/*.json, alerting/*.yaml, vmalert/*.yml
//
// What the data looks like (so every query means what it says):
// * VictoriaMetrics holds the native metrics: the pipeline imports them (generate-monitoring --metrics native), the
//   per-request samples of the raw form (request_duration_ms, ...) are not read by any panel. Counters, scraped
//   every 15 s, monotonic per series over the whole run, with a sample only at the scrapes where the series changed
//   (plus a zero one scrape before its first increment):
//     requests_total{action, success}                 requests, root requests and child spans (action handle_<action>)
//     errors_total{action, error_type}                failed requests by error type
//     request_duration_seconds_bucket{action, success, le} (+ _sum, _count)   le 0.005 ... 10, +Inf
//     request_size_bytes_bucket, response_size_bytes_bucket{le} (+ _sum, _count)   le 64 ... 1048576, +Inf (per service)
//     db_queries_total{action}                        database queries
//     cache_requests_total{action, result=hit|miss}   cache lookups of successful reads
//   every series labelled service, stack and the deployment's tags (environment, region, ..., deployment_id); not
//   release or release_id (a deploy starts no new series), no persona, user or trace labels. Panels by release read
//   the logs, which carry the release tags.
// * A series changes only every few hours to weeks, so counters are only read through increase(), and only to get
//   the growth per window: the panel interval ($__interval, the query step: consecutive windows, every request
//   counted once, per second = growth / the interval) or the selected range ($__range). That growth is the
//   difference of G = sum(increase over the whole history) at the window's end and start (`grown` below):
//   MetricsQL's increase() looks at most 5 minutes before its window for the previous sample and otherwise guesses
//   (often "the counter started at 0"), which overcounts zoomed-in ranges badly; over the whole history every
//   series starts at its zero sample. rate() and irate() are not used: MetricsQL divides by the time between the
//   samples it finds, 15 s after a zero sample, days after an earlier change, whatever the window.
// * Ratios divide one growth by another (failed / all requests, hits / lookups, queries / requests, duration
//   sum / count); quantiles are histogram_quantile over the growth of the buckets summed by (le, ...). Failure
//   counts and ratios fall back to 0 * the requests (`or`), so a group that has requests and no failures shows 0.
// * VictoriaLogs holds one line per request or child span with level, service, stack, action, success,
//   error_source (self | infrastructure:<component> | dependency:<stack>:<service> | deployment:<release_id>),
//   error_type, trace_id and the release tags. Query types follow the panel kind: stat/gauge -> stats,
//   time series/pie chart/bar gauge -> statsRange, logs and raw-line tables -> instant. Failures per release count
//   with `count() if (...)` over all the lines, so a release that served requests and failed none shows 0.
// * Tempo holds the same requests as traces, service.name = <application>:<stack>:<service>.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as tempo from '@grafana/grafana-foundation-sdk/tempo';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as piechart from '@grafana/grafana-foundation-sdk/piechart';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import { alertFiles } from './alerts.mjs';

// Data source uids: the same as config/grafana/provisioning/datasources/datasources.yaml.
const VM = { type: 'prometheus', uid: 'qairon-vm' };
const VL = { type: 'victoriametrics-logs-datasource', uid: 'qairon-vl' };
const TEMPO = { type: 'tempo', uid: 'qairon-tempo' };

/** A VictoriaLogs (victoriametrics-logs-datasource) query; the SDK has no builder for this plugin. */
class LogsQuery {
  constructor(queryType, expr) {
    this.internal = { refId: 'A', datasource: VL, editorMode: 'code', queryType, expr };
  }
  refId(refId) { this.internal.refId = refId; return this; }
  legendFormat(legend) { this.internal.legendFormat = legend; return this; }
  maxLines(n) { this.internal.maxLines = n; return this; }
  build() { return this.internal; }
}
const logsStats = (expr) => new LogsQuery('stats', expr);           // one number: stat, gauge
const logsStatsRange = (expr) => new LogsQuery('statsRange', expr); // buckets: time series, pie, bar gauge
const logsLines = (expr) => new LogsQuery('instant', expr);         // raw lines: logs, tables of lines

const promRange = (expr, legend, ref = 'A') =>
  new prometheus.DataqueryBuilder().datasource(VM).refId(ref).expr(expr).range().legendFormat(legend ?? '__auto');
const promInstant = (expr, legend, ref = 'A') =>
  new prometheus.DataqueryBuilder().datasource(VM).refId(ref).expr(expr).instant().legendFormat(legend ?? '__auto');

// ---- MetricsQL over the native counters ---------------------------------------------------------------------
const COUNTER_HISTORY = '2y'; // longer than any data set: VictoriaMetrics keeps 2 years (docker-compose.yml)
const sel = (metric, filter, extra = '') => `${metric}{${[filter, extra].filter(Boolean).join(', ')}}`;
const sumBy = (by, q) => (by ? `sum by (${by}) (${q})` : `sum(${q})`);
/**
 * Sum by `by` of how much the counters of `series` grew in each window: the panel interval in graphs ($__interval,
 * the query step: the windows follow each other, every request counts once) or the selected range in stats
 * ($__range). G = the sum of increase() over the whole history up to a point; a window's growth is G at its end
 * minus G at its start. Graphs: idelta() over G evaluated at the step (a group without history at the window's
 * start counts from 0). Stats: G minus G offset $__range, or G for a group that starts inside the range.
 */
const grown = (by, series, win) => growth((offset = '') => sumBy(by, `increase(${series}[${COUNTER_HISTORY}]${offset})`), win);
/** A window's growth of G, given G as `upTo(offset)`; see grown(). */
const growth = (upTo, win) => {
  if (win === '$__interval') return `idelta((${upTo()})[$__interval:$__interval])`;
  return `((${upTo()} - ${upTo(` offset ${win}`)}) or ${upTo()})`;
};
/** A counter's growth per window (the panel interval unless `win` is given), summed by `by`. */
const total = (metric, filter, by, { win = '$__interval', extra = '' } = {}) => grown(by, sel(metric, filter, extra), win);
const perSecond = (q) => `${q} / ($__interval_ms / 1000)`;
const requests = (filter, by, win) => total('requests_total', filter, by, { win });
/**
 * A failure count, or 0 for every group of `by` that has requests: a group without failures has no failure series
 * at all (no success="false", no errors_total), and "no data" there would read as "unknown" where the answer is 0.
 */
const orZero = (q, filter, by, win) => `(${q} or (0 * ${requests(filter, by, win)}))`;
const failures = (filter, by, win) => orZero(total('requests_total', filter, by, { win, extra: 'success="false"' }), filter, by, win);
const errorRatio = (filter, by, win) => `${failures(filter, by, win)} / ${requests(filter, by, win)}`;
/** errors_total; grouped by error_type there is no zero to show (requests have no type), otherwise as failures(). */
const errorsByType = (filter, by, win) => {
  const q = total('errors_total', filter, by, { win });
  return by.split(',').map((l) => l.trim()).includes('error_type') ? q : orZero(q, filter, by, win);
};
/** histogram_quantile over a histogram's bucket growth, summed by le and `by`. */
const quantile = (q, histogram, filter, by, win = '$__interval') =>
  `histogram_quantile(${q}, ${grown(['le', by].filter(Boolean).join(', '), sel(`${histogram}_bucket`, filter), win)})`;
const latencyQuantile = (q, filter, by, win) => quantile(q, 'request_duration_seconds', filter, by, win);

// ---- recorded history (vmalert recording rules: config/vmalert/recording.yml) ----------------------------------
// G over all request_duration_seconds buckets of the platform reads most of the store (a month at the seed's density:
// 400M+ samples, seconds per panel, growing with the data). vmalert records it every RECORD_INTERVAL by the labels the
// overview filters and groups on: `./jbang replay-rules` for imported history (vmalert -replay), the dev stack's vmalert
// for data arriving now. A recorded value is exact at its evaluation time (the same increase over the whole history),
// so the overview reads the recorded G at most one interval old: its quantiles need hour-sized windows or wider.
export const RECORD_INTERVAL = '1h';
const RECORD_LOOKBACK = '2h'; // the latest recorded G, even when one evaluation is late or missing
export const RECORDINGS = {
  latencyBuckets: {
    record: 'environment_stack_le:request_duration_seconds_bucket:increase_history',
    by: 'environment, stack, le',
    series: 'request_duration_seconds_bucket',
  },
};
const recordedExpr = (r) => sumBy(r.by, `increase(${r.series}[${COUNTER_HISTORY}])`);
/** Growth per window, as grown(), of a recorded G summed by `by` (labels of the recording's own `by`). */
const recordedGrown = (r, by, filter, win) =>
  growth((offset = '') => sumBy(by, `last_over_time(${sel(r.record, filter)}[${RECORD_LOOKBACK}]${offset})`), win);
const recordedLatencyQuantile = (q, filter, by, win = '$__interval') =>
  `histogram_quantile(${q}, ${recordedGrown(RECORDINGS.latencyBuckets, ['le', by].filter(Boolean).join(', '), filter, win)})`;
/** vmalert's recording rules file: one group evaluated every RECORD_INTERVAL. */
export const recordingGroups = () => [{
  name: 'qairon-history',
  interval: RECORD_INTERVAL,
  rules: Object.values(RECORDINGS).map((r) => ({ record: r.record, expr: recordedExpr(r) })),
}];
/** Mean of a histogram's observations: growth of _sum / growth of _count. */
const average = (histogram, filter, by, win) =>
  `${total(`${histogram}_sum`, filter, by, { win })} / ${total(`${histogram}_count`, filter, by, { win })}`;
const dbQueriesPerRequest = (filter, by, win) => `${total('db_queries_total', filter, by, { win })} / ${requests(filter, by, win)}`;
const cacheHitRatio = (filter, by, win) =>
  `${total('cache_requests_total', filter, by, { win, extra: 'result="hit"' })} / ${total('cache_requests_total', filter, by, { win })}`;

// ---- panel helpers ---------------------------------------------------------------------------------------
let nextId = 1;
const legend = () => new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.Table)
  .placement(common.LegendPlacement.Right).calcs(['mean', 'max']);
const sumOverRange = () => new common.ReduceDataOptionsBuilder().calcs(['sum']).values(false);
const lastValue = () => new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false);

function ts(title, unit, targets, { w = 12, h = 8, description, stacked = false, interval = '1m' } = {}) {
  const p = new timeseries.PanelBuilder().id(nextId++).title(title).unit(unit).span(w).height(h)
    .interval(interval).fillOpacity(stacked ? 30 : 10).lineWidth(1).legend(legend());
  if (stacked) p.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (description) p.description(description);
  targets.forEach((t) => p.withTarget(t));
  return p;
}
function single(title, unit, target, { w = 6, h = 4, description, reduce = lastValue() } = {}) {
  const p = new stat.PanelBuilder().id(nextId++).title(title).unit(unit).span(w).height(h)
    .reduceOptions(reduce).colorMode(common.BigValueColorMode.Value).graphMode(common.BigValueGraphMode.None)
    .withTarget(target);
  if (description) p.description(description);
  return p;
}
function bars(title, unit, targets, { w = 12, h = 8, description } = {}) {
  const p = new bargauge.PanelBuilder().id(nextId++).title(title).unit(unit).span(w).height(h)
    .reduceOptions(sumOverRange()).orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Basic);
  if (description) p.description(description);
  targets.forEach((t) => p.withTarget(t));
  return p;
}
function pie(title, target, { w = 8, h = 8, description } = {}) {
  const p = new piechart.PanelBuilder().id(nextId++).title(title).unit('short').span(w).height(h)
    .reduceOptions(sumOverRange()).pieType(piechart.PieChartType.Donut).withTarget(target);
  if (description) p.description(description);
  return p;
}
function grid(title, targets, { w = 24, h = 8, description, transformations = [] } = {}) {
  const p = new table.PanelBuilder().id(nextId++).title(title).span(w).height(h);
  if (description) p.description(description);
  targets.forEach((t) => p.withTarget(t));
  transformations.forEach((t) => p.withTransformation(t));
  return p;
}
function lines(title, target, { w = 24, h = 10, description } = {}) {
  const p = new logs.PanelBuilder().id(nextId++).title(title).span(w).height(h)
    .showTime(true).wrapLogMessage(true).sortOrder(common.LogsSortOrder.Descending).enableLogDetails(true)
    .withTarget(target);
  if (description) p.description(description);
  return p;
}
function traces(title, query, { w = 24, h = 10, description, tableType = tempo.SearchTableType.Traces } = {}) {
  const target = new tempo.DataqueryBuilder().datasource(TEMPO).refId('A').queryType('traceql').query(query)
    .limit(50).tableType(tableType);
  const p = new table.PanelBuilder().id(nextId++).title(title).span(w).height(h).datasource(TEMPO).withTarget(target);
  if (description) p.description(description);
  return p;
}
function traceView(title, query, { w = 24, h = 14, description } = {}) {
  const target = new tempo.DataqueryBuilder().datasource(TEMPO).refId('A').queryType('traceql').query(query);
  const p = new dashboard.PanelBuilder().type('traces').id(nextId++).title(title).span(w).height(h)
    .datasource(TEMPO).withTarget(target);
  if (description) p.description(description);
  return p;
}
const row = (title) => new dashboard.RowBuilder(title).id(nextId++);

function labelVariable(name, label, metricSelector, { multi = true, includeAll = true } = {}) {
  const query = `label_values(${metricSelector}, ${name})`;
  const v = new dashboard.QueryVariableBuilder(name).label(label).datasource(VM).query(query).definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged).sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(multi).includeAll(includeAll);
  if (includeAll) v.allValue('.*');
  return v;
}
const textVariable = (name, label) => new dashboard.TextBoxVariableBuilder(name).label(label);

function board(uid, title, description, tags) {
  nextId = 1;
  return new dashboard.DashboardBuilder(title).uid(uid).description(description).tags(['qairon', ...tags])
    .editable().timezone('utc').refresh('').time({ from: 'now-1y', to: 'now' })
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .link(new dashboard.DashboardLinkBuilder('Qairon').type(dashboard.DashboardLinkType.Dashboards)
      .tags(['qairon']).asDropdown(true).includeVars(true).keepTime(true));
}

// ---- the dashboards ----------------------------------------------------------------------------------------
const ENV = 'environment=~"$environment"';
const envVar = () => labelVariable('environment', 'Environment', 'requests_total');
const stackVar = () => labelVariable('stack', 'Stack', `requests_total{${ENV}}`);
const RANGE = '$__range';

function platformOverview() {
  const f = `${ENV}, stack=~"$stack"`;
  const logFilter = 'environment:~"${environment:regex}" stack:~"${stack:regex}"';
  return board('qairon-platform-overview', 'Qairon / Platform overview',
    'Request rate, errors and latency of every stack and service, from the native metrics and the logs.', ['overview'])
    .withVariable(envVar()).withVariable(stackVar())
    .withRow(row('Totals over the selected range'))
    .withPanel(single('Requests', 'short', promInstant(requests(f, '', RANGE)),
      { description: 'Root requests and child spans (requests_total).' }))
    .withPanel(single('Error ratio', 'percentunit', promInstant(errorRatio(f, '', RANGE))))
    .withPanel(single('p99 latency', 's', promInstant(recordedLatencyQuantile(0.99, f, '', RANGE)),
      { description: `All requests' request_duration_seconds buckets, recorded by vmalert every ${RECORD_INTERVAL} (./jbang replay-rules for imported history).` }))
    .withPanel(single('ERROR log lines', 'short', logsStats(`${logFilter} level:ERROR | stats count() errors`),
      { description: 'Server, database, cache, queue and internal failures (VictoriaLogs).' }))
    .withRow(row('By stack'))
    .withPanel(ts('Request rate by stack', 'reqps', [promRange(perSecond(requests(f, 'stack')), '{{stack}}')], { stacked: true }))
    .withPanel(ts('Error rate by stack', 'reqps', [promRange(perSecond(failures(f, 'stack')), '{{stack}}')], { stacked: true }))
    .withPanel(ts('Error ratio by stack', 'percentunit', [promRange(errorRatio(f, 'stack'), '{{stack}}')]))
    .withPanel(ts('p99 latency by stack', 's', [promRange(recordedLatencyQuantile(0.99, f, 'stack'), '{{stack}}')],
      { interval: RECORD_INTERVAL, description: 'From the request_duration_seconds buckets of all requests of the stack in each interval, '
        + `recorded by vmalert every ${RECORD_INTERVAL} (./jbang replay-rules for imported history).` }))
    .withRow(row('By service'))
    .withPanel(ts('Request rate by service', 'reqps', [promRange(perSecond(requests(f, 'stack, service')), '{{stack}}:{{service}}')]))
    .withPanel(ts('Average latency by service', 's', [promRange(average('request_duration_seconds', f, 'stack, service'), '{{stack}}:{{service}}')]))
    .withPanel(bars('Errors by service', 'short', [promInstant(errorsByType(f, 'stack, service', RANGE), '{{stack}}:{{service}}')],
      { description: 'errors_total over the selected range.' }))
    .withPanel(bars('Error ratio by service', 'percentunit', [promInstant(errorRatio(f, 'stack, service', RANGE), '{{stack}}:{{service}}')]))
    .withRow(row('Logs'))
    .withPanel(ts('Log lines by level', 'short', [logsStatsRange(`${logFilter} | stats by (level) count() lines`).legendFormat('{{level}}')], { stacked: true }))
    .withPanel(pie('Failures by error type', logsStatsRange(`${logFilter} success:false | stats by (error_type) count() errors`).legendFormat('{{error_type}}'), { w: 12 }))
    .build();
}

function serviceDetail() {
  const f = `${ENV}, stack=~"$stack", service=~"$service"`;
  const logFilter = 'environment:~"${environment:regex}" stack:~"${stack:regex}" service:~"${service:regex}"';
  return board('qairon-service-detail', 'Qairon / Service detail',
    'One service: its actions, latency quantiles, payload sizes, database and cache use, failing requests and traces.', ['service'])
    .withVariable(envVar())
    .withVariable(labelVariable('stack', 'Stack', `requests_total{${ENV}}`, { multi: false, includeAll: false }))
    .withVariable(labelVariable('service', 'Service', `requests_total{${ENV}, stack=~"$stack"}`, { multi: false, includeAll: false }))
    .withPanel(single('Requests', 'short', promInstant(requests(f, '', RANGE))))
    .withPanel(single('Error ratio', 'percentunit', promInstant(errorRatio(f, '', RANGE))))
    .withPanel(single('p50 latency', 's', promInstant(latencyQuantile(0.5, f, '', RANGE))))
    .withPanel(single('p99 latency', 's', promInstant(latencyQuantile(0.99, f, '', RANGE))))
    .withPanel(ts('Request rate by action', 'reqps', [promRange(perSecond(requests(f, 'action')), '{{action}}')], { stacked: true }))
    .withPanel(ts('Error ratio by action', 'percentunit', [promRange(errorRatio(f, 'action'), '{{action}}')]))
    .withPanel(ts('Latency quantiles', 's', [
      promRange(latencyQuantile(0.5, f, ''), 'p50', 'A'),
      promRange(latencyQuantile(0.95, f, ''), 'p95', 'B'),
      promRange(latencyQuantile(0.99, f, ''), 'p99', 'C')]))
    .withPanel(ts('p95 latency by release (log lines)', 'ms',
      [logsStatsRange(`${logFilter} duration_ms:* | stats by (release) quantile(0.95, duration_ms) p95`).legendFormat('release {{release}}')],
      { description: 'Release is not a label of the native series; the logs carry it (duration_ms: --log-format extended).' }))
    .withPanel(ts('Average payload size', 'bytes', [
      promRange(average('request_size_bytes', f, 'service'), 'request', 'A'),
      promRange(average('response_size_bytes', f, 'service'), 'response', 'B')], { w: 8 }))
    .withPanel(ts('Database queries per request', 'short', [promRange(dbQueriesPerRequest(f, 'action'), '{{action}}')], { w: 8 }))
    .withPanel(ts('Cache hit ratio (successful reads)', 'percentunit', [promRange(cacheHitRatio(f, 'action'), '{{action}}')], { w: 8 }))
    .withPanel(pie('Failures by error source', logsStatsRange(`${logFilter} success:false | stats by (error_source) count() errors`).legendFormat('{{error_source}}')))
    .withPanel(bars('Failures by error code', 'short', [logsStatsRange(`${logFilter} success:false | stats by (error_code) count() errors`).legendFormat('{{error_code}}')], { w: 16 }))
    .withPanel(lines('Failed requests', logsLines(`${logFilter} success:false`).maxLines(500)))
    .withPanel(traces('Failed traces', '{ resource.service.name =~ ".*:${stack:regex}:${service:regex}" && status = error }'))
    .build();
}

function errorAnalysis() {
  const f = `${ENV}, stack=~"$stack"`;
  const logFilter = 'environment:~"${environment:regex}" stack:~"${stack:regex}"';
  const kinds = ['infrastructure', 'dependency', 'deployment'];
  return board('qairon-error-analysis', 'Qairon / Error analysis',
    'Where failures come from: infrastructure incidents, dependency cascades, deployments and self errors; incident windows.', ['errors'])
    .withVariable(envVar()).withVariable(stackVar())
    .withPanel(single('Failed requests', 'short', logsStats(`${logFilter} success:false | stats count() errors`)))
    .withPanel(single('Infrastructure failures', 'short', logsStats(`${logFilter} error_source:infrastructure* | stats count() errors`)))
    .withPanel(single('Dependency cascades', 'short', logsStats(`${logFilter} error_source:dependency* | stats count() errors`)))
    .withPanel(single('Deployment failures', 'short', logsStats(`${logFilter} error_source:deployment* | stats count() errors`)))
    .withPanel(ts('Failures by error source kind', 'short', [
      ...kinds.map((k, i) => logsStatsRange(`${logFilter} error_source:${k}* | stats count() ${k}`).refId('ABC'[i]).legendFormat(k)),
      logsStatsRange(`${logFilter} error_source:=self | stats count() self`).refId('D').legendFormat('self')], { w: 24, stacked: true }))
    .withRow(row('Infrastructure incidents'))
    .withPanel(ts('Incident windows: infrastructure failures by component', 'short',
      [logsStatsRange(`${logFilter} error_source:infrastructure* | stats by (error_source) count() errors`).legendFormat('{{error_source}}')],
      { w: 16, description: 'Each burst is one incident of a hidden dependency (database, cache, queue).' }))
    .withPanel(bars('Failures by infrastructure component', 'short',
      [logsStatsRange(`${logFilter} error_source:infrastructure* | stats by (error_source) count() errors`).legendFormat('{{error_source}}')], { w: 8 }))
    .withPanel(grid('Incident windows (hours with infrastructure failures)',
      [logsLines(`${logFilter} error_source:infrastructure* | stats by (_time:1h, error_source) count() errors | sort by (_time desc) | limit 500`)],
      { description: 'One row per component and hour with failures; consecutive hours form one incident window.' }))
    .withRow(row('Dependency cascades'))
    .withPanel(ts('Cascades by failed upstream', 'short',
      [logsStatsRange(`${logFilter} error_source:dependency* | stats by (error_source) count() errors`).legendFormat('{{error_source}}')], { w: 16 }))
    .withPanel(pie('Failures by error type', logsStatsRange(`${logFilter} success:false | stats by (error_type) count() errors`).legendFormat('{{error_type}}')))
    .withRow(row('Failed requests'))
    .withPanel(ts('Error ratio by service (metrics)', 'percentunit',
      [promRange(errorRatio(f, 'stack, service'), '{{stack}}:{{service}}')]))
    .withPanel(ts('Error rate by error type (metrics)', 'reqps',
      [promRange(perSecond(errorsByType(f, 'error_type')), '{{error_type}}')],
      { stacked: true, description: 'errors_total: client, server and infrastructure error types.' }))
    .withPanel(lines('Failed requests', logsLines(`${logFilter} success:false`).maxLines(500)))
    .build();
}

function deploymentImpact() {
  const f = `${ENV}, stack=~"$stack", deployment_id=~"$deployment_id"`;
  const logFilter = 'environment:~"${environment:regex}" stack:~"${stack:regex}" deployment_id:~"${deployment_id:regex}"';
  return board('qairon-deployment-impact', 'Qairon / Deployment impact',
    'Traffic, errors and latency of one deployment split by release: rolling restarts show as dips and error bursts.', ['deployments'])
    .withVariable(envVar()).withVariable(stackVar())
    .withVariable(labelVariable('deployment_id', 'Deployment', `requests_total{${ENV}, stack=~"$stack"}`, { multi: false, includeAll: false }))
    .withPanel(ts('Request rate of the deployment', 'reqps', [promRange(perSecond(requests(f, '')), 'requests')], { w: 8 }))
    .withPanel(ts('Error ratio of the deployment', 'percentunit', [promRange(errorRatio(f, ''), 'error ratio')], { w: 8 }))
    .withPanel(ts('p95 latency of the deployment', 's', [promRange(latencyQuantile(0.95, f, ''), 'p95')], { w: 8 }))
    .withPanel(ts('Requests by release (log lines)', 'short',
      [logsStatsRange(`${logFilter} user_id:!=system | stats by (release) count() requests`).legendFormat('release {{release}}')],
      { stacked: true, description: 'Release is not a label of the native series (a deploy starts no new series); the logs carry it.' }))
    .withPanel(ts('Failed requests by release (log lines)', 'short',
      [logsStatsRange(`${logFilter} | stats by (release) count() if (success:false) failed`).legendFormat('release {{release}}')]))
    .withPanel(ts('p95 latency by release (log lines)', 'ms',
      [logsStatsRange(`${logFilter} duration_ms:* | stats by (release) quantile(0.95, duration_ms) p95`).legendFormat('release {{release}}')]))
    .withPanel(ts('Deployment failures by release', 'short',
      [logsStatsRange(`${logFilter} | stats by (release) count() if (error_source:deployment*) errors`).legendFormat('release {{release}}')]))
    .withPanel(grid('Releases over the selected range', [
      logsLines(`${logFilter} user_id:!=system | stats by (release_id) count() requests, count() if (success:false) failed, `
        + 'quantile(0.95, duration_ms) p95_ms | sort by (release_id)')],
      { description: 'One row per release of the deployment (log lines).' }))
    .withPanel(ts('Request rate of every deployment in the stack', 'reqps',
      [promRange(perSecond(requests(`${ENV}, stack=~"$stack"`, 'deployment_id')), '{{deployment_id}}')], { w: 24 }))
    .withPanel(lines('Deployment events', logsLines(
      'environment:~"${environment:regex}" stack:~"${stack:regex}" (action:=deployment_start OR action:=deployment_complete)').maxLines(500)))
    .build();
}

function tracesBoard() {
  return board('qairon-traces', 'Qairon / Traces',
    'Search traces in Tempo and read the log lines of one trace from VictoriaLogs (trace_id).', ['traces'])
    .withVariable(labelVariable('stack', 'Stack', 'requests_total'))
    .withVariable(textVariable('trace_id', 'Trace id'))
    .withPanel(traces('Failed traces', '{ resource.service.namespace =~ ".*${stack:regex}.*" && status = error }', { w: 12 }))
    .withPanel(traces('Recent traces', '{ resource.service.namespace =~ ".*${stack:regex}.*" }', { w: 12 }))
    .withPanel(traceView('Trace $trace_id', '$trace_id'))
    .withPanel(lines('Log lines of trace $trace_id', logsLines('trace_id:="$trace_id"')))
    .withPanel(ts('Requests with a trace by stack (log lines)', 'short',
      [logsStatsRange('stack:~"${stack:regex}" trace_id:* | stats by (stack) count() lines').legendFormat('{{stack}}')], { w: 24 }))
    .build();
}

/**
 * The ground truth over the errors: incident, deployment and burst windows as annotations, read from the
 * ground_truth_* series (rca-questions --series-out, then import-vm: value 1 through each window, 0 right after it).
 */
const truthAnnotation = (name, expr, color, title, text, tags) => new dashboard.AnnotationQueryBuilder().name(name).datasource(VM)
  .enable(true).iconColor(color).expr(expr).step('60s').titleFormat(title).textFormat(text).tagKeys(tags).useValueForTime(false);
function incidents() {
  const f = `${ENV}, stack=~"$stack"`;
  const logFilter = 'environment:~"${environment:regex}" stack:~"${stack:regex}"';
  return board('qairon-incidents', 'Qairon / Incidents',
    'What was injected (incident, deployment and burst windows from incidents.json, as annotations) against what the data shows: '
      + 'errors by service and type from the metrics, failed and cascaded requests from the logs. Load the annotations with '
      + '`./jbang rca-questions DIR --series-out DIR/ground_truth_series.jsonl` and `./jbang import-vm DIR/ground_truth_series.jsonl`.', ['incidents', 'rca'])
    .annotations([
      truthAnnotation('Injected incidents', 'ground_truth_incident', 'red', '{{component}} (incident {{incident_id}})',
        '{{error_type}} errors on {{services}}', 'component'),
      truthAnnotation('Deployment windows', 'ground_truth_deployment{stack=~"$stack"}', 'blue', 'deploy {{release_id}}',
        '{{stack}}:{{service}}', 'stack,service'),
      truthAnnotation('Traffic bursts', 'ground_truth_burst', 'orange', 'burst x{{traffic_factor}}', 'traffic burst {{burst}}', 'burst'),
    ])
    .withVariable(envVar()).withVariable(stackVar())
    .withPanel(ts('Failed requests by service (metrics)', 'short', [promRange(failures(f, 'stack, service'), '{{stack}}:{{service}}')],
      { w: 24, description: 'requests_total{success="false"} growth per interval; red annotations are injected incidents, blue deploys, orange bursts.' }))
    .withPanel(ts('Errors by error type (metrics)', 'short', [promRange(errorsByType(f, 'error_type'), '{{error_type}}')],
      { stacked: true, description: 'errors_total: infrastructure incidents raise cache, database, queue and search errors; deploys raise server errors.' }))
    .withPanel(ts('Error ratio by stack (metrics)', 'percentunit', [promRange(errorRatio(f, 'stack'), '{{stack}}')]))
    .withPanel(ts('ERROR log lines by service', 'short',
      [logsStatsRange(`${logFilter} level:ERROR | stats by (stack, service) count() errors`).legendFormat('{{stack}}:{{service}}')]))
    .withPanel(ts('Cascaded failures by caller (log lines with upstream_request_id)', 'short',
      [logsStatsRange(`${logFilter} upstream_request_id:* | stats by (stack, service) count() cascaded`).legendFormat('{{stack}}:{{service}}')],
      { description: 'A caller failing because a service it calls failed: services failing together point at one hidden cause.' }))
    .withPanel(lines('Failed requests (server side)', logsLines(`${logFilter} success:false -error_type:=client`).maxLines(500)))
    .build();
}
const out = process.argv[2];
if (!out) {
  console.error('usage: node generate.mjs <output-dir>');
  process.exit(2);
}
mkdirSync(join(out, 'dashboards'), { recursive: true });
const boards = {
  'platform-overview.json': platformOverview(),
  'service-detail.json': serviceDetail(),
  'error-analysis.json': errorAnalysis(),
  'deployment-impact.json': deploymentImpact(),
  'traces.json': tracesBoard(),
  'incidents.json': incidents(),
};
for (const [file, json] of Object.entries(boards)) {
  writeFileSync(join(out, 'dashboards', file), JSON.stringify(json, null, 2) + '\n');
  console.log(`${file} ${json.panels.length} panels`);
}
for (const [file, text] of Object.entries(alertFiles({ VM, VL }, recordingGroups()))) {
  mkdirSync(dirname(join(out, file)), { recursive: true });
  writeFileSync(join(out, file), text);
  console.log(file);
}
