// Loads berth.yaml, environments/*/env.yaml and apps/*/app.yaml into a checked Workspace.
import { BerthError } from '../errors';
import { argocdMinor, DEFAULT_ARGOCD_VERSION, HELM_LINES } from '../helm/versions';
import { urlCredentials } from '../secrets/detect';
import { readYamlMapping } from '../util/yaml-read';
import type { WorkspaceFiles } from './files';
import { MAX_ENVIRONMENT_NAME, MAX_SERVICE_NAME, RESERVED_NAMES, isDnsName, nameProblem } from './names';
import { readPins } from './pins';
import { checkTenancy } from './tenancy';
import { parseApiKind } from './api-kinds';
import { FieldReader, type Fields } from './fields';
import { readAddonSpec } from './addon-spec';
import { readGates } from './gate-settings';
import { isAddon, paths, type Environment, type Service, type Workspace, type BerthSettings } from './model';

/** A workspace file that must exist and hold a mapping, read by util/yaml-read; errors name the file and line. */
export function readMappingFile(files: WorkspaceFiles, path: string): Fields {
  const text = files.read(path);
  if (text === undefined)
    throw new BerthError('file not found.', { file: path, fix: 'create it, or run the generator that makes it.' });
  return readYamlMapping(text, path);
}

export function loadSettings(files: WorkspaceFiles): BerthSettings {
  if (files.read(paths.settings) === undefined) {
    throw new BerthError(
      `${files.root} is not a berth workspace (neither it nor a folder above it has a ${paths.settings}).`,
      {
        fix: 'run berth inside a workspace (any folder under the one with berth.yaml), pass -C <workspace>, or make a new one with `berth new <dir>`.',
      },
    );
  }
  const fields = new FieldReader(paths.settings, readMappingFile(files, paths.settings));
  const repoURL = fields.string('repoURL', 'set repoURL to the git URL Argo CD clones this repository from.');
  // repoURL is copied into every AppProject and Application under argocd/: a credential in it would be committed there
  const credential = urlCredentials(repoURL);
  if (credential) {
    fields.fail(
      'repoURL',
      `holds ${credential}; berth would copy it into every AppProject and Application under argocd/.`,
      'write the URL without credentials (https://host/org/repo.git), give Argo CD the credentials as a repository Secret (argocd repo add), and revoke the token.',
    );
  }
  return {
    repoURL,
    revision: fields.string('revision', 'set revision to the branch Argo CD follows, e.g. main.', 'main'),
    argocdNamespace: fields.string('argocdNamespace', 'set the namespace Argo CD runs in.', 'argocd'),
    libraryChart: fields.string('libraryChart', 'name the library chart under charts/.', 'common'),
  };
}

