// `berth validate`: derived files current, charts lint-clean, every object schema-valid, every policy rule kept.
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { derivedFiles } from '../argocd/derived';
import { planSync } from '../argocd/sync-plan';
import { loadHelmRequests, type Selection } from '../render/applications';
import { resolveChartRevisions } from '../render/revisions';
import { DEFAULT_OUT, render } from '../render/command';
import { parseObjects } from '../render/summary';
import { writeFileAtomic } from '../util/fs';
import { diskFiles, type WorkspaceFiles } from '../workspace/files';
import { loadWorkspace } from '../workspace/load';
import type { Workspace } from '../workspace/model';
import type { EnvironmentRender, KubeObject, RuleContext } from './context';
import type { Finding } from './finding';
import { lintRequests } from './lint';
import { RULES } from './rules';
import { validateSchema } from './schemas';
import { readYamlDocuments } from '../util/yaml-read';

export interface ValidateOptions extends Selection {
  root: string;
  out?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface ValidateReport {
  findings: Finding[];
  applications: number;
  objects: number;
  rules: string[];
}

function syncFindings(files: WorkspaceFiles, workspace: Workspace): Finding[] {
  const plan = planSync(files, derivedFiles(files, workspace));
  return [
    ...[...plan.write.keys()].map((path) => ({ rule: 'sync', object: path, message: 'does not match apps/ and environments/ (stale or missing).', fix: 'run `npx nx sync` and commit the result.' })),
    ...plan.delete.map((path) => ({ rule: 'sync', object: path, message: 'is not derived from apps/ or environments/ (a removed service or environment?).', fix: 'run `npx nx sync` to remove it.' })),
  ];
}

/** Argo CD objects under argocd/ against the Argo CD CRD schemas. */
function argocdFindings(files: WorkspaceFiles, workspace: Workspace): { findings: Finding[]; projects: Map<string, KubeObject> } {
  const findings: Finding[] = [];
  const projects = new Map<string, KubeObject>();
  const visit = (dir: string) => {
    for (const entry of files.list(dir)) {
      const path = `${dir}/${entry}`;
      if (files.isDirectory(path)) visit(path);
      else if (entry.endsWith('.yaml')) {
        for (const document of readYamlDocuments(files.read(path) ?? '', path, { fix: 'run `npx nx sync` to regenerate it.' })) {
          const object = document as KubeObject;
          if (object.kind === 'AppProject') projects.set(object.metadata?.name, object);
          findings.push(...validateSchema(object, {}).map((finding) => ({ ...finding, object: `${path} ${finding.object}` })));
        }
      }
    }
  };
  visit('argocd');
  if (workspace.environments.length && projects.size === 0) findings.push({ rule: 'sync', object: 'argocd/projects', message: 'holds no AppProject.', fix: 'run `npx nx sync`.' });
  return { findings, projects };
}

export async function validate(options: ValidateOptions): Promise<ValidateReport> {
  const files = diskFiles(options.root);
  const workspace = loadWorkspace(files);
  const findings: Finding[] = [...syncFindings(files, workspace)];
  const argocd = argocdFindings(files, workspace);
  findings.push(...argocd.findings);

  const requests = loadHelmRequests(files, workspace, options);
  await resolveChartRevisions(options.root, requests, workspace.settings.revision);
  const results = await render({ ...options });
  const byApplication = new Map(results.map((result) => [result.application, result]));
  const renders: EnvironmentRender[] = workspace.environments
    .map((environment) => ({
      environment,
      applications: requests
        .filter((request) => request.environment === environment.name)
        .map((request) => ({
          application: request.application,
          service: request.service,
          project: request.project,
          objects: parseObjects(readFileSync(join(options.root, byApplication.get(request.application)!.file), 'utf8')),
        })),
    }))
    .filter((render) => render.applications.length > 0);

  // a lint that passed is remembered like a render: the same inputs lint the same
  const lintCache = join(resolve(options.root, options.out ?? DEFAULT_OUT), '.lint');
  const passedFile = (group: typeof requests) => join(lintCache, createHash('sha256').update(group.map((request) => byApplication.get(request.application)!.key).sort().join()).digest('hex'));
  findings.push(...(await lintRequests(options.root, requests, (group) => existsSync(passedFile(group)), (group) => writeFileAtomic(passedFile(group), ''))));

  for (const render of renders) {
    for (const app of render.applications) {
      for (const object of app.objects) findings.push(...validateSchema(object, { environment: render.environment.name, application: app.application }, render.environment));
    }
  }
  const context: RuleContext = { workspace, files, renders, projects: argocd.projects };
  for (const rule of RULES) findings.push(...rule.check(context));
  return {
    findings,
    applications: requests.length,
    objects: renders.reduce((count, render) => count + render.applications.reduce((sum, app) => sum + app.objects.length, 0), 0),
    rules: ['sync', 'helm-lint', 'schema', ...RULES.map((rule) => rule.id)],
  };
}
