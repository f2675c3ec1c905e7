// `berth status --html`: one self-contained page (inline CSS, no scripts; links to commits only) with the matrix and history.
import { promotionText, promotionTree, type PromotionNode } from './graph';
import { chartText, driftKind, driftText, lagText, runningText, shortDate, shortSha, type DriftKind } from './labels';
import type { LiveCell } from './model';
import type { HistoryEntry, ServiceStatus, StatusCell, StatusReport } from './model';
import { plural } from '../util/plural';
import { shortDigest } from '../workspace/overlay';

/** Marks a page berth wrote, so `--html` overwrites its own board and nothing else. */
export const BOARD_MARKER = '<meta name="generator" content="berth status">';

/** Every value on the page comes from files people edit: it is text, never markup. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** A tagged template that escapes every interpolated value unless it is already `Html`. */
class Html {
  constructor(readonly text: string) {}
  toString() {
    return this.text;
  }
}
type Part = Html | string | number | null | undefined | Part[];
const render = (part: Part): string =>
  part instanceof Html
    ? part.text
    : Array.isArray(part)
      ? part.map(render).join('')
      : part === null || part === undefined
        ? ''
        : escapeHtml(String(part));
const html = (strings: TemplateStringsArray, ...parts: Part[]) =>
  new Html(strings.reduce((out, string, i) => out + string + (i < parts.length ? render(parts[i]) : ''), ''));

const LEGEND: { kind: DriftKind; label: string }[] = [
  { kind: 'in-step', label: 'in step with the environment it promotes from' },
  { kind: 'behind-1', label: 'behind by 1 version' },
  { kind: 'behind-many', label: 'behind by 2 or more' },
  { kind: 'diverged', label: 'diverged: runs a version its source never ran' },
  { kind: 'unrecorded', label: 'differs from its source, no release recorded yet' },
  { kind: 'origin', label: 'first environment (promotes from none)' },
];

