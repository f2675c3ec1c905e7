// The `berth` command line: parses arguments and hands each command to its module.
import { Command, Option } from 'commander';
import { BerthError } from '../errors';
import { resolveHelm } from '../helm/binary';

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').filter(Boolean)];

/** --env and --service, repeatable or comma-separated: which Applications a command looks at. */
function selection(command: Command, environments = 'only this environment (repeatable)'): Command {
  return command
    .addOption(new Option('--env <env>', environments).argParser(collect))
    .addOption(new Option('--service <service>', 'only this service (repeatable)').argParser(collect));
}

export function buildProgram(): Command {
  const program = new Command('berth')
    .description('GitOps tooling for microservices on Amazon EKS: render, validate, update and promote what Argo CD applies.')
    .option('-C, --cwd <dir>', 'the workspace root', process.cwd())
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });

  selection(program.command('render'))
    .description('render what Argo CD would apply, one file per Application (dist/rendered/<env>/<service>.yaml)')
    .option('--out <dir>', 'where the files go', 'dist/rendered')
    .option('--json', 'print the summary as JSON')
    .action(async (options) => (await import('./render')).renderCommand({ root: program.opts().cwd, environments: options.env, services: options.service, out: options.out, json: options.json }));

  selection(program.command('validate'))
    .description('prove the rendered platform valid and safe: derived files current, helm lint, schemas, policy rules')
    .option('--json', 'print the report as JSON')
    .action(async (options) => (await import('./validate')).validateCommand({ root: program.opts().cwd, environments: options.env, services: options.service, json: options.json }));

  selection(program.command('image-update'), 'only this environment (repeatable; default: those whose env.yaml takes image updates)')
    .description('bump image tags in the environments that take updates (dev) from their registries, as git commits')
    .option('--dry-run', 'print the diff that would be committed; write nothing')
    .option('--push', 'push the commit, rebasing and retrying when another writer got there first')
    .option('--explain', 'print every tag with why it was taken or rejected')
    .option('--commit-per-service', 'one commit per service instead of one per environment')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', '\nExit codes: 0 done, or nothing new; 1 an error, nothing written (refused registry credentials included);\n3 partial: some registries failed (unreachable, too slow, misbehaving, a repository missing), their services are\nlisted with the registry and the error (--json: "failures") and left as they were, every other service was updated.\nBERTH_REGISTRY_TIMEOUT sets the seconds one registry request may take, body included (default 30).')
    .action(async (options) => (await import('./image-update')).imageUpdateCommand({ root: program.opts().cwd, environments: options.env, services: options.service, dryRun: options.dryRun, push: options.push, explain: options.explain, commitPerService: options.commitPerService, json: options.json }));

  const imagePolicy = program.command('image-policy').description('work with image-update policies');
  imagePolicy
    .command('test')
    .description('show which tag a policy picks from a repository (or from tags on stdin: "-", one a line, optionally followed by an ISO time)')
    .argument('<repository>', 'an image repository, or - to read tags from stdin')
    .addOption(new Option('--strategy <strategy>', 'semver | newest | alphabetical | numerical | digest'))
    .option('--constraint <range>', 'semver range, e.g. ^1.4')
    .option('--allow-tags <regex>', 'only tags matching this regex')
    .addOption(new Option('--ignore-tags <glob>', 'skip tags matching this glob (repeatable)').argParser((value: string, previous: string[] = []) => [...previous, value]))
    .option('--extract <regex>', 'compare the first capture group instead of the whole tag')
    .option('--tag <tag>', 'digest strategy: the mutable tag to follow')
    .option('--natural-prerelease', 'order pre-releases naturally (rc9 < rc10)')
    .option('--explain', 'print every tag with why it was taken or rejected')
    .option('--json', 'print {"selected": ..., "candidates": [...]}')
    .action(async (repository, options) => (await import('./image-policy')).imagePolicyTestCommand(repository, options));

  program
    .command('pin')
    .description('hold a service at a version in one environment; image updates skip it until unpin')
    .argument('<service>')
    .requiredOption('--env <env>', 'the environment')
    .option('--version <version>', 'the version to hold (default: the one running)')
    .option('--reason <text>', 'why, for everyone who reads the history')
    .option('--push', 'push the commit')
    .action(async (service, options) => (await import('./pin')).pinCommand({ root: program.opts().cwd, service, ...options }));

  program
    .command('unpin')
    .description('release a pinned service so image updates move it again')
    .argument('<service>')
    .requiredOption('--env <env>', 'the environment')
    .option('--push', 'push the commit')
    .action(async (service, options) => (await import('./pin')).unpinCommand({ root: program.opts().cwd, service, ...options }));

  program
    .command('promote')
    .description('move a known-good version (image and chart revision) to the next environment, by push or pull request')
    .argument('[services...]', 'the services to promote')
    .option('--all', 'every service whose source environment is ahead')
    .requiredOption('--to <env>', 'the environment to promote into')
    .option('--from <env>', "the environment to promote from (default: the target's promotesFrom)")
    .option('--version <version>', 'refuse unless the source runs exactly this version')
    .option('--push', 'push the commit, rebasing and retrying when another writer got there first (the default where env.yaml says promotion.mode: push)')
    .option('--no-push', 'only commit locally')
    .option('--pr', 'push a branch and open a pull request (the default where env.yaml says promotion.mode: pr)')
    .option('--allow-downgrade', 'allow a version older than the one the target runs')
    .option('--json', 'print the report as JSON')
    .action(async (services, options) => (await import('./promote')).promoteCommand({ root: program.opts().cwd, services, ...options }));

  program
    .command('rollback')
    .description('return a service to its previous version from git history, and pin it there')
    .argument('<service>')
    .requiredOption('--env <env>', 'the environment')
    .option('--to <version>', 'a version that ran there before (default: the one before the current)')
    .option('--push', 'push the commit')
    .option('--json', 'print the report as JSON')
    .action(async (service, options) => (await import('./rollback')).rollbackCommand({ root: program.opts().cwd, service, ...options }));

  program
    .command('status')
    .description('what runs where: services x environments, pins, and how far each environment is behind')
    .option('--json', 'print the matrix as JSON')
    .option('--html <file>', 'write a self-contained HTML status board')
    .action(async (options) => (await import('./status')).statusCommand({ root: program.opts().cwd, ...options }));

  program
    .command('diff')
    .description('the Kubernetes objects a change adds, removes and changes, per environment and Application')
    .option('--base <ref>', 'the revision to compare with (default: where the branch left main)')
    .addOption(new Option('--env <env>', 'only this environment (repeatable)').argParser(collect))
    .option('--markdown', 'print a pull-request comment')
    .option('--json', 'print the report as JSON')
    .action(async (options) => (await import('./diff')).diffCommand({ root: program.opts().cwd, base: options.base, environments: options.env, markdown: options.markdown, json: options.json }));

  program
    .command('new')
    .description('a fresh GitOps repository for your organisation: workspace, environments, library chart, Argo CD objects, first commit')
    .argument('<dir>', 'the folder to create (new or empty)')
    .option('--org <name>', 'your organisation, a DNS label (names ALB groups, secret prefixes, the package)')
    .option('--repo-url <url>', 'the git URL Argo CD clones the new repository from')
    .option('--aws-account <id>', 'the 12-digit AWS account of the clusters and ECR repositories')
    .option('--region <region>', 'the AWS region, e.g. eu-west-1')
    .option('--domain <domain>', 'the DNS domain: the last environment serves it, the others <env>.<domain>')
    .option('--envs <list>', 'environments in promotion order, comma-separated', 'dev,stage,prod')
    .option('--example', 'include the example platform (three HTTP services and PostgreSQL)')
    .option('--json', 'print the result as JSON')
    .action(async (dir, options) => (await import('./new')).newCommand({ ...options, dir, cwd: program.opts().cwd }));

  program
    .command('upgrade')
    .description("bring the repository up to the installed berth: its library chart, every service chart's dependency on it, the derived files, as one commit")
    .option('--dry-run', 'list what would change; write nothing')
    .option('--json', 'print the report as JSON')
    .action(async (options) => (await import('./upgrade')).upgradeCommand({ root: program.opts().cwd, dryRun: options.dryRun, json: options.json }));

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