export function loadEnvironment(files: WorkspaceFiles, dirName: string): Environment {
  const file = paths.env(dirName);
  const fields = new FieldReader(file, readMappingFile(files, file));
  const name = fields.string('name', `set name: ${dirName}`);
  if (name !== dirName)
    fields.fail('name', `is "${name}" but the folder is environments/${dirName}.`, `set name: ${dirName}.`);
  const problem = nameProblem(name, MAX_ENVIRONMENT_NAME);
  if (problem) fields.fail('name', `"${name}" ${problem}.`, 'rename the environment folder and its name.');
  const server = fields.optionalString('cluster.server', 'set the API server URL Argo CD knows the cluster by.');
  const clusterName = fields.optionalString('cluster.name', 'set the cluster name registered in Argo CD.');
  if (!server === !clusterName)
    fields.fail(
      'cluster',
      'must name the destination cluster by exactly one of server or name.',
      'keep either cluster.server or cluster.name.',
    );
  const kubeVersion = String(fields.get('cluster.kubeVersion') ?? '');
  if (!/^v?\d+\.\d+(\.\d+)?$/.test(kubeVersion))
    fields.fail(
      'cluster.kubeVersion',
      `must be a Kubernetes version like "1.33.0" (found "${kubeVersion}").`,
      'pin the version the cluster runs (kubectl version).',
    );
  const argocdVersion = readArgocdVersion(fields);
  const namespace = fields.string('namespace', 'set the namespace the services run in.');
  const namespaceProblem = nameProblem(namespace, 63);
  if (namespaceProblem) fields.fail('namespace', `"${namespace}" ${namespaceProblem}.`, 'choose a DNS-1123 label.');
  const domain = fields.string('domain', 'set the DNS domain the environment serves under.');
  if (!isDnsName(domain))
    fields.fail('domain', `"${domain}" is not a DNS name.`, 'use a lower-case DNS name such as dev.example.com.');
  const vpcCidr = fields.string('vpcCidr', 'set the VPC CIDR the ALB sends traffic from.');
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(vpcCidr))
    fields.fail('vpcCidr', `"${vpcCidr}" is not an IPv4 CIDR.`, 'write it like 10.0.0.0/16.');
  const promotesFrom = fields.get('promotesFrom');
  if (promotesFrom !== null && promotesFrom !== undefined && typeof promotesFrom !== 'string') {
    fields.fail('promotesFrom', 'must be an environment name or null.', 'name the environment versions come from.');
  }
  const aws = readAws(fields);
  return {
    name,
    promotesFrom: (promotesFrom as string | undefined) ?? null,
    cluster: {
      server,
      name: clusterName,
      kubeVersion: kubeVersion.replace(/^v/, ''),
      apiVersions: fields.strings(
        'cluster.apiVersions',
        'list the API versions the cluster serves, e.g. monitoring.coreos.com/v1.',
      ),
      storageClasses: fields.strings(
        'cluster.storageClasses',
        'list the storage classes that already exist on the cluster.',
      ),
      autoMode: fields.boolean('cluster.autoMode', false),
      preInstalled: readApiKinds(
        fields,
        'cluster.preInstalled',
        'list the API kinds installed without an add-on of this repository, as group/version/Kind.',
      ),
    },
    argocd: { version: argocdVersion },
    namespace,
    domain,
    region: fields.string('region', 'set the AWS region, e.g. eu-west-1.'),
    vpcCidr,
    ingress: {
      groupName: fields.string('ingress.groupName', 'name the ALB group every Ingress of the environment joins.'),
      scheme: fields.oneOf('ingress.scheme', ['internet-facing', 'internal'] as const, 'internet-facing'),
      certificateArn: fields.optionalString('ingress.certificateArn', 'set the ACM certificate ARN for HTTPS.'),
      sslPolicy: fields.optionalString('ingress.sslPolicy', 'set an ELB security policy name.'),
    },
    secrets: {
      store: fields.string('secrets.store', 'name the SecretStore for AWS Secrets Manager.', 'aws-secrets-manager'),
      prefix: fields.optionalString('secrets.prefix', 'set the Secrets Manager key prefix, e.g. berth/dev/.') ?? '',
      roleArn: fields.optionalString('secrets.roleArn', 'set the IAM role External Secrets assumes.'),
    },
    ...aws,
    sync: {
      automated: fields.boolean('sync.automated', false),
      prune: fields.boolean('sync.prune', true),
      selfHeal: fields.boolean('sync.selfHeal', true),
    },
    imageUpdates: fields.mapping('imageUpdates'),
    chartUpdates: fields.mapping('chartUpdates'),
    addons: readAddonIdentities(fields, aws.aws?.accountId),
    promotion: {
      mode: fields.oneOf('promotion.mode', ['push', 'pr'] as const, 'push'),
      gates: readGates(fields, promotesFrom),
    },
  };
}

/** argocd.version: an Argo CD minor berth has a Helm for (helm/versions.ts), as "3.5" or "3.5.2". */
function readArgocdVersion(fields: FieldReader): string {
  fields.mapping('argocd'); // "argocd: 3.4" would otherwise be read as no version at all
  const value = fields.get('argocd.version') ?? DEFAULT_ARGOCD_VERSION;
  // YAML reads an unquoted 3.5 as a number; its text is the same
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !argocdMinor(text)) {
    const known = HELM_LINES.map((line) => `"${line.argocd}"`).join(' or ');
    fields.fail(
      'argocd.version',
      `must be an Argo CD version berth renders for, ${known} or one of their patches such as "${DEFAULT_ARGOCD_VERSION}.2" (found ${JSON.stringify(value)}).`,
      `set it to the Argo CD version that syncs this cluster (argocd version --short), e.g. version: "${DEFAULT_ARGOCD_VERSION}".`,
    );
  }
  return text.replace(/^v/, '');
}