const STYLE = `
:root { --green: #e4f4e7; --green-edge: #2f855a; --amber: #fff1c7; --amber-edge: #c98a00; --red: #fbe1e1; --red-edge: #c53030;
  --grey: #f1f3f5; --grey-edge: #8a94a3; --ink: #1f2933; --muted: #5f6b7a; --line: #d9dee4; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink); background: #fff; }
h1 { margin: 0 0 4px; font-size: 22px; }
h2 { margin: 36px 0 12px; font-size: 18px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { margin: 24px 0 8px; font-size: 16px; }
.meta { margin: 0 0 16px; color: var(--muted); }
.mono, .version, .digest, .chart, .commit { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; }
.legend { display: flex; flex-wrap: wrap; gap: 8px 20px; margin: 0 0 20px; padding: 0; list-style: none; font-size: 13px; }
.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 22px; height: 16px; border-left: 4px solid; border-radius: 2px; }
table { border-collapse: collapse; }
.matrix th, .matrix td { border: 1px solid var(--line); padding: 6px 10px; vertical-align: top; text-align: left; }
.matrix thead th { background: #f8f9fa; font-size: 13px; }
.matrix thead .from { display: block; font-weight: normal; color: var(--muted); font-size: 12px; }
.matrix tbody th { font-weight: 600; white-space: nowrap; }
.matrix tbody th a { color: inherit; text-decoration: none; border-bottom: 1px dotted var(--muted); }
.cell { min-width: 190px; border-left-width: 5px !important; }
.cell .version { font-size: 15px; font-weight: 700; }
.cell .drift { font-size: 12px; font-weight: 600; }
.cell .digest, .cell .chart, .cell .since { font-size: 11.5px; color: var(--muted); }
.in-step { background: var(--green); border-left-color: var(--green-edge) !important; }
.behind-1, .unrecorded { background: var(--amber); border-left-color: var(--amber-edge) !important; }
.behind-many, .diverged { background: var(--red); border-left-color: var(--red-edge) !important; }
.origin, .unknown { background: var(--grey); border-left-color: var(--grey-edge) !important; }
.in-step .drift { color: var(--green-edge); } .behind-1 .drift, .unrecorded .drift { color: #8a5d00; } .behind-many .drift, .diverged .drift { color: var(--red-edge); }
.origin .drift, .unknown .drift { color: var(--muted); }
.swatch.in-step { border-color: var(--green-edge); } .swatch.behind-1, .swatch.unrecorded { border-color: var(--amber-edge); }
.swatch.behind-many, .swatch.diverged { border-color: var(--red-edge); } .swatch.origin { border-color: var(--grey-edge); }
.swatch.absent { border-color: var(--line); }
.absent { background: repeating-linear-gradient(135deg, #fff, #fff 6px, #f6f7f8 6px, #f6f7f8 12px); }
.pin { display: inline-block; margin: 3px 0 2px; padding: 1px 7px; border-radius: 9px; background: #3b3f8f; color: #fff; font-size: 11px; font-weight: 700; letter-spacing: .03em; }
.pin-reason { display: block; font-size: 11.5px; color: #3b3f8f; max-width: 260px; overflow-wrap: anywhere; }
.service-history { margin-bottom: 8px; }
.releases { font-size: 12.5px; min-width: 60%; }
.releases th, .releases td { border-bottom: 1px solid var(--line); padding: 4px 14px 4px 0; text-align: left; vertical-align: top; white-space: nowrap; }
.releases thead th { color: var(--muted); font-weight: 600; }
.releases tbody th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); padding-right: 18px; }
.releases tbody { border-top: 2px solid var(--line); }
.releases .reason { white-space: normal; overflow-wrap: anywhere; min-width: 200px; max-width: 420px; }
.releases .none { white-space: normal; }
.graph { display: flex; align-items: flex-start; gap: 10px; margin: 0 0 16px; font-size: 13px; }
.graph .label { color: var(--muted); }
.graph ol { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 4px; }
.graph li { display: flex; align-items: flex-start; gap: 6px; }
.graph .env { font-weight: 600; padding: 0 6px; border: 1px solid var(--line); border-radius: 3px; background: #f8f9fa; }
.graph .arrow { color: var(--muted); }
.graph ol.branch { border-left: 2px solid var(--grey-edge); padding-left: 6px; }
.cell .lag { font-size: 12px; }
.cell a, .releases a { color: #1d4ed8; }
.live { margin-top: 5px; padding-top: 4px; border-top: 1px dashed var(--line); font-size: 11.5px; }
.live .state { font-weight: 700; } .live .Healthy, .live .Synced { color: var(--green-edge); } .live .Degraded, .live .Missing { color: var(--red-edge); }
.live .Progressing, .live .OutOfSync, .live .Suspended { color: #8a5d00; } .live .Unknown { color: var(--muted); }
.live .images { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; color: var(--muted); overflow-wrap: anywhere; }
.live-drift { color: var(--red-edge); font-weight: 700; }
.live-note { color: var(--muted); font-style: italic; }
.note { font-size: 13px; font-weight: normal; color: var(--muted); }
.none { color: var(--muted); font-style: italic; margin: 0; }
`;

/** A short commit id, linked to its page when the repository's host is known; the title holds the subject or the full id. */
function commitHtml(sha: string, url: string | null, subject: string | null, kind: string): Html {
  const title = subject ? `${sha}\n${subject}` : sha;
  return url
    ? html`<a class="${kind}" href="${url}" rel="noreferrer noopener" title="${title}">${shortSha(sha)}</a>`
    : html`<span class="${kind}" title="${title}">${shortSha(sha)}</span>`;
}

