// `berth validate` on the command line: prints each finding where an engineer would look, exits non-zero on any;
// placeholders are listed as warnings, and it says where it rendered.
import { formatFinding, formatWarnings } from '../validate/finding';
import { validate, type ValidateOptions, type ValidateReport } from '../validate/command';
import { plural } from '../util/plural';
import { helmUseLine } from '../helm/report';
import { progress } from './output';
import type { ClusterReport } from '../validate/cluster';

export interface ValidateCommandOptions extends Omit<ValidateOptions, 'onProgress'> {
  json?: boolean;
}

/** validate renders through the render cache, so it says what it wrote there instead of changing files silently. */
export function renderingLine({ rendering }: ValidateReport): string {
  const files = rendering.rendered + rendering.unchanged;
  if (rendering.rendered === 0)
    return `rendered from ${rendering.out}/ (${plural(files, 'file')} current, nothing rewritten)`;
  return `rendered into ${rendering.out}/, as berth render does: ${plural(rendering.rendered, 'file')} rewritten with helm, ${rendering.unchanged} current`;
}

/** What the cluster judged: what it could not judge yet (one line per reason), its warnings, then where it ran. */
export function clusterLines(cluster: ClusterReport): string[] {
  const byReason = new Map<string, { applications: Set<string>; objects: number }>();
  for (const item of cluster.notChecked) {
    const entry = byReason.get(item.reason) ?? { applications: new Set(), objects: 0 };
    entry.applications.add(item.application);
    entry.objects += 1;
    byReason.set(item.reason, entry);
  }
  const notChecked = cluster.notChecked.length ? `; ${cluster.notChecked.length} not checked yet` : '';
  return [
    ...[...byReason].map(
      ([reason, entry]) =>
        `not checked yet: ${plural(entry.objects, 'object')} of ${[...entry.applications].join(', ')}: ${reason}`,
    ),
    ...cluster.warnings.map(
      (item) => `cluster warning: ${cluster.environment} > ${item.application} > ${item.object}: ${item.message}`,
    ),
    `dry-ran ${plural(cluster.checked, 'object')} of ${plural(cluster.applications, 'Application')} of ${cluster.environment} ` +
      `server-side on ${cluster.server} (context ${cluster.context}, Kubernetes ${cluster.version})${notChecked}`,
  ];
}

export function summaryLine(report: ValidateReport, seconds: number): string {
  const verdict = report.findings.length === 0 ? 'valid' : plural(report.findings.length, 'problem');
  const warnings = report.warnings.length
    ? `, ${plural(report.warnings.length, 'placeholder')} to replace (warnings)`
    : '';
  const notRendered = report.notRendered.length ? `, ${report.notRendered.length} not rendered (chart not cached)` : '';
  return `validated ${plural(report.applications, 'Application')}${notRendered}, ${plural(report.objects, 'object')} against ${plural(report.rules.length, 'check')}: ${verdict}${warnings} (${seconds.toFixed(1)}s)`;
}

export async function validateCommand(options: ValidateCommandOptions): Promise<void> {
  const started = Date.now();
  const report = await validate({ ...options, onProgress: progress('validating') });
  if (options.json) console.log(JSON.stringify(report, null, 2));
  else {
    for (const finding of report.findings) console.log(formatFinding(finding));
    for (const notice of report.notRendered) console.log(`${notice.environment}/${notice.service}: ${notice.message}`); // as berth render names them
    if (report.warnings.length) console.log(`${report.findings.length ? '\n' : ''}${formatWarnings(report.warnings)}`);
    console.log(`${report.findings.length || report.warnings.length ? '\n' : ''}${renderingLine(report)}`);
    // a stand-in helm is worth a line; the helm of an Argo CD is `berth render`'s to say
    for (const use of report.helm.filter((use) => !use.exact)) console.log(`warning: ${helmUseLine(use)}`);
    if (report.notCompared) console.log(`warning: ${report.notCompared}`);
    if (report.cluster) for (const line of clusterLines(report.cluster)) console.log(line);
    console.log(summaryLine(report, (Date.now() - started) / 1000));
  }
  if (report.findings.length > 0) process.exitCode = 1;
}
