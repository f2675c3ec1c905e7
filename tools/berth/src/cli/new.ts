// `berth new` on the command line: creates the repository and says what to do next.
import { relative, resolve } from 'node:path';
import { ecrRegistry } from '../new/aws';
import { createRepository } from '../new/create';
import type { NewOptions } from '../new/options';
import { plural } from '../util/plural';

export async function newCommand(options: NewOptions & { cwd: string; json?: boolean }): Promise<void> {
  const { cwd, json, ...rest } = options;
  const result = await createRepository({ ...rest, dir: resolve(cwd, options.dir) });
  if (json) {
    console.log(
      JSON.stringify(
        {
          dir: result.repo.dir,
          commit: result.commit,
          berth: result.berthVersion,
          environments: result.repo.environments,
          files: result.files,
        },
        null,
        2,
      ),
    );
    return;
  }
  const where = relative(process.cwd(), result.repo.dir) || '.';
  console.log(
    [
      `Created ${result.repo.dir}: ${plural(result.files.length, 'file')}, environments ${result.repo.environments.join(' -> ')}${result.repo.example ? ', the example platform' : ''} (commit ${result.commit.slice(0, 12)}).`,
      '',
      'Next:',
      `  cd ${where}`,
      result.repo.npmRegistry
        ? undefined
        : "  # first uncomment the registry line in .npmrc: where npm finds berth's scope (see README.md)",
      '  npm install            # berth, nx and the pinned helm; commit the package-lock.json it writes',
      '  npx berth validate',
      result.repo.example
        ? undefined
        : `  npx nx g berth:service api --port 8080 --image ${ecrRegistry(result.repo.account, result.repo.region)}/api   # the first service`,
      `  git remote add origin ${result.repo.repoURL} && git push -u origin main`,
    ]
      .filter((line) => line !== undefined)
      .join('\n'),
  );
}
