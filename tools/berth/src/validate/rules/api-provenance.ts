// Every API kind an environment renders is served there: by an add-on of that environment, as pre-installed
// (env.yaml cluster.preInstalled) or by Kubernetes itself; and an add-on's chart, when rendered, serves what its
// app.yaml `serves` says.
import {
  addonsOf,
  apiKindKey,
  isBuiltInGroup,
  legacyApiVersions,
  parseApiKind,
  parseGroupVersion,
  servedApis,
  type Addon,
} from '../../workspace/api-kinds';
import { isAddon, paths, type Environment, type Workspace } from '../../workspace/model';
import { objectName, type KubeObject, type Rule } from '../context';
import { servesFindings, shippedApis } from '../crd-serves';
import type { Finding } from '../finding';

const RULE = 'api-provenance';

/** Argo CD's own kinds (Applications, AppProjects) are applied to the Argo CD cluster, not the environment's. */
const ARGO_CD_GROUP = 'argoproj.io';

const addonsServing = (workspace: Workspace, entry: string) =>
  workspace.services.filter((service): service is Addon => isAddon(service) && service.addon.serves.includes(entry));

/** What to do about a kind nothing in the environment serves: name the add-on that serves it elsewhere, if any. */
function missingFix(workspace: Workspace, env: Environment, apiVersion: string, kind: string): string {
  const entry = apiKindKey(apiVersion, kind);
  const preInstalled = `list ${entry} in ${paths.env(env.name)} cluster.preInstalled`;
  const serving = addonsServing(workspace, entry);
  const leftOutByAutoMode = serving.filter(
    (addon) => addon.environments.includes(env.name) && env.cluster.autoMode && addon.addon.providedByAutoMode,
  );
  if (leftOutByAutoMode.length)
    return `${leftOutByAutoMode.map((addon) => addon.name).join(', ')} is left out of ${env.name}, which runs EKS Auto Mode (cluster.autoMode: true) in its place: ${preInstalled} if Auto Mode serves it, or use the kind Auto Mode serves instead.`;
  if (serving.length)
    return `add ${serving.map((addon) => addon.name).join(' or ')} to ${env.name} (${serving.map((addon) => `${paths.app(addon.name)} environments`).join(', ')}), or ${preInstalled}.`;
  // a chart that picks its version by what the cluster serves (the library chart's ExternalSecret) falls back to an
  // older one where the add-on is missing: the add-on serving the kind at another version is still the one to add
  const parsed = parseApiKind(entry)!;
  const otherVersions = workspace.services.filter(isAddon).flatMap((addon) =>
    addon.addon.serves
      .filter((served) => {
        const other = parseApiKind(served);
        return other?.group === parsed.group && other.kind === kind;
      })
      .map((served) => ({ addon, served })),
  );
  const here = new Set(addonsOf(workspace, env));
  const servedHere = otherVersions.filter(({ addon }) => here.has(addon));
  if (servedHere.length)
    return `${servedHere.map(({ addon, served }) => `${addon.name} serves ${served} here`).join('; ')}: render that version, or add ${entry} to its app.yaml serves if its chart serves it.`;
  if (otherVersions.length) {
    const names = [...new Set(otherVersions.map(({ addon }) => addon.name))];
    return `add ${names.join(' or ')} to ${env.name} (${names.map((name) => `${paths.app(name)} environments`).join(', ')}), which serves ${otherVersions.map(({ served }) => served).join(', ')}, or ${preInstalled}.`;
  }
  return `no add-on of this repository serves it: add one whose chart does (nx g berth:addon <name> --chart <chart> --repo <url> --version <v>, with ${entry} in its app.yaml serves), or ${preInstalled} if the cluster already has it.`;
}

