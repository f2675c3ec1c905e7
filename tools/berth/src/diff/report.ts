// Formats a diff report: text for a terminal, markdown for a pull-request comment (kept under GitHub's limit).
import { plural } from '../util/plural';
import type { FieldChange, ObjectDifference } from './objects';
import type { UnrenderedAddon } from './unrendered';
import type { ApplicationDiff, DiffReport } from './types';

/** GitHub refuses a comment body longer than this. */
export const COMMENT_LIMIT = 65_536;
/** Lets CI find its earlier comment to update it. */
export const COMMENT_MARKER = '<!-- berth-diff -->';

/** Longest value shown in a field list. */
const VALUE_MAX = 80;
const shortCommit = (report: DiffReport) => report.base.commit.slice(0, 12);

export function formatValue(value: unknown, max = VALUE_MAX): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const identity = (object: ObjectDifference) =>
  `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;

function counts(app: ApplicationDiff): string {
  const parts = [
    [app.added.length, 'added'],
    [app.removed.length, 'removed'],
    [app.changed.length, 'changed'],
  ] as const;
  return parts
    .filter(([count]) => count > 0)
    .map(([count, word]) => `${count} ${word}`)
    .join(', ');
}

const applicationNote = (app: ApplicationDiff) =>
  app.status === 'added' ? ' (new Application)' : app.status === 'removed' ? ' (Application removed)' : '';

/**
 * Applications are counted as `berth render` and `berth validate` count them (one per service per environment);
 * the root Applications (app of apps), which render does not render, are counted apart.
 */
function summaryLine(report: DiffReport): string {
  const roots = report.roots ?? 0;
  const differ = report.applications.filter((app) => app.service !== undefined).length;
  const rootsDiffer = report.applications.length - differ;
  const environments = new Set(report.applications.map((app) => app.environment)).size;
  const identical = report.rendered - report.applications.length;
  const rootsPart = (count: number) => (roots ? ` and ${count} of ${plural(roots, 'root Application')}` : '');
  const headline = report.applications.length
    ? `${plural(differ, 'Application')} of ${report.compared}${rootsDiffer ? rootsPart(rootsDiffer) : ''} ${report.applications.length === 1 ? 'differs' : 'differ'} in ${plural(environments, 'environment')}`
    : `No Kubernetes object differs in ${plural(report.compared, 'Application')}${roots ? ` or ${plural(roots, 'root Application')}` : ''}`;
  return `${headline} (${report.rendered} rendered${identical > 0 ? `, ${identical} of them with identical objects` : ''}; ${report.compared + roots - report.rendered} with unchanged inputs, not rendered).`;
}

/** An add-on whose change berth could not render: which, the chart versions, and why. */
const unrenderedText = (addon: UnrenderedAddon) =>
  `${addon.environment} ${addon.application}: chart ${addon.chart} ${addon.before ?? '(none)'} → ${addon.after ?? '(none)'}; its Application or values changed, and berth cannot render the upstream chart here, so its objects are not compared.`;

/** Changed objects listed one by one, and those whose only change is the version label, which a tag bump makes of every object. */
function splitChanged(app: ApplicationDiff): { listed: ObjectDifference[]; relabelled: ObjectDifference[] } {
  return {
    listed: app.changed.filter((object) => !object.versionLabelsOnly),
    relabelled: app.changed.filter((object) => object.versionLabelsOnly),
  };
}

/** "12 objects: only the version label changed ("1.4.2" → "1.4.3")": one line for what a tag bump does to every object. */
export function versionLabelNote(
  relabelled: ObjectDifference[],
  show: (text: string) => string = (text) => text,
): string {
  const changes = new Set(
    relabelled.flatMap((object) =>
      object.fields.map((field) => `${show(formatValue(field.before))} → ${show(formatValue(field.after))}`),
    ),
  );
  return `${plural(relabelled.length, 'object')}: only the version label changed${changes.size === 1 ? ` (${[...changes][0]})` : ''}`;
}

// ---------------------------------------------------------------------------------------------------- text

/** A field whose values show whole on one line (no subtree, no long or multi-line text). */
const isCompact = (value: unknown) =>
  (value === null || typeof value !== 'object') && !String(value).includes('\n') && !formatValue(value).endsWith('…');
const compact = (field: FieldChange) => isCompact(field.before) && isCompact(field.after);

const COLORS = { red: 31, green: 32, cyan: 36, bold: 1 } as const;

export function formatText(report: DiffReport, options: { color?: boolean } = {}): string {
  const paint = (color: keyof typeof COLORS, text: string) =>
    options.color ? `\x1b[${COLORS[color]}m${text}\x1b[0m` : text;
  const diffLine = (line: string) =>
    line.startsWith('+')
      ? paint('green', line)
      : line.startsWith('-')
        ? paint('red', line)
        : line.startsWith('@@')
          ? paint('cyan', line)
          : line;
  const lines = [`base ${shortCommit(report)} (${report.base.reason}) → ${report.head}`];
  for (const environment of report.environments) {
    const apps = report.applications.filter((app) => app.environment === environment);
    if (!apps.length) continue;
    lines.push('', paint('bold', environment));
    for (const app of apps) {
      lines.push(`  ${paint('bold', app.application)}${applicationNote(app)}: ${counts(app)}`);
      for (const object of app.added) lines.push(paint('green', `    + ${identity(object)} (${object.apiVersion})`));
      for (const object of app.removed) lines.push(paint('red', `    - ${identity(object)} (${object.apiVersion})`));
      const { listed, relabelled } = splitChanged(app);
      for (const object of listed) {
        lines.push(`    ~ ${identity(object)} (${object.apiVersion})`);
        for (const field of object.fields)
          lines.push(`        ${field.path}: ${formatValue(field.before)} → ${formatValue(field.after)}`);
        // a field list says it all for scalars; a subtree or a long text reads better as YAML
        if (!object.fields.every(compact))
          for (const line of object.diff.trimEnd().split('\n')) lines.push(`        ${diffLine(line)}`);
      }
      if (relabelled.length) lines.push(`    ~ ${versionLabelNote(relabelled)}`);
    }
  }
  if (report.unrendered?.length) {
    lines.push('');
    for (const addon of report.unrendered) lines.push(`not rendered: ${unrenderedText(addon)}`);
  }
  lines.push('', summaryLine(report));
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------- markdown

/** A code span that survives backticks in its text. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  return longest ? `${ticks} ${text} ${ticks}` : `${ticks}${text}${ticks}`;
}

/** A fenced block that no line of `text` can close. */
function fenced(language: string, text: string): string {
  const longest = Math.max(0, ...(text.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text.endsWith('\n') ? text : `${text}\n`}${fence}\n`;
}

const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const cell = (text: string) => text.replace(/\|/g, '\\|');

function table(report: DiffReport, environment: string, maxRows = Infinity): string {
  const apps = report.applications.filter((app) => app.environment === environment);
  const rows = apps
    .slice(0, maxRows)
    .map(
      (app) =>
        `| ${code(app.application)}${cell(applicationNote(app))} | ${app.added.length} | ${app.removed.length} | ${app.changed.length} |`,
    );
  const more = apps.length > rows.length ? [`| … ${apps.length - rows.length} more | | | |`] : [];
  return [
    `#### ${environment}`,
    '',
    '| Application | Added | Removed | Changed |',
    '|:--|--:|--:|--:|',
    ...rows,
    ...more,
    '',
  ].join('\n');
}

interface Detail {
  /** At most this many fields and diff lines per object; diffs: false lists objects only. */
  maxFields: number;
  maxDiffLines: number;
  diffs: boolean;
}

const FULL: Detail = { maxFields: Infinity, maxDiffLines: Infinity, diffs: true };
const COMPACT: Detail = { maxFields: 10, maxDiffLines: 40, diffs: true };
const FIELDS_ONLY: Detail = { maxFields: 5, maxDiffLines: 0, diffs: false };
const NAMES_ONLY: Detail = { maxFields: 0, maxDiffLines: 0, diffs: false };
const LEVELS = [FULL, COMPACT, FIELDS_ONLY, NAMES_ONLY];

function fieldList(fields: FieldChange[], max: number): string {
  const shown = fields
    .slice(0, max)
    .map((field) => `- ${code(field.path)}: ${code(formatValue(field.before))} → ${code(formatValue(field.after))}`);
  if (fields.length > shown.length && shown.length > 0) shown.push(`- … ${fields.length - shown.length} more fields`);
  return shown.length ? `${shown.join('\n')}\n\n` : '';
}

function diffBlock(diff: string, max: number): string {
  const lines = diff.trimEnd().split('\n');
  const shown = lines.length > max ? [...lines.slice(0, max), `… ${lines.length - max} more lines`] : lines;
  return fenced('diff', shown.join('\n'));
}

function details(app: ApplicationDiff, detail: Detail): string {
  const parts = [
    `<details>\n<summary><b>${html(app.environment)}</b> · <code>${html(app.application)}</code>${html(applicationNote(app))}: ${counts(app)}</summary>\n\n`,
  ];
  const section = (word: string, object: ObjectDifference) => {
    parts.push(`**${word}** ${code(identity(object))} (${object.apiVersion})\n\n`);
    parts.push(fieldList(object.fields, detail.maxFields));
    if (detail.diffs && object.diff) parts.push(diffBlock(object.diff, detail.maxDiffLines), '\n');
  };
  const { listed, relabelled } = splitChanged(app);
  for (const object of listed) section('Changed', object);
  if (relabelled.length) parts.push(`**Changed** ${versionLabelNote(relabelled, code)}\n\n`);
  for (const object of app.added) section('Added', object);
  for (const object of app.removed) section('Removed', object);
  parts.push('</details>\n\n');
  return parts.join('');
}

/**
 * A pull-request comment: a summary table per environment, then a collapsible section per Application with
 * each object's fields and YAML diff. Past `limit` characters, sections are shortened (capped diffs, then fields
 * without diffs, then object names) and finally left out, with a note saying so; the tables always come first.
 */
export function formatMarkdown(report: DiffReport, limit = COMMENT_LIMIT): string {
  const notRendered = (report.unrendered ?? []).map((addon) => `> not rendered: ${unrenderedText(addon)}\n`).join('');
  const header = `${COMMENT_MARKER}\n### berth diff\n\nThe working tree compared with ${code(shortCommit(report))} (${report.base.reason}). ${summaryLine(report)}\n\n${notRendered ? `${notRendered}\n` : ''}`;
  if (!report.applications.length) return header;
  const reserve = 400; // room for the closing note
  const environments = report.environments.filter((env) => report.applications.some((app) => app.environment === env));
  const unchanged = report.environments.filter((env) => !environments.includes(env));
  const tables = (maxRows?: number) =>
    environments.map((env) => table(report, env, maxRows)).join('\n') +
    (unchanged.length ? `\nNo changes in ${unchanged.join(', ')}.\n` : '');
  let body = header + tables();
  for (let rows = 50; body.length > limit - reserve && rows >= 1; rows = Math.floor(rows / 2))
    body = header + tables(rows);
  body += '\n';

  let shortened = 0;
  let omitted = 0;
  const room = () => limit - reserve - body.length;
  const full = report.applications.map((app) => details(app, FULL));
  // the most detail every section can have, so that a reviewer sees them alike; failing that, as much as fits in order
  const uniform = LEVELS.map((detail) =>
    detail === FULL ? full : report.applications.map((app) => details(app, detail)),
  ).find((texts) => texts.join('').length <= room());
  if (uniform) {
    shortened = uniform.filter((text, index) => text !== full[index]).length;
    body += uniform.join('');
  } else {
    for (const [index, app] of report.applications.entries()) {
      const text = [full[index], ...LEVELS.slice(1).map((detail) => details(app, detail))].find(
        (candidate) => candidate.length <= room(),
      );
      if (!text) {
        omitted = report.applications.length - index;
        break;
      }
      if (text !== full[index]) shortened++;
      body += text;
    }
  }
  if (shortened || omitted) {
    const what = [
      shortened ? `${plural(shortened, 'Application')} shortened` : '',
      omitted ? `${plural(omitted, 'Application')} left out` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    body += `> [!NOTE]\n> ${what} to stay under GitHub's ${COMMENT_LIMIT.toLocaleString('en-US')}-character comment limit. Run \`npx berth diff --base ${shortCommit(report)}\` for everything.\n`;
  }
  return body;
}
