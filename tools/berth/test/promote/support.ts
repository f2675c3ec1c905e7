// Promotion tests' helpers: the example platform on a bare remote, edits committed in one line, berth with its own env.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { diskFiles } from '../../src/workspace/files';
import { loadWorkspace } from '../../src/workspace/load';
import { derivedFiles } from '../../src/argocd/derived';
import { planSync } from '../../src/argocd/sync-plan';
import { edit, git, repo, type Run } from '../cli/workspace';
import { gitOpsRepository, type GitOpsRepository } from '../image-update/support';

export { gitOpsRepository, type GitOpsRepository };

/** Versions the tests start from, whatever the example platform ships today. */
export const VERSIONS: Record<string, Record<string, string>> = {
  dev: { 'service-a': '1.4.3', 'service-b': '2.1.0', 'service-c': '0.9.2', postgres: '16.4' },
  stage: { 'service-a': '1.4.2', 'service-b': '2.0.3', 'service-c': '0.9.1', postgres: '16.4' },
  prod: { 'service-a': '1.4.1', 'service-b': '2.0.2', 'service-c': '0.9.0', postgres: '16.4' },
};

/** The example platform at VERSIONS on a bare remote; its charts point at a registry nobody asks (promotion never talks to one). */
export function platform(registryHost = '127.0.0.1:9'): GitOpsRepository {
  const gitops = gitOpsRepository(registryHost);
  for (const [env, services] of Object.entries(VERSIONS)) {
    for (const [service, tag] of Object.entries(services))
      edit(gitops.work, overlayPath(env, service), (text) => text.replace(/tag: .*/, `tag: "${tag}"`));
  }
  if (git(gitops.work, 'status', '--porcelain')) {
    git(gitops.work, 'commit', '-qam', 'test: known versions');
    git(gitops.work, 'push', '-q', 'origin', 'main');
  }
  return gitops;
}

export const overlayPath = (env: string, service: string) => `environments/${env}/${service}.yaml`;
export const overlay = (dir: string, env: string, service: string) =>
  readFileSync(join(dir, overlayPath(env, service)), 'utf8');
export const overlayValues = (dir: string, env: string, service: string) =>
  parse(overlay(dir, env, service)) as { image: { tag: string; digest?: string }; chartRevision?: string };
export const application = (dir: string, env: string, service: string) =>
  parse(readFileSync(join(dir, `argocd/apps/${env}/${service}.yaml`), 'utf8')) as {
    metadata: { annotations: Record<string, string> };
    /** `source` alone for a chart pinned at a commit (it carries its values); `sources` for one following the branch. */
    spec: { source: ApplicationSource; sources?: ApplicationSource[] };
  };
interface ApplicationSource {
  path?: string;
  targetRevision: string;
  helm: { valueFiles?: string[]; valuesObject?: Record<string, unknown> };
}
export const appYaml = (dir: string, service: string) =>
  parse(readFileSync(join(dir, `apps/${service}/app.yaml`), 'utf8'));

/** Sets image.tag in an overlay and commits it, as a person or another tool would. */
export function setTag(dir: string, env: string, service: string, tag: string, push = false): string {
  edit(dir, overlayPath(env, service), (text) => text.replace(/tag: .*/, `tag: "${tag}"`));
  git(dir, 'commit', '-qam', `test: ${service} ${tag} in ${env}`);
  if (push) git(dir, 'push', '-q', 'origin', 'HEAD');
  return git(dir, 'rev-parse', 'HEAD');
}

/** The derived files that differ from what apps/ and environments/ call for: empty when `nx sync:check` passes. */
export function staleDerivedFiles(dir: string): string[] {
  const files = diskFiles(dir);
  const plan = planSync(files, derivedFiles(files, loadWorkspace(files)));
  return [...plan.write.keys(), ...plan.delete];
}

const berthBin = join(repo, 'tools/berth/bin/berth.js');

/** The real CLI, without blocking (a test's HTTP server must answer it), with variables set or removed (undefined). */
export function berthWith(cwd: string, env: Record<string, string | undefined>, ...args: string[]): Promise<Run> {
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...process.env, CI: 'true', ...env }))
    if (value !== undefined) merged[name] = value;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [berthBin, ...args], { cwd, env: merged });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

/** No GitHub token or server from the machine running the tests leaks into a test. */
export const NO_GITHUB = { GITHUB_TOKEN: undefined, GITHUB_API_URL: undefined, GITHUB_SERVER_URL: undefined };
