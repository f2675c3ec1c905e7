// Nx plugin: every apps/<service>/app.yaml is a project with render and validate targets and honest cache inputs.
import type { CreateNodesV2 } from '@nx/devkit';
import { createNodesFromFiles } from '@nx/devkit';
import { basename, dirname } from 'node:path';

/**
 * From TypeScript sources berth is this repository's own tools/berth; compiled, it is the installed package
 * (a repository made by `berth new`), whose version stands for its code in the cache inputs.
 */
const FROM_SOURCE = __filename.endsWith('.ts');
const BERTH = FROM_SOURCE ? 'node tools/berth/bin/berth.js' : 'node node_modules/berth/bin/berth.js';
const BERTH_CODE = FROM_SOURCE
  ? ['{workspaceRoot}/tools/berth/src/**/*.ts', '{workspaceRoot}/tools/berth/package.json']
  : [{ runtime: `node -p "require('berth/package.json').version"` }];

/** Everything a service's rendered objects depend on, so a cache hit is always right. */
export function serviceInputs(service: string) {
  return [
    `{workspaceRoot}/apps/${service}/app.yaml`,
    `{workspaceRoot}/charts/${service}/**/*`,
    '{workspaceRoot}/charts/common/**/*',
    `{workspaceRoot}/environments/*/${service}.yaml`,
    '{workspaceRoot}/environments/*/env.yaml',
    '{workspaceRoot}/environments/*/values.yaml',
    `{workspaceRoot}/argocd/apps/*/${service}.yaml`,
    '{workspaceRoot}/berth.yaml',
    ...BERTH_CODE,
    { env: 'BERTH_HELM' },
    { runtime: `${BERTH} helm-version` },
  ];
}

/**
 * A service validates against what its environment's cluster-base provides (the gp3 StorageClass, the SecretStore),
 * and against the kinds the add-ons of its environments serve (app.yaml `serves`: the api-provenance rule).
 */
const VALIDATE_CONTEXT_INPUTS = [
  '{workspaceRoot}/charts/cluster-base/**/*',
  '{workspaceRoot}/argocd/apps/*/cluster-base.yaml',
  '{workspaceRoot}/apps/*/app.yaml',
];

export const createNodesV2: CreateNodesV2 = [
  'apps/*/app.yaml',
  (configFiles, _options, context) =>
    createNodesFromFiles(
      (configFile) => {
        const root = dirname(configFile);
        const service = basename(root);
        const inputs = serviceInputs(service);
        return {
          projects: {
            [root]: {
              name: service,
              projectType: 'application',
              tags: ['berth:service'],
              targets: {
                render: {
                  command: `${BERTH} render --service ${service}`,
                  options: { cwd: '{workspaceRoot}' },
                  cache: true,
                  inputs,
                  outputs: [`{workspaceRoot}/dist/rendered/*/${service}.yaml`],
                },
                validate: {
                  command: `${BERTH} validate --service ${service}`,
                  options: { cwd: '{workspaceRoot}' },
                  cache: true,
                  inputs: [...inputs, ...VALIDATE_CONTEXT_INPUTS],
                },
              },
            },
          },
        };
      },
      configFiles,
      _options,
      context,
    ),
];
