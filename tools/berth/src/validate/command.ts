// `berth validate`: derived files current, charts lint-clean, every object schema-valid, every policy rule kept;
// placeholders left in the sources are warnings.
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative, resolve } from 'node:path';
import { derivedFiles } from '../argocd/derived';
import { CLUSTER_BASE } from '../argocd/manifests';
import { planSync } from '../argocd/sync-plan';
import { servedApis } from '../workspace/api-kinds';
import { loadHelmRequests, type Selection } from '../render/applications';
import { editedValueFiles, type HelmRequest } from '../render/argo-rules';
import { DEFAULT_OUT, render } from '../render/command';
import { helmUses, type HelmUse } from '../helm/report';
import { RenderSession } from '../render/session';
import { writeFileAtomic } from '../util/fs';
import { nextTurn } from '../util/next-turn';
import type { WorkspaceFiles } from '../workspace/files';
import { paths, type Workspace } from '../workspace/model';
import type { EnvironmentRender, KubeObject, RenderedApplication, RuleContext } from './context';
import type { Finding } from './finding';
import { lintRequests } from './lint';
import { findPlaceholders, type PlaceholderScope } from './placeholders';
import { RULES } from './rules';
import { validateSchema } from './schemas';
import { readYamlDocuments } from '../util/yaml-read';
import { CLUSTER_RULE } from './dry-run-verdict';
import { fixedFieldFindings, FIXED_FIELDS_RULE } from './fixed-fields';
import { clusterEnvironment, connectCluster, dryRunEnvironment, type ClusterReport } from './cluster';

export interface ValidateOptions extends Selection {
  root: string;
  out?: string;
  /** Also dry-run the objects server-side against the cluster of the kubeconfig (its `context`, else the current one). */
  cluster?: { context?: string };
  onProgress?: (done: number, total: number) => void;
}

export interface ValidateReport {
  findings: Finding[];
  /** Placeholders to replace before the platform deploys anywhere real; they do not fail validation. */
  warnings: Finding[];
  /** The Applications validated: the selection, as `berth render` counts it. */
  applications: number;
  objects: number;
  rules: string[];
  /**
   * Validation renders through the render cache, the files `berth render` writes: `rendered` of them were rewritten
   * with helm (their inputs changed), `unchanged` were current. cluster-base counts here when a service is validated alone.
   */
  rendering: { out: string; rendered: number; unchanged: number };
  /** The helm each environment rendered and linted with; `exact: false` may render unlike its Argo CD. */
  helm: HelmUse[];
  /**
   * Applications not rendered, so not validated, because a third-party chart is not cached (offline): notices, never
   * findings, each naming the command that fetches the chart.
   */
  notRendered: { environment: string; application: string; service: string; message: string }[];
  /** Why StatefulSets were not compared with the revision Argo CD follows, when they could not be. */
  notCompared?: string;
  /** With --cluster: which cluster judged which environment, and what it could not judge yet. */
  cluster?: ClusterReport;
}

function syncFindings(files: WorkspaceFiles, workspace: Workspace): Finding[] {
  const plan = planSync(files, derivedFiles(files, workspace));
  return [
    ...[...plan.write.keys()].map((path) => ({
      rule: 'sync',
      object: path,
      message: 'does not match apps/ and environments/ (stale or missing).',
      fix: 'run `npx nx sync` and commit the result.',
    })),
    ...plan.delete.map((path) => ({
      rule: 'sync',
      object: path,
      message: 'is not derived from apps/ or environments/ (a removed service or environment?).',
      fix: 'run `npx nx sync` to remove it.',
    })),
  ];
}

