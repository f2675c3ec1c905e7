// npm run cluster -- build [--argocd] | up [--argocd] | down | status (see README: A real cluster).
import { BerthError } from '../../berth/src/errors';
import { buildArgocd, upArgocd } from './argocd';
import { buildCluster } from './build';
import { down, status, up } from './cluster';
import { cacheLayout, stateLayout } from './layout';
import { readComponentVersions } from './versions';

const USAGE = 'usage: npm run cluster -- build [--argocd] | up [--argocd] | down | status';

async function main(args: string[]): Promise<number> {
  const log = (line: string) => console.log(line);
  const options = args.slice(1);
  const unknown = options.filter((option) => option !== '--argocd');
  if (unknown.length > 0 || (options.length > 0 && !['build', 'up'].includes(args[0]))) {
    console.error(USAGE);
    return 2;
  }
  const argocd = options.includes('--argocd');
  switch (args[0]) {
    case 'build': {
      const versions = readComponentVersions();
      buildCluster(versions, cacheLayout(versions.kubernetes), log);
      log(
        `kube-apiserver ${versions.kubernetes}, etcd ${versions.etcd}, kwok ${versions.kwok}: in ${cacheLayout(versions.kubernetes).bin}`,
      );
      if (argocd) {
        const { build, cache } = buildArgocd(log);
        log(`Argo CD ${build.version}: ${cache.binary}`);
      }
      return 0;
    }
    case 'up': {
      if (argocd) buildArgocd(log); // before the cluster starts: a cold build takes longer than a cluster lives idle
      const cluster = await up(log);
      if (argocd) await upArgocd(log, cluster, stateLayout());
      return 0;
    }
    case 'down':
      await down(log);
      return 0;
    case 'status':
      return (await status(log)) ? 0 : 3;
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof BerthError ? `berth cluster: ${error.message}` : error);
    process.exitCode = 1;
  },
);
