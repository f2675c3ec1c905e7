// `npm run pack [-- --destination DIR] [--scope @acme]`: stages the publishable berth package and packs it; prints the tarball's path.
// The source tree is never touched, so this repository keeps running berth from its TypeScript sources meanwhile.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { scopedName, stagePackage } from './stage';

export async function pack(destination: string, scope?: string): Promise<string> {
  const { $ } = await import('zx'); // repository scripts run their commands through zx
  const staging = mkdtempSync(join(tmpdir(), 'berth-pack-'));
  try {
    await stagePackage(staging, undefined, undefined, scope === undefined ? undefined : scopedName(scope));
    mkdirSync(destination, { recursive: true });
    const { stdout } = await $({ cwd: staging, quiet: true })`npm pack --json --pack-destination ${destination}`;
    const [{ filename }] = JSON.parse(stdout) as { filename: string }[];
    return join(destination, filename);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const option = (name: string) =>
    process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined;
  // npm run sets the working directory to tools/berth; INIT_CWD is where the person ran npm
  const destination = resolve(process.env.INIT_CWD ?? process.cwd(), option('--destination') ?? '.');
  pack(destination, option('--scope')).then(
    (tarball) => console.log(tarball),
    (error) => {
      console.error(`berth pack: ${(error as Error).message}`);
      process.exitCode = 1;
    },
  );
}