/** A list of API kinds (group/version/Kind), each checked here: Helm's --api-versions and findings quote them. */
export function readApiKinds(fields: FieldReader, field: string, fix: string): string[] {
  const entries = fields.strings(field, fix);
  entries.forEach((entry, index) => {
    if (!parseApiKind(entry))
      fields.fail(
        `${field}[${index}]`,
        `${JSON.stringify(entry)} is not an API kind (group/version/Kind).`,
        'write it like cert-manager.io/v1/Certificate: a DNS group, a version such as v1 or v1beta1, and the kind in UpperCamelCase.',
      );
  });
  return entries;
}

/** An IAM role ARN (any AWS partition); the account must be the environment's. */
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

/** addons.<name>: the IAM role an add-on's pods use, and how they get it. */
function readAddonIdentities(fields: FieldReader, accountId: string | undefined): Environment['addons'] {
  const addons: Environment['addons'] = {};
  for (const name of Object.keys(fields.mapping('addons'))) {
    const problem = nameProblem(name, MAX_SERVICE_NAME);
    if (problem) fields.fail('addons', `"${name}" ${problem}.`, 'key each entry by the name of an add-on under apps/.');
    fields.mapping(`addons.${name}`);
    const field = `addons.${name}.roleArn`;
    const roleArn = fields.optionalString(field, `set the IAM role ARN ${name} assumes.`);
    const match = roleArn === undefined ? null : ROLE_ARN.exec(roleArn);
    if (roleArn !== undefined && !match)
      fields.fail(
        field,
        `${JSON.stringify(roleArn)} is not an IAM role ARN.`,
        'write arn:aws:iam::<account>:role/<name>.',
      );
    if (match && accountId && match[2] !== accountId)
      fields.fail(
        field,
        `names account ${match[2]}, but aws.accountId is ${accountId}.`,
        "use a role of the environment's account.",
      );
    addons[name] = {
      roleArn,
      identity: fields.oneOf(`addons.${name}.identity`, ['irsa', 'pod-identity'] as const, 'irsa'),
    };
  }
  return addons;
}

/** aws.accountId: twelve digits, quoted (a YAML number would lose an account's leading zeros). */
function readAws(fields: FieldReader): Pick<Environment, 'aws'> {
  const accountId = fields.get('aws.accountId');
  const facts = readClusterFacts(fields);
  if (accountId === undefined || accountId === null) return Object.keys(facts).length ? { aws: facts } : {};
  if (typeof accountId !== 'string' || !/^\d{12}$/.test(accountId)) {
    fields.fail(
      'aws.accountId',
      `must be a 12-digit AWS account id in quotes (found ${JSON.stringify(accountId)}).`,
      'write the account of the environment\'s cluster and IAM roles, e.g. accountId: "123456789012".',
    );
  }
  return { aws: { accountId, ...facts } };
}

/** aws.clusterName and aws.vpcId: what add-on charts read (the controllers name the cluster and its VPC). */
function readClusterFacts(fields: FieldReader): { clusterName?: string; vpcId?: string } {
  const clusterName = fields.optionalString('aws.clusterName', 'set the EKS cluster name (aws eks list-clusters).');
  if (clusterName !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(clusterName))
    fields.fail(
      'aws.clusterName',
      `"${clusterName}" is not an EKS cluster name.`,
      'write the name EKS lists (letters, digits, "-", "_", at most 100).',
    );
  const vpcId = fields.optionalString('aws.vpcId', 'set the VPC id of the cluster (vpc-...).');
  if (vpcId !== undefined && !/^vpc-[0-9a-f]{8,17}$/.test(vpcId))
    fields.fail(
      'aws.vpcId',
      `"${vpcId}" is not a VPC id.`,
      'write it like vpc-0a1b2c3d4e5f60001 (aws eks describe-cluster --query cluster.resourcesVpcConfig.vpcId).',
    );
  return { ...(clusterName ? { clusterName } : {}), ...(vpcId ? { vpcId } : {}) };
}

