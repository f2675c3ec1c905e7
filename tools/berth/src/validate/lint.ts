// helm lint --strict of every chart with the values each environment really gives it, one helm process per batch.
import { join } from 'node:path';
import { BerthError } from '../errors';
import { withScratchDir } from '../util/scratch';
import { runHelm } from '../helm/run';
import type { HelmRequest } from '../render/argo-rules';
import { BATCH_CHART, inPool, plannedJobs, stageBatch } from '../render/engine';
import type { ResolvedRequest } from '../render/revisions';
import type { RenderSession } from '../render/session';
import type { Finding } from './finding';

const lintArgs = (chart: string, valuesFile: string, request: HelmRequest) => [
  'lint',
  chart,
  '--strict',
  '--quiet',
  '--values',
  valuesFile,
  '--kube-version',
  request.kubeVersion,
  ...(request.namespace ? ['--namespace', request.namespace] : []),
];

/** Turns helm lint's "[ERROR] berth-batch/charts/<chart>/templates/x: message" lines into findings on the right Application. */
export function lintFindings(output: string, group: HelmRequest[]): Finding[] {
  const byChart = new Map(group.map((request) => [request.releaseName, request]));
  return output
    .split('\n')
    .filter((line) => /^\[(ERROR|WARNING)\]/.test(line.trim()))
    .map((line) => {
      // a template names its file; a values schema finding names its chart ("... in the following chart(s): c: - ...")
      const chart =
        new RegExp(`${BATCH_CHART}/charts/([^/:\\s]+)`).exec(line)?.[1] ??
        /following chart\(s\): ([^:\s]+):/.exec(line)?.[1];
      const request = (chart && byChart.get(chart)) || (group.length === 1 ? group[0] : undefined);
      return {
        rule: 'helm-lint',
        environment: request?.environment,
        application: request?.application,
        object: request ? request.chartPath : undefined,
        message: line.trim().replace(new RegExp(`${BATCH_CHART}/charts/`, 'g'), 'charts/'),
        fix: 'correct the chart or values that helm lint names.',
      };
    });
}

export async function lintRequests(
  session: RenderSession,
  requests: readonly ResolvedRequest[],
  isCached: (group: ResolvedRequest[]) => boolean,
  remember: (group: ResolvedRequest[]) => void,
): Promise<Finding[]> {
  const groups = plannedJobs(session, requests, 2)
    .map((job) => job.requests)
    .filter((group) => !isCached(group));
  return withScratchDir('berth-lint-', async (work) => {
    const results = await inPool(groups, 2, async (group) => {
      const { umbrella, valuesFile, checkValues } = await stageBatch(
        session,
        group,
        join(work, String(groups.indexOf(group))),
        { declareAll: true },
      );
      await checkValues();
      try {
        // the helm that renders the group lints it (batches never mix helms: render/engine batchGroups)
        await runHelm(lintArgs(umbrella, valuesFile, group[0]), { helm: group[0].helm });
        remember(group);
        return [];
      } catch (error) {
        if (!(error instanceof BerthError)) throw error;
        const findings = lintFindings(error.message, group);
        return findings.length
          ? findings
          : [
              {
                rule: 'helm-lint',
                environment: group[0].environment,
                message: error.problem,
                fix: 'correct the chart or values that helm names.',
              },
            ];
      }
    });
    return results.flat();
  });
}
