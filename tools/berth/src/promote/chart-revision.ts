// The commit whose charts an environment that follows the branch runs: the last one that touched the chart's inputs.
import { posix } from 'node:path';
import { BerthError } from '../errors';
import { git } from '../git/run';
import type { WorkspaceFiles } from '../workspace/files';
import { readMappingFile } from '../workspace/load';
import { paths } from '../workspace/model';

/** The chart's folder and every chart it depends on through file:// (the library chart, theirs in turn). */
export function chartInputs(files: WorkspaceFiles, chart: string): string[] {
  const inputs: string[] = [];
  const visit = (dir: string, from?: string) => {
    if (inputs.includes(dir)) return;
    if (files.read(`${dir}/Chart.yaml`) === undefined) {
      throw new BerthError('file not found.', {
        file: `${dir}/Chart.yaml`,
        fix: from
          ? `correct the file:// dependency in ${from}/Chart.yaml.`
          : 'a service needs its chart under charts/.',
      });
    }
    inputs.push(dir);
    const dependencies = readMappingFile(files, `${dir}/Chart.yaml`).dependencies;
    for (const dependency of Array.isArray(dependencies) ? dependencies : []) {
      const repository = String((dependency as { repository?: unknown })?.repository ?? '');
      // a third-party dependency is fixed by this folder's own Chart.yaml and Chart.lock (version and digest in berth's
      // chart cache), so the folder's commit pins it too
      if (!repository.startsWith('file://')) continue;
      const target = posix.normalize(posix.join(dir, repository.slice('file://'.length)));
      if (target.startsWith('..') || posix.isAbsolute(target)) {
        throw new BerthError(`depends on ${repository}, outside the repository, so no commit can pin it.`, {
          file: `${dir}/Chart.yaml`,
          field: 'dependencies',
          fix: 'keep file:// dependencies under charts/.',
        });
      }
      visit(target, dir);
    }
  };
  visit(chart);
  return inputs;
}

/**
 * `git log -1 -- <inputs>` at `revision` (HEAD: the revision that reproduces the service's chart as the branch has it
 * now; an older commit: the charts an environment following the branch ran then).
 */
export async function lastChartCommit(
  root: string,
  files: WorkspaceFiles,
  service: string,
  revision = 'HEAD',
): Promise<string> {
  const inputs = chartInputs(files, paths.chart(service));
  const sha = (await git(root, ['log', '-1', '--format=%H', revision, '--', ...inputs])).trim();
  if (!sha)
    throw new BerthError('has no commit yet, so there is no chart revision to promote.', {
      file: paths.chart(service),
      fix: 'commit the chart first.',
    });
  return sha;
}