/** Argo CD objects under argocd/ against the Argo CD CRD schemas. */
function argocdFindings(
  files: WorkspaceFiles,
  workspace: Workspace,
): { findings: Finding[]; projects: Map<string, KubeObject> } {
  const findings: Finding[] = [];
  const projects = new Map<string, KubeObject>();
  const visit = (dir: string) => {
    for (const entry of files.list(dir)) {
      const path = `${dir}/${entry}`;
      if (files.isDirectory(path)) visit(path);
      else if (entry.endsWith('.yaml')) {
        for (const document of readYamlDocuments(files.read(path) ?? '', path, {
          fix: 'run `npx nx sync` to regenerate it.',
        })) {
          const object = document as KubeObject;
          if (object.kind === 'AppProject') projects.set(object.metadata?.name, object);
          findings.push(
            ...validateSchema(object, {}).map((finding) => ({ ...finding, object: `${path} ${finding.object}` })),
          );
        }
      }
    }
  };
  visit('argocd');
  if (workspace.environments.length && projects.size === 0)
    findings.push({
      rule: 'sync',
      object: 'argocd/projects',
      message: 'holds no AppProject.',
      fix: 'run `npx nx sync`.',
    });
  return { findings, projects };
}

/**
 * The Applications outside the selection that validation renders for context: when the selection names services,
 * each of their environments' cluster-base, whose objects (the gp3 StorageClass, the SecretStore, the namespace) the
 * services stand on. From the render cache that costs one line read per environment.
 */
function contextProviders(
  options: ValidateOptions,
  requests: HelmRequest[],
  files: WorkspaceFiles,
  workspace: Workspace,
): HelmRequest[] {
  if (!options.services?.length) return [];
  const environments = workspace.environments
    .map((env) => env.name)
    .filter((env) => requests.some((request) => request.environment === env));
  const selected = new Set(requests.map((request) => request.application));
  return loadHelmRequests(files, workspace, { environments }).filter(
    (request) => request.service === CLUSTER_BASE && !selected.has(request.application),
  );
}

/** The placeholders in the files the selected Applications are made from (env.yaml, value files, chart defaults). */
function placeholderWarnings(files: WorkspaceFiles, workspace: Workspace, requests: HelmRequest[]): Finding[] {
  const scanned = new Map<string, PlaceholderScope>([[paths.settings, {}]]);
  for (const request of requests) {
    const index = workspace.environments.findIndex((env) => env.name === request.environment);
    if (index >= 0) scanned.set(paths.env(request.environment), { environmentIndex: index });
    for (const file of [...editedValueFiles(request), ...(request.chart ? [] : [`${request.chartPath}/values.yaml`])])
      if (!scanned.has(file)) scanned.set(file, {});
  }
  // the files people set first: berth.yaml, each env.yaml in promotion order, then value files, then chart defaults
  const rank = (file: string) =>
    file === paths.settings ? 0 : file.endsWith('/env.yaml') ? 1 : file.startsWith('environments/') ? 2 : 3;
  return [...scanned]
    .sort(([a], [b]) => rank(a) - rank(b))
    .flatMap(([file, scope]) => {
      const text = files.read(file);
      return text === undefined ? [] : findPlaceholders(file, text, scope);
    });
}