function cellHtml(
  service: string,
  env: string,
  cell: StatusCell | null,
  source: string | null,
  revision: string,
  now: Date,
): Html {
  if (!cell)
    return html`<td
      class="cell absent"
      data-service="${service}"
      data-env="${env}"
      title="${service} does not run in ${env}"
    ></td>`;
  const kind = driftKind(cell, source);
  const lag = lagText(cell, source, now);
  const since: Part[] = [
    cell.since ? html`<span class="age" title="${cell.since}">${runningText(cell, now)}</span>` : '',
    cell.since ? shortDate(cell.since) : '',
    cell.commit ? commitHtml(cell.commit, cell.commitURL, cell.subject, 'commit') : '',
    cell.author,
  ];
  const pinAt = cell.pinned?.version && cell.pinned.version !== cell.version ? ` at ${cell.pinned.version}` : '';
  return html`<td
    class="cell ${kind}${cell.pinned ? ' pinned' : ''}"
    data-service="${service}"
    data-env="${env}"
    data-drift="${kind}"
  >
    <div class="version">${cell.version ?? '(no image.tag)'}</div>
    ${kind === 'origin' ? '' : html`<div class="drift">${driftText(cell, source)}</div>`}
    ${lag ? html`<div class="lag" title="${source} moved on ${cell.behindSince}">${lag}</div>` : ''}
    ${cell.pinned ? html`<div><span class="pin" title="pinned${pinAt}">PINNED${pinAt}</span>${cell.pinned.reason ? html`<span class="pin-reason">${cell.pinned.reason}</span>` : ''}</div>` : ''}
    ${cell.digest ? html`<div class="digest" title="${cell.digest}">${shortDigest(cell.digest)}</div>` : ''}
    <div class="chart" title="${cell.chartRevision ?? ''}">
      chart
      ${cell.chartRevision ? commitHtml(cell.chartRevision, cell.chartRevisionURL, null, 'chart-revision') : chartText(cell, revision)}
    </div>
    ${cell.since || cell.commit ? html`<div class="since">${since.filter(Boolean).map((part, i) => (i ? [' · ', part] : part))}</div>` : ''}
    ${cell.live ? liveHtml(cell.live) : ''}
  </td>`;
}

/** What Argo CD says of the cell's Application: sync and health, the revision it applied, the images, the drift. */
function liveHtml(live: LiveCell): Html {
  const applied = live.deployed?.revisions ?? live.revisions;
  return html`<div
    class="live"
    data-application="${live.application}"
    data-sync="${live.sync ?? ''}"
    data-health="${live.health ?? ''}"
    data-live-drift="${live.drift}"
  >
    ${
      live.sync === null
        ? html`<span class="state Missing">no Application ${live.application}</span>`
        : html`<span class="state ${live.sync}">${live.sync}</span> ·
            <span class="state ${live.health ?? 'Unknown'}">${live.health}</span>${
              applied.length
                ? html` · applied
                  ${applied.map((revision, i) => [i ? ', ' : '', /^[0-9a-f]{40}$/.test(revision) ? html`<span class="commit" title="${revision}">${shortSha(revision)}</span>` : revision])}`
                : ''
            }`
    }
    ${live.images.length ? html`<div class="images">${live.images.map((image, i) => [i ? ' ' : '', html`<span title="${image}">${image.slice(image.lastIndexOf('/') + 1)}</span>`])}</div>` : ''}
    ${live.operation && ['Failed', 'Error'].includes(live.operation.phase) ? html`<div class="live-drift">last sync ${live.operation.phase}: ${live.operation.message ?? ''}</div>` : ''}
    ${live.conditions.map((condition) => html`<div class="live-drift">${condition.type}: ${condition.message}</div>`)}
    ${live.driftText && live.drift !== 'missing' ? html`<div class="${live.drift === 'unknown' ? 'live-note' : 'live-drift'}">${live.driftText}</div>` : ''}
  </div>`;
}

/** The promotion graph as env.yaml draws it: each environment, then the ones that promote from it, one under the other. */
function graphHtml(nodes: PromotionNode[], source: string | null): Html {
  // several environments after one: a bracket joins them, so the eye reads "dev → qa" and "dev → stage", never "qa → stage"
  return html`<ol${source && nodes.length > 1 ? html` class="branch"` : ''}>${nodes.map((node) => html`<li data-env="${node.name}" data-from="${source ?? ''}"><span class="env">${node.name}</span>${node.next.length ? html`<span class="arrow">→</span>${graphHtml(node.next, node.name)}` : ''}</li>`)}</ol>`;
}

const HISTORY_COLUMNS = ['env', 'version', 'action', 'from → to', 'source', 'commit', 'date', 'author', 'reason'];