export function loadService(files: WorkspaceFiles, dirName: string, environmentNames: string[]): Service {
  const file = paths.app(dirName);
  const fields = new FieldReader(file, readMappingFile(files, file));
  const name = fields.string('name', `set name: ${dirName}`);
  if (name !== dirName) fields.fail('name', `is "${name}" but the folder is apps/${dirName}.`, `set name: ${dirName}.`);
  const environments = fields.strings('environments', 'list the environments the service runs in.', environmentNames);
  for (const env of environments) {
    if (!environmentNames.includes(env)) {
      fields.fail(
        'environments',
        `names "${env}", which is not an environment (known: ${environmentNames.join(', ')}).`,
        `remove it, or add it with nx g berth:environment ${env}.`,
      );
    }
  }
  const kind = fields.oneOf('kind', ['stateless', 'stateful', 'scheduled', 'addon'] as const);
  if (kind === 'addon' && fields.get('imageUpdates') !== undefined)
    fields.fail('imageUpdates', 'is for services; an add-on runs an upstream chart.', 'write chartUpdates instead.');
  return {
    name,
    kind,
    owner: fields.optionalString('owner', 'name the owning team.'),
    environments,
    dependsOn: fields.strings('dependsOn', 'list the services that must sync first.'),
    imageUpdates: fields.mapping('imageUpdates'),
    pins: readPins(fields, name, environments),
    ...(kind === 'addon' ? { addon: readAddonSpec(fields) } : {}),
  };
}

/** Orders environments so each comes after the one it promotes from. */
export function orderEnvironments(environments: Environment[]): Environment[] {
  const byName = new Map(environments.map((env) => [env.name, env]));
  const ordered: Environment[] = [];
  const depth = (env: Environment, seen: string[]): number => {
    if (!env.promotesFrom) return 0;
    const source = byName.get(env.promotesFrom);
    if (!source) {
      throw new BerthError(`names "${env.promotesFrom}", which is not an environment.`, {
        file: paths.env(env.name),
        field: 'promotesFrom',
        fix: `use one of: ${[...byName.keys()].join(', ')}, or null.`,
      });
    }
    if (seen.includes(source.name)) {
      throw new BerthError(`forms a cycle: ${[...seen, source.name].join(' <- ')}.`, {
        file: paths.env(env.name),
        field: 'promotesFrom',
        fix: 'make one environment the first (promotesFrom: null).',
      });
    }
    return 1 + depth(source, [...seen, source.name]);
  };
  const depths = new Map(environments.map((env) => [env.name, depth(env, [env.name])]));
  ordered.push(
    ...[...environments].sort((a, b) => depths.get(a.name)! - depths.get(b.name)! || a.name.localeCompare(b.name)),
  );
  return ordered;
}

function checkDependencies(services: Service[]): void {
  const byName = new Map(services.map((service) => [service.name, service]));
  for (const service of services) {
    for (const dependency of service.dependsOn) {
      if (!byName.has(dependency)) {
        throw new BerthError(`names "${dependency}", which is not a service.`, {
          file: paths.app(service.name),
          field: 'dependsOn',
          fix: `use one of: ${[...byName.keys()].join(', ')}.`,
        });
      }
    }
  }
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string, trail: string[]) => {
    if (done.has(name)) return;
    if (visiting.has(name)) {
      throw new BerthError(`dependencies form a cycle: ${[...trail, name].join(' -> ')}.`, {
        file: paths.app(trail[0]),
        field: 'dependsOn',
        fix: 'remove one of the dependencies in the cycle.',
      });
    }
    visiting.add(name);
    for (const dependency of byName.get(name)!.dependsOn) visit(dependency, [...trail, name]);
    visiting.delete(name);
    done.add(name);
  };
  for (const service of services) visit(service.name, []);
}