export async function validate(options: ValidateOptions): Promise<ValidateReport> {
  // the cluster is asked first: a kubeconfig that reaches nothing is said before minutes of rendering
  const connection = options.cluster && (await connectCluster(options.cluster.context));
  const session = RenderSession.open(options.root);
  const { files, workspace } = session;
  const findings: Finding[] = [...syncFindings(files, workspace)];
  const argocd = argocdFindings(files, workspace);
  findings.push(...argocd.findings);

  const selected = loadHelmRequests(files, workspace, options);
  const clusterEnv =
    connection &&
    clusterEnvironment(workspace, [...new Set(selected.map((request) => request.environment))], connection.server);
  // one resolution of every request rendered: the selection's, then the context's
  const resolved = await session.resolve([...selected, ...contextProviders(options, selected, files, workspace)]);
  const requests = resolved.slice(0, selected.length);
  const providers = resolved.slice(selected.length);
  const out = options.out ?? DEFAULT_OUT;
  const results = await render(session, resolved, {
    out,
    onProgress: options.onProgress,
    complete: !options.environments?.length && !options.services?.length,
  });
  const byApplication = new Map(results.map((result) => [result.application, result]));
  const rendered = (request: HelmRequest): RenderedApplication => ({
    application: request.application,
    service: request.service,
    project: request.project,
    namespace: request.namespace,
    objects: byApplication.get(request.application)!.documents(),
  });
  const renders: EnvironmentRender[] = workspace.environments
    .map((environment) => ({
      environment,
      applications: requests
        .filter((request) => request.environment === environment.name && !request.unavailable)
        .map(rendered),
      provided: providers
        .filter((request) => request.environment === environment.name && !request.unavailable)
        .map(rendered),
    }))
    .filter((render) => render.applications.length > 0);

  // a lint that passed is remembered like a render: the same inputs lint the same
  const lintCache = join(resolve(options.root, out), '.lint');
  const passedFile = (group: typeof requests) =>
    join(
      lintCache,
      createHash('sha256')
        .update(
          group
            .map((request) => byApplication.get(request.application)!.key)
            .sort()
            .join(),
        )
        .digest('hex'),
    );
  // helm lints while node makes every other check: the lint's processes and node's checks each want a core
  const linting = lintRequests(
    session,
    // a third-party chart is its maintainers' to lint (Argo CD lints nothing); berth lints the charts of this repository
    requests.filter((request) => !request.unavailable && !request.chart),
    (group) => existsSync(passedFile(group)),
    (group) => writeFileAtomic(passedFile(group), ''),
  );
  linting.catch(() => undefined); // a failure is thrown where the lint is awaited, not reported unhandled meanwhile

  const checked: Finding[] = [];
  for (const render of renders) {
    const cluster = { environment: render.environment, served: servedApis(workspace, render.environment) };
    for (const app of render.applications) {
      for (const object of app.objects)
        checked.push(
          ...validateSchema(object, { environment: render.environment.name, application: app.application }, cluster),
        );
      await nextTurn(); // the lint lays out its batches a step a turn, and starts a helm process as one ends
    }
  }
  const context: RuleContext = { workspace, files, renders, projects: argocd.projects };
  for (const rule of RULES) {
    checked.push(...rule.check(context));
    await nextTurn();
  }
  const selectedApplications = new Set(requests.map((request) => request.application));
  const fixedFields = await fixedFieldFindings(
    options.root,
    renders.map((render) => render.environment.name),
  );
  checked.push(...fixedFields.findings.filter((finding) => selectedApplications.has(finding.application!)));
  const warnings = placeholderWarnings(files, workspace, requests);
  findings.push(...(await linting), ...checked);
  let cluster: ClusterReport | undefined;
  const clusterRender = clusterEnv && renders.find((render) => render.environment === clusterEnv);
  if (connection && clusterRender) {
    const judged = await dryRunEnvironment(connection, clusterRender);
    findings.push(...judged.findings);
    cluster = judged.report;
  }
  const reRendered = results.filter((result) => !result.cached && !result.unavailable).length;
  const notRendered = requests.filter((request) => request.unavailable).length;
  return {
    findings,
    warnings,
    applications: requests.length - notRendered,
    objects: renders.reduce(
      (count, render) => count + render.applications.reduce((sum, app) => sum + app.objects.length, 0),
      0,
    ),
    rules: [
      'sync',
      'helm-lint',
      'schema',
      ...RULES.map((rule) => rule.id),
      FIXED_FIELDS_RULE,
      ...(cluster ? [CLUSTER_RULE] : []),
    ],
    rendering: {
      out: relative(options.root, resolve(options.root, out)) || '.',
      rendered: reRendered,
      unchanged: results.length - notRendered - reRendered,
    },
    helm: helmUses(requests),
    notRendered: requests.flatMap((request) =>
      request.unavailable
        ? [
            {
              environment: request.environment,
              application: request.application,
              service: request.service,
              message: request.unavailable.message,
            },
          ]
        : [],
    ),
    ...(fixedFields.skipped ? { notCompared: fixedFields.skipped } : {}),
    ...(cluster ? { cluster } : {}),
  };
}
