// The `berth` command line: parses arguments and hands each command to its module.
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { resolveHelm } from '../helm/binary';
import { HELM_LINES } from '../helm/versions';
import { BerthError } from '../errors';
import { workspaceRoot } from '../workspace/root';
import { errorReport } from './output';

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').filter(Boolean)];

/** --env and --service, repeatable or comma-separated: which Applications a command looks at. */
function selection(command: Command, environments = 'only this environment (repeatable)'): Command {
  return command
    .addOption(new Option('--env <env>', environments).argParser(collect))
    .addOption(new Option('--service <service>', 'only this service (repeatable)').argParser(collect));
}

/** Set once the command line is parsed: whether the command runs with --json, so its failure is JSON too. */
export interface ProgramState {
  json: boolean;
}

export function buildProgram(state: ProgramState = { json: false }): Command {
  const program = new Command('berth')
    .description(
      'GitOps tooling for microservices on Amazon EKS: render, validate, update and promote what Argo CD applies.',
    )
    .option(
      '-C, --cwd <dir>',
      'run as if berth was started in <dir>; the workspace is the nearest folder at or above it with a berth.yaml',
      process.cwd(),
    )
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) })
    .exitOverride()
    .hook('preAction', (_program, action) => {
      state.json = Boolean(action.opts().json);
    });
  /** Where the user is: paths they type (--out, --html) are relative to it, as in any other command-line tool. */
  const here = () => resolve(program.opts().cwd);
  /** The workspace the user is in: berth.yaml found upwards from here, as git and nx find theirs. */
  const root = () => workspaceRoot(here());
  const typed = (path: string | undefined) => (path === undefined || path === '' ? path : resolve(here(), path));

  selection(program.command('render'))
    .description('render what Argo CD would apply, one file per Application (dist/rendered/<env>/<service>.yaml)')
    .option('--out <dir>', 'where the files go (default: dist/rendered in the workspace root)')
    .option('--json', 'print the summary as JSON')
    .action(async (options) =>
      (await import('./render')).renderCommand({
        root: root(),
        environments: options.env,
        services: options.service,
        out: typed(options.out),
        json: options.json,
        cwd: here(),
      }),
    );

  selection(program.command('validate'))
    .description('prove the rendered platform valid and safe: derived files current, helm lint, schemas, policy rules')
    .option('--json', 'print the report as JSON')
    .option(
      '--cluster',
      "also dry-run every object of the environment server-side against the kubeconfig's cluster (kubectl apply --server-side --dry-run=server)",
    )
    .option('--context <name>', 'the kubeconfig context of that cluster (default: the current context)')
    .action(async (options) =>
      (await import('./validate')).validateCommand({
        root: root(),
        environments: options.env,
        services: options.service,
        json: options.json,
        cluster: options.cluster || options.context ? { context: options.context } : undefined,
      }),
    );

  selection(
    program.command('image-update'),
    'only this environment (repeatable; default: those whose env.yaml takes image updates)',
  )
    .description('bump image tags in the environments that take updates (dev) from their registries, as git commits')
    .option('--dry-run', 'print the diff that would be committed; write nothing')
    .option('--push', 'push the commit, rebasing and retrying when another writer got there first')
    .option('--explain', 'print every tag with why it was taken or rejected')
    .option('--commit-per-service', 'one commit per service instead of one per environment')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 done, or nothing new; 1 an error, nothing written (refused registry credentials included);\n3 partial: some registries failed (unreachable, too slow, misbehaving, a repository missing), their services are\nlisted with the registry and the error (--json: "failures") and left as they were, every other service was updated.\nBERTH_REGISTRY_TIMEOUT sets the seconds one registry request may take, body included (default 30).',
    )
    .action(async (options) =>
      (await import('./image-update')).imageUpdateCommand({
        root: root(),
        environments: options.env,
        services: options.service,
        dryRun: options.dryRun,
        push: options.push,
        explain: options.explain,
        commitPerService: options.commitPerService,
        json: options.json,
      }),
    );

  program
    .command('chart-fetch')
    .argument('<repo>', 'the chart repository: https://... (a Helm repository) or oci://... (a registry path)')
    .argument('<chart>', 'the chart name')
    .argument('<version>', 'the exact chart version')
    .description(
      "put a third-party chart into berth's chart cache (~/.cache/berth/charts, or BERTH_CHART_CACHE), digest verified",
    )
    .option('--json', 'print the cached chart as JSON')
    .action(async (repo, chart, version, options) =>
      (await import('./chart-fetch')).chartFetchCommand({ repo, chart, version, json: options.json }),
    );

  selection(
    program.command('chart-update'),
    'only this environment (repeatable; default: those whose env.yaml takes updates)',
  )
    .description(
      "bump third-party chart versions (add-ons' berth.chartVersion, service charts' dependencies) from their repositories, as git commits",
    )
    .option('--dry-run', 'print the diff that would be committed; write nothing')
    .option('--push', 'push the commit, rebasing and retrying when another writer got there first')
    .option('--explain', 'print every version with why it was taken or rejected')
    .option('--json', 'print the report as JSON')
    .action(async (options) =>
      (await import('./chart-update')).chartUpdateCommand({
        root: root(),
        environments: options.env,
        services: options.service,
        dryRun: options.dryRun,
        push: options.push,
        explain: options.explain,
        json: options.json,
      }),
    );

  const imagePolicy = program.command('image-policy').description('work with image-update policies');
  imagePolicy
    .command('test')
    .description(
      'show which tag a policy picks from a repository (or from tags on stdin: "-", one a line, optionally followed by an ISO time)',
    )
    .argument('<repository>', 'an image repository, or - to read tags from stdin')
    .addOption(new Option('--strategy <strategy>', 'semver | newest | alphabetical | numerical | digest'))
    .option('--constraint <range>', 'semver range, e.g. ^1.4')
    .option('--allow-tags <regex>', 'only tags matching this regex')
    .addOption(
      new Option('--ignore-tags <glob>', 'skip tags matching this glob (repeatable)').argParser(
        (value: string, previous: string[] = []) => [...previous, value],
      ),
    )
    .option('--extract <regex>', 'compare the first capture group instead of the whole tag')
    .option('--tag <tag>', 'digest strategy: the mutable tag to follow')
    .option('--natural-prerelease', 'order pre-releases naturally (rc9 < rc10)')
    .option('--explain', 'print every tag with why it was taken or rejected')
    .option('--json', 'print {"selected": ..., "candidates": [...]}')
    .action(async (repository, options) =>
      (await import('./image-policy')).imagePolicyTestCommand(repository, options),
    );

  program
    .command('pin')
    .description('hold a service at a version in one environment; image updates skip it until unpin')
    .argument('<service>')
    .requiredOption('--env <env>', 'the environment')
    .option('--version <version>', 'the version to hold (default: the one running)')
    .option('--reason <text>', 'why, for everyone who reads the history')
    .option('--push', 'push the commit')
    .option('--no-push', 'only commit locally')
    .option('--pr', 'push a branch and open a pull request (the default where env.yaml says promotion.mode: pr)')
    .option('--force', 'pin --version without asking the registry whether it exists (a registry berth cannot reach)')
    .action(async (service, options) => (await import('./pin')).pinCommand({ root: root(), service, ...options }));

  program
    .command('unpin')
    .description('release a pinned service so image updates move it again')
    .argument('<service>')
    .requiredOption('--env <env>', 'the environment')
    .option('--push', 'push the commit')
    .option('--no-push', 'only commit locally')
    .option('--pr', 'push a branch and open a pull request (the default where env.yaml says promotion.mode: pr)')
    .action(async (service, options) => (await import('./pin')).unpinCommand({ root: root(), service, ...options }));

  program
    .command('promote')
    .description(
      'move a known-good version (image and chart revision) to the next environment, by push or pull request',
    )
    .argument('[services...]', 'the services to promote')
    .option('--all', 'every service whose source environment is ahead')
    .requiredOption('--to <env>', 'the environment to promote into')
    .option('--from <env>', "the environment to promote from (default: the target's promotesFrom)")
    .option('--version <version>', 'refuse unless the source runs exactly this version')
    .option(
      '--push',
      'push the commit, rebasing and retrying when another writer got there first (the default where env.yaml says promotion.mode: push)',
    )
    .option('--no-push', 'only commit locally')
    .option('--pr', 'push a branch and open a pull request (the default where env.yaml says promotion.mode: pr)')
    .option('--allow-downgrade', 'allow a version older than the one the target runs')
    .option(
      '--force',
      "promote although the target's promotion.gates refuse (window, freeze, healthy, soak); needs --reason",
    )
    .option('--reason <text>', 'why the gates are overridden, recorded in the commit (Berth-Reason)')
    .option(
      '--wait',
      'after pushing, wait until Argo CD has the target Applications Synced at the pushed commit and Healthy (ARGOCD_SERVER, ARGOCD_AUTH_TOKEN); exit non-zero on Degraded, a failed sync or the timeout',
    )
    .option('--timeout <duration>', 'how long --wait waits, e.g. 90s, 10m, 1h (default: 10m)')
    .option('--json', 'print the report as JSON')
    .action(async (services, options) =>
      (await import('./promote')).promoteCommand({ root: root(), services, ...options }),
    );

  program
    .command('rollback')
    .description('return a service to its previous version from git history, and pin it there')
    .argument('<service>')
    .requiredOption('--env <env>', 'the environment')
    .option('--to <version>', 'a version that ran there before (default: the one before the current)')
    .option('--push', 'push the commit')
    .option('--json', 'print the report as JSON')
    .action(async (service, options) =>
      (await import('./rollback')).rollbackCommand({ root: root(), service, ...options }),
    );

  program
    .command('status')
    .description('what runs where: services x environments, pins, and how far each environment is behind')
    .option('--json', 'print the matrix as JSON')
    .option(
      '--live',
      "add what Argo CD's API says of each Application (ARGOCD_SERVER, ARGOCD_AUTH_TOKEN): sync, health, revision, images, and drift from git",
    )
    .option(
      '--html <file>',
      'write a self-contained HTML status board (a new .html file inside the workspace, or the one berth wrote there)',
    )
    .action(async (options) =>
      (await import('./status')).statusCommand({
        root: root(),
        ...options,
        html: typed(options.html),
        htmlAsTyped: options.html,
      }),
    );

  program
    .command('diff')
    .description('the Kubernetes objects a change adds, removes and changes, per environment and Application')
    .option('--base <ref>', 'the revision to compare with (default: where the branch left main)')
    .addOption(new Option('--env <env>', 'only this environment (repeatable)').argParser(collect))
    .option('--markdown', 'print a pull-request comment')
    .option('--json', 'print the report as JSON')
    .action(async (options) =>
      (await import('./diff')).diffCommand({
        root: root(),
        base: options.base,
        environments: options.env,
        markdown: options.markdown,
        json: options.json,
      }),
    );

  program
    .command('new')
    .description(
      'a fresh GitOps repository for your organisation: workspace, environments, library chart, Argo CD objects, first commit',
    )
    .argument('<dir>', 'the folder to create (new or empty)')
    .option('--org <name>', 'your organisation, a DNS label (names ALB groups, secret prefixes, the package)')
    .option('--repo-url <url>', 'the git URL Argo CD clones the new repository from')
    .option('--aws-account <id>', 'the 12-digit AWS account of the clusters and ECR repositories')
    .option('--region <region>', 'the AWS region, e.g. eu-west-1')
    .option('--domain <domain>', 'the DNS domain: the last environment serves it, the others <env>.<domain>')
    .option('--envs <list>', 'environments in promotion order, comma-separated', 'dev,stage,prod')
    .option('--example', 'include the example platform (three HTTP services and PostgreSQL)')
    .option(
      '--npm-registry <url>',
      "your organisation's npm registry that serves berth (written to .npmrc for berth's scope)",
    )
    .option('--json', 'print the result as JSON')
    .action(async (dir, options) => (await import('./new')).newCommand({ ...options, dir, cwd: program.opts().cwd }));

  program
    .command('upgrade')
    .description(
      "bring the repository up to the installed berth: its library chart, every service chart's dependency on it, the derived files, as one commit",
    )
    .option('--dry-run', 'list what would change; write nothing')
    .option('--json', 'print the report as JSON')
    .action(async (options) =>
      (await import('./upgrade')).upgradeCommand({ root: root(), dryRun: options.dryRun, json: options.json }),
    );

  program
    .command('helm-version')
    .description(
      'print the helm berth renders with for each Argo CD version (env.yaml argocd.version), and where it comes from',
    )
    .action(() => {
      // every row, so Nx's runtime input (nx/plugin.ts) changes when any environment's helm does
      for (const line of HELM_LINES) {
        let said: string;
        try {
          const helm = resolveHelm(line.argocd);
          said = `${helm.version} (${helm.source}: ${helm.path})${helm.exact ? '' : `, standing in for helm ${helm.wanted}`}`;
        } catch (error) {
          if (!(error instanceof BerthError)) throw error;
          said = `none: ${error.problem}`;
        }
        console.log(`Argo CD ${line.argocd}: ${said}`);
      }
    });

  return program;
}

/** A misspelt or missing option: commander has already said so on stderr; --json asks for it on stdout as well. */
function commanderFailure(error: CommanderError, json: boolean): void {
  process.exitCode = error.exitCode;
  if (error.exitCode === 0 || !json) return;
  const problem = error.message.replace(/^error: /, '');
  process.stdout.write(
    `${JSON.stringify({ error: problem, file: null, line: null, field: null, fix: 'see --help for the options this command takes.', message: problem }, null, 2)}\n`,
  );
}

export async function main(argv: string[]): Promise<void> {
  const state: ProgramState = { json: false };
  try {
    await buildProgram(state).parseAsync(argv, { from: 'user' });
  } catch (error) {
    // the --json of a command that failed before its action ran (an unknown option) still counts
    if (error instanceof CommanderError) return commanderFailure(error, state.json || argv.includes('--json'));
    process.exitCode = 1;
    const report = errorReport(error);
    process.stderr.write(`berth: ${report.message}\n`);
    if (state.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  }
}
