// The `berth` command line: parses arguments and hands each command to its module.
import { Command, Option } from 'commander';
import { BerthError } from '../errors';
import { resolveHelm } from '../helm/binary';

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').filter(Boolean)];

export function buildProgram(): Command {
  const program = new Command('berth')
    .description('GitOps tooling for microservices on Amazon EKS: render, validate, update and promote what Argo CD applies.')
    .option('-C, --cwd <dir>', 'the workspace root', process.cwd())
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });

  program
    .command('render')
    .description('render what Argo CD would apply, one file per Application (dist/rendered/<env>/<service>.yaml)')
    .addOption(new Option('--env <env>', 'only this environment (repeatable)').argParser(collect))
    .addOption(new Option('--service <service>', 'only this service (repeatable)').argParser(collect))
    .option('--out <dir>', 'where the files go', 'dist/rendered')
    .option('--json', 'print the summary as JSON')
    .action(async (options) => (await import('./render')).renderCommand({ root: program.opts().cwd, environments: options.env, services: options.service, out: options.out, json: options.json }));

  program
    .command('validate')
    .description('prove the rendered platform valid and safe: derived files current, helm lint, schemas, policy rules')
    .addOption(new Option('--env <env>', 'only this environment (repeatable)').argParser(collect))
    .addOption(new Option('--service <service>', 'only this service (repeatable)').argParser(collect))
    .option('--json', 'print the report as JSON')
    .action(async (options) => (await import('./validate')).validateCommand({ root: program.opts().cwd, environments: options.env, services: options.service, json: options.json }));

  program
    .command('helm-version')
    .description('print the helm berth runs and where it comes from')
    .action(() => {
      const helm = resolveHelm();
      console.log(`${helm.version} (${helm.source}: ${helm.path})`);
    });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
  } catch (error) {
    process.exitCode = 1;
    if (error instanceof BerthError) {
      process.stderr.write(`berth: ${error.message}\n`);
    } else {
      process.stderr.write(`berth: ${(error as Error)?.stack ?? String(error)}\n`);
    }
  }
}
