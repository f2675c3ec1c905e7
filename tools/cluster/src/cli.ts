// npm run cluster -- build | up | down | status (see README: A real cluster).
import { BerthError } from '../../berth/src/errors';
import { buildCluster } from './build';
import { down, status, up } from './cluster';
import { cacheLayout } from './layout';
import { readComponentVersions } from './versions';

const USAGE = 'usage: npm run cluster -- build | up | down | status';

async function main(args: string[]): Promise<number> {
  const log = (line: string) => console.log(line);
  switch (args[0]) {
    case 'build': {
      const versions = readComponentVersions();
      buildCluster(versions, cacheLayout(versions.kubernetes), log);
      log(
        `kube-apiserver ${versions.kubernetes}, etcd ${versions.etcd}, kwok ${versions.kwok}: in ${cacheLayout(versions.kubernetes).bin}`,
      );
      return 0;
    }
    case 'up':
      await up(log);
      return 0;
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