/** Objects of kinds the environment does not serve. Built-in versions are the schema check's (it names the GA one). */
function unservedObjects(
  workspace: Workspace,
  env: Environment,
  applications: { application: string; objects: KubeObject[] }[],
): Finding[] {
  const served = servedApis(workspace, env);
  const legacy = new Set(legacyApiVersions(env));
  return applications.flatMap((app) =>
    app.objects.flatMap((object) => {
      const apiVersion = String(object.apiVersion ?? '');
      const kind = String(object.kind ?? '');
      const groupVersion = parseGroupVersion(apiVersion);
      if (!groupVersion || !kind) return []; // the schema check reports a document that is no Kubernetes object
      if (groupVersion.group === ARGO_CD_GROUP || isBuiltInGroup(groupVersion.group)) return [];
      const entry = apiKindKey(apiVersion, kind);
      if (served.kinds.has(entry) || legacy.has(apiVersion) || legacy.has(entry)) return [];
      return [
        {
          rule: RULE,
          environment: env.name,
          application: app.application,
          object: objectName(object),
          field: 'apiVersion',
          message: `${apiVersion} ${kind} is served by no add-on of ${env.name}.`,
          fix: missingFix(workspace, env, apiVersion, kind),
        },
      ];
    }),
  );
}

/** env.yaml facts that contradict the add-ons: a CRD group still hand-listed, or a kind two installers claim. */
function environmentFindings(workspace: Workspace, env: Environment): Finding[] {
  const file = paths.env(env.name);
  const at = { rule: RULE, environment: env.name, object: file };
  const addons = addonsOf(workspace, env);
  const findings: Finding[] = [];
  env.cluster.apiVersions.forEach((entry, index) => {
    if (!legacyApiVersions(env).includes(entry)) return;
    const serving = workspace.services.filter(
      (service): service is Addon =>
        isAddon(service) && service.addon.serves.some((served) => served === entry || served.startsWith(`${entry}/`)),
    );
    if (!serving.length) return; // nothing in the repository serves it yet: env.yaml is still its only source
    const names = serving.map((addon) => addon.name).join(' or ');
    const runsHere = serving.some((addon) => addons.includes(addon));
    findings.push({
      ...at,
      field: `cluster.apiVersions[${index}]`,
      message: `lists ${entry}, which is no built-in API: ${names} serves it, and the Applications get it from there.`,
      fix: runsHere
        ? `remove ${entry} from cluster.apiVersions (built-in API versions only).`
        : `remove ${entry} from cluster.apiVersions and add ${names} to ${env.name} (${paths.app(serving[0].name)} environments), or list its kinds in cluster.preInstalled.`,
    });
  });
  env.cluster.preInstalled.forEach((entry, index) => {
    const installer = addons.find((addon) => addon.addon.serves.includes(entry));
    if (installer)
      findings.push({
        ...at,
        field: `cluster.preInstalled[${index}]`,
        message: `says ${entry} is installed outside this repository, but ${installer.name} of ${env.name} installs it.`,
        fix: `remove ${entry} from cluster.preInstalled, or take ${env.name} out of ${paths.app(installer.name)} environments.`,
      });
  });
  const owner = new Map<string, string>();
  for (const addon of addons)
    addon.addon.serves.forEach((entry, index) => {
      const first = owner.get(entry);
      if (!first) return void owner.set(entry, addon.name);
      findings.push({
        rule: RULE,
        environment: env.name,
        object: paths.app(addon.name),
        field: `serves[${index}]`,
        message: `${entry} is served by ${first} too in ${env.name}: two charts would install the same CustomResourceDefinition.`,
        fix: `keep one of ${first} and ${addon.name} in ${env.name} (their app.yaml environments), or turn the CRDs off in one and remove the entry from its serves.`,
      });
    });
  return findings;
}

export const apiProvenanceRule: Rule = {
  id: RULE,
  description:
    'every API kind an environment renders is served there (by its add-ons, pre-installed or built in), and a rendered add-on chart serves what its app.yaml says',
  check(context) {
    const { workspace } = context;
    return context.renders.flatMap((render) => {
      const env = render.environment;
      const addons = new Map(addonsOf(workspace, env).map((addon) => [addon.name, addon]));
      // a chart at hand renders its CRDs (Argo CD's --include-crds); an add-on not rendered (chart not cached) has no objects
      const chartChecks = render.applications.flatMap((app) => {
        const addon = addons.get(app.service);
        if (!addon || app.objects.length === 0) return [];
        return servesFindings(
          {
            addon: addon.name,
            serves: addon.addon.serves,
            source: `chart ${addon.addon.chart.name} as rendered for ${env.name}`,
            at: { environment: env.name, application: app.application },
          },
          shippedApis(app.objects),
        );
      });
      return [
        ...environmentFindings(workspace, env),
        ...unservedObjects(workspace, env, render.applications),
        ...chartChecks,
      ];
    });
  },
};
