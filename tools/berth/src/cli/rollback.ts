// `berth rollback` on the command line: what it returned to, from which release, and the pin that holds it there.
import { rollback, type RollbackOptions } from '../rollback/command';
import { describeChart, shortSha } from '../promote/versions';
import { describeImage } from '../workspace/overlay';

export interface RollbackCommandOptions extends RollbackOptions {
  json?: boolean;
}

export async function rollbackCommand(options: RollbackCommandOptions): Promise<void> {
  const { result, commits, pushed } = await rollback(options);
  const { service, env, from, to, deployedBy } = result;
  if (options.json) {
    console.log(
      JSON.stringify(
        {
          service,
          env,
          from,
          to,
          pin: result.pin,
          deployedBy: {
            sha: deployedBy.sha,
            action: deployedBy.action,
            date: deployedBy.date,
            ranBefore: Boolean(deployedBy.ranBefore),
          },
          versions: result.versions,
          commit: commits[0] ?? null,
          pushed,
        },
        null,
        2,
      ),
    );
    return;
  }
  const charts =
    from.chartRevision !== to.chartRevision
      ? `, charts ${describeChart(from, 'branch')} -> ${describeChart(to, 'branch')}`
      : '';
  console.log(
    `rolled back ${service} in ${env} from ${describeImage(from)} to ${describeImage(to)}${charts} (${deployedBy.ranBefore ? `as it ran before berth's first recorded ${deployedBy.action}, at` : `as deployed by the ${deployedBy.action} in`} ${shortSha(deployedBy.sha)})`,
  );
  console.log(
    `pinned it at ${to.tag}: image updates and promotions leave it there until \`berth unpin ${service} --env ${env}\``,
  );
  console.log(
    `commit ${shortSha(commits[0])}${pushed ? ', pushed' : ' (not pushed: git push it, or roll back with --push)'}`,
  );
}