/**
 * Add-ons across files: they depend only on add-ons (services always sync after them), live outside the services'
 * namespaces, and every environment fact their charts read is set in each env.yaml they run in.
 */
function checkAddons(settings: BerthSettings, environments: Environment[], services: Service[]): void {
  const addons = new Map(services.filter(isAddon).map((addon) => [addon.name, addon]));
  for (const addon of addons.values()) {
    const file = paths.app(addon.name);
    for (const dependency of addon.dependsOn)
      if (!addons.has(dependency))
        throw new BerthError(`names "${dependency}", which is not an add-on; add-ons sync before every service.`, {
          file,
          field: 'dependsOn',
          fix: 'list only add-ons an add-on needs first.',
        });
    const namespace = addon.addon.namespace;
    const taken =
      namespace === settings.argocdNamespace
        ? `Argo CD's namespace (berth.yaml argocdNamespace)`
        : environments.find((env) => env.namespace === namespace)
          ? `the namespace of environment ${environments.find((env) => env.namespace === namespace)!.name}`
          : undefined;
    if (taken)
      throw new BerthError(`"${namespace}" is ${taken}.`, {
        file,
        field: 'namespace',
        fix: 'give the add-on a namespace of its own, e.g. its name.',
      });
  }
  for (const env of environments) {
    for (const name of Object.keys(env.addons))
      if (!addons.has(name))
        throw new BerthError(`names "${name}", which is not an add-on (apps/<name>/app.yaml with kind: addon).`, {
          file: paths.env(env.name),
          field: `addons.${name}`,
          fix: addons.size
            ? `use one of: ${[...addons.keys()].join(', ')}, or remove it.`
            : 'remove it, or add the add-on with nx g berth:addon.',
        });
    for (const addon of addons.values()) {
      if (!addon.environments.includes(env.name)) continue;
      for (const fact of new Set(Object.values(addon.addon.environmentValues))) {
        const identity = env.addons[addon.name];
        const missing =
          fact === 'roleArn'
            ? (identity?.identity ?? 'irsa') === 'irsa' && !identity?.roleArn && `addons.${addon.name}.roleArn`
            : fact === 'region'
              ? false
              : !env.aws?.[fact as 'clusterName' | 'vpcId' | 'accountId'] && `aws.${fact}`;
        if (missing)
          throw new BerthError(
            `is not set, but ${addon.name}'s chart reads it (${paths.app(addon.name)} environmentValues).`,
            {
              file: paths.env(env.name),
              field: missing,
              fix:
                fact === 'roleArn'
                  ? `set the IAM role ${addon.name} assumes, or identity: pod-identity when an EKS Pod Identity association gives it.`
                  : `set ${missing} for ${env.name}.`,
            },
          );
      }
    }
  }
}

export function loadWorkspace(files: WorkspaceFiles): Workspace {
  const settings = loadSettings(files);
  const envDirs = files.list('environments').filter((dir) => files.read(paths.env(dir)) !== undefined);
  const environments = orderEnvironments(envDirs.map((dir) => loadEnvironment(files, dir)));
  const environmentNames = environments.map((env) => env.name);
  const services = files
    .list('apps')
    .filter((dir) => files.read(paths.app(dir)) !== undefined)
    .map((dir) => loadService(files, dir, environmentNames));
  for (const service of services) {
    const problem = nameProblem(service.name, MAX_SERVICE_NAME);
    if (problem)
      throw new BerthError(`"${service.name}" ${problem}.`, {
        file: paths.app(service.name),
        field: 'name',
        fix: 'rename the service.',
      });
    if (RESERVED_NAMES.includes(service.name))
      throw new BerthError(`"${service.name}" is reserved by berth.`, {
        file: paths.app(service.name),
        field: 'name',
        fix: 'rename the service.',
      });
  }
  checkDependencies(services);
  checkTenancy(settings, environments, services);
  checkAddons(settings, environments, services);
  return { settings, environments, services };
}