function releaseRow(entry: HistoryEntry, envCell: Html | string): Html {
  return html`<tr>
    ${envCell}
    <td class="version">${entry.version}</td>
    <td>${entry.action}</td>
    <td class="mono">${entry.from ?? '∅'} → ${entry.version}</td>
    <td>${entry.sourceEnv ?? ''}</td>
    <td>${commitHtml(entry.commit, entry.commitURL, entry.subject, 'commit')}</td>
    <td>${shortDate(entry.date)}</td>
    <td>${entry.author}</td>
    <td class="reason">${entry.reason ?? ''}</td>
  </tr>`;
}

/** One table per service, a row group per environment (newest release first), so the columns line up across them. */
function historyHtml(service: ServiceStatus, environments: string[]): Html {
  const envs = environments.filter((env) => service.cells[env] || service.history.some((entry) => entry.env === env));
  const body = service.history.length
    ? html`<table class="releases">
        <thead>
          <tr>
            ${HISTORY_COLUMNS.map((column) => html`<th>${column}</th>`)}
          </tr>
        </thead>
        ${envs.map((env) => {
          const entries = service.history.filter((entry) => entry.env === env);
          const envCell = (rows: number) => html`<th scope="rowgroup" rowspan="${rows}">${env}</th>`;
          return html`<tbody class="env-history" data-env="${env}">
            ${
              entries.length
                ? entries.map((entry, index) => releaseRow(entry, index === 0 ? envCell(entries.length) : ''))
                : html`<tr>
                    ${envCell(1)}
                    <td class="none" colspan="${HISTORY_COLUMNS.length - 1}">no release recorded by berth</td>
                  </tr>`
            }
          </tbody>`;
        })}
      </table>`
    : html`<p class="none">no release recorded by berth</p>`;
  return html`<section class="service-history" id="svc-${service.name}">
    <h3>${service.name}</h3>
    ${body}
  </section>`;
}

const humanTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

export function renderStatusHtml(report: StatusReport): string {
  const envNames = report.environments.map((env) => env.name);
  const now = new Date(report.generatedAt);
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'" />
        <meta name="referrer" content="no-referrer" />
        ${new Html(BOARD_MARKER)}
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>berth status</title>
        <style>
          ${new Html(STYLE)}
        </style>
      </head>
      <body>
        <header>
          <h1>berth status</h1>
          <p class="meta">
            Generated <time datetime="${report.generatedAt}">${humanTime(report.generatedAt)}</time> ·
            ${plural(report.services.length, 'service')} · charts follow <b>${report.revision}</b> unless a commit is
            shown${report.live ? html` · live from Argo CD at <b class="argocd">${report.live.server}</b>` : ''}
          </p>
          <nav class="graph" aria-label="Promotion graph: ${promotionText(report.promotionPaths, ' → ')}">
            <span class="label">promotes</span>${graphHtml(promotionTree(report.environments), null)}
          </nav>
        </header>
        <ul class="legend" aria-label="Legend">
          ${LEGEND.map(({ kind, label }) => html`<li><span class="swatch ${kind}"></span>${label}</li>`)}
          <li><span class="pin">PINNED</span>held by berth pin: image updates skip it</li>
          <li><span class="swatch absent"></span>does not run there</li>
          ${report.live ? html`<li><span class="live-drift">red below the line</span>: Argo CD runs something else than git says, or reports an error</li>` : ''}
        </ul>
        <table class="matrix">
          <thead>
            <tr>
              <th>service</th>
              ${report.environments.map((env) => html`<th scope="col">${env.name}${env.promotesFrom ? html`<span class="from">from ${env.promotesFrom}</span>` : ''}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${report.services.map(
              (service) =>
                html`<tr>
                  <th scope="row">
                    <a href="#svc-${service.name}">${service.name}</a
                    >${service.chart ? html`<span class="from">add-on: chart ${service.chart.name}</span>` : ''}
                  </th>
                  ${report.environments.map((env) => cellHtml(service.name, env.name, service.cells[env.name], env.promotesFrom, report.revision, now))}
                </tr> `,
            )}
          </tbody>
        </table>
        <h2>Promotion history <span class="note">(releases recorded in commit trailers, newest first)</span></h2>
        ${report.services.map((service) => historyHtml(service, envNames))}
      </body>
    </html> `;
  return page.text;
}
