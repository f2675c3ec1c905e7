// The offline half of the StatefulSet check `berth validate --cluster` makes: a change to a field a live StatefulSet
// keeps for ever (its volumeClaimTemplates, selector, serviceName), found by comparing the working tree's render with
// the revision Argo CD has applied, as `berth diff` does. The API server refuses such a change and the sync fails.
import { diff } from '../diff/command';
import { resolveBase } from '../diff/checkout';
import { tryGit } from '../git/run';
import { diskFiles } from '../workspace/files';
import { loadSettings } from '../workspace/load';
import { statefulSetFix, STATEFULSET_MUTABLE } from './dry-run-verdict';
import type { Finding } from './finding';

export const FIXED_FIELDS_RULE = 'statefulset-fixed-fields';

/** Whether a changed field path ("spec.volumeClaimTemplates[data].spec...") is one a live StatefulSet cannot change. */
export function isFixedStatefulSetField(path: string): boolean {
  const match = /^spec\.([A-Za-z]+)/.exec(path);
  return match !== null && !STATEFULSET_MUTABLE.includes(match[1]);
}

/**
 * The findings for the selected environments, compared with diff's base (the merge-base with the branch Argo CD
 * follows). Nothing to compare (no git, HEAD is the base and nothing is uncommitted) is no finding and costs two git calls.
 */
export async function fixedFieldFindings(
  root: string,
  environments: string[],
): Promise<{ findings: Finding[]; skipped?: string }> {
  let base;
  try {
    base = await resolveBase(root, loadSettings(diskFiles(root)).revision);
  } catch {
    return { findings: [] }; // not a git repository: nothing was applied from it that could be compared
  }
  const [head, status] = await Promise.all([
    tryGit(root, ['rev-parse', 'HEAD']),
    tryGit(root, ['status', '--porcelain', '--untracked-files=normal', '--', '.']),
  ]);
  if (head.stdout.trim() === base.commit && status.stdout.trim() === '') return { findings: [] };
  let report;
  try {
    report = await diff({ root, base: base.commit, environments });
  } catch (error) {
    // a base that no longer renders (a chart since fixed) must not fail the validation of the tree that fixed it
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { findings: [], skipped: `StatefulSets were not compared with ${base.ref} (${base.reason}): ${why}` };
  }
  const findings = report.applications.flatMap((app) =>
    app.changed
      .filter((object) => object.kind === 'StatefulSet')
      .flatMap((object) => {
        const fixed = object.fields.filter((field) => isFixedStatefulSetField(field.path));
        if (fixed.length === 0) return [];
        const changes = fixed.map(
          (field) =>
            `${field.path}: ${JSON.stringify(field.before)} in ${base.ref}, ${JSON.stringify(field.after)} here`,
        );
        return [
          {
            rule: FIXED_FIELDS_RULE,
            environment: app.environment,
            application: app.application,
            object: `StatefulSet/${object.name}`,
            field: fixed[0].path,
            message: `changes a field a live StatefulSet keeps (${changes.join('; ')}): the API server will refuse it and the Argo CD sync fail.`,
            fix: statefulSetFix({ metadata: { name: object.name, namespace: object.namespace } }, changes),
          },
        ];
      }),
  );
  return { findings };
}
