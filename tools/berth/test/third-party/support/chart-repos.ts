// Chart repositories for tests, serving charts the tests make with the real helm: an https-style Helm repository
// (`helm repo index` + a node HTTP server on 127.0.0.1) and the Distribution registry (`helm push --plain-http`).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveHelm } from '../../../src/helm/binary';
import { startRegistry, type RunningRegistry } from '../../registry/support/registry';

export interface TestChart {
  name: string;
  version: string;
  /** Extra templates, by file name under templates/. */
  templates?: Record<string, string>;
}

export interface ChartRepos {
  dir: string;
  /** http://127.0.0.1:<port> serving index.yaml and the archives. */
  helmRepo: string;
  /** oci://127.0.0.1:<port>/charts */
  ociRepo: string;
  registry: RunningRegistry;
  /** HELM_* homes inside `dir`, so helm never reads or writes the user's. */
  helmEnv: NodeJS.ProcessEnv;
  /** Makes, packages and publishes more charts (both repositories), re-indexing the Helm repository. */
  publish(charts: TestChart[]): void;
  /** Replaces a served file's bytes (a lying repository). */
  serveInstead(path: string, bytes: Buffer | string): void;
  stop(): Promise<void>;
}

/** A static file server on 127.0.0.1 (a random port, printed on stdout) for the folder given as its argument. */
const SERVER = `
const { createServer } = require('node:http');
const { readFileSync } = require('node:fs');
const { join, normalize } = require('node:path');
const root = process.argv[1];
const server = createServer((request, response) => {
  const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname)).replace(/^[/]+/, '');
  try {
    const body = readFileSync(join(root, path));
    response.writeHead(200, { 'content-type': path.endsWith('.yaml') ? 'text/yaml' : 'application/gzip' });
    response.end(body);
  } catch {
    response.writeHead(404);
    response.end();
  }
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

export const helm = (args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string =>
  execFileSync(resolveHelm().path, args, { encoding: 'utf8', stdio: 'pipe', maxBuffer: 64 * 1024 * 1024, ...options });

export function makeChart(dir: string, chart: TestChart, env: NodeJS.ProcessEnv): string {
  const chartDir = join(dir, chart.name);
  rmSync(chartDir, { recursive: true, force: true });
  helm(['create', chart.name], { cwd: dir, env });
  const chartYaml = readFileSync(join(chartDir, 'Chart.yaml'), 'utf8').replace(
    /^version: .*$/m,
    `version: ${chart.version}`,
  );
  writeFileSync(join(chartDir, 'Chart.yaml'), chartYaml);
  for (const [file, text] of Object.entries(chart.templates ?? {}))
    writeFileSync(join(chartDir, 'templates', file), text);
  return chartDir;
}

export async function startChartRepos(charts: TestChart[]): Promise<ChartRepos> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-chart-repos-'));
  const served = join(dir, 'served');
  mkdirSync(served);
  const helmEnv = {
    ...process.env,
    HELM_CACHE_HOME: join(dir, 'helm/cache'),
    HELM_CONFIG_HOME: join(dir, 'helm/config'),
    HELM_DATA_HOME: join(dir, 'helm/data'),
  };
  // a process of its own, so a test may run helm synchronously against it
  const server = spawn(process.execPath, ['-e', SERVER, served], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    server.stdout!.once('data', (chunk) => resolve(String(chunk).trim()));
    server.once('exit', (code) => reject(new Error(`the chart repository server exited with ${code}`)));
  });
  const helmRepo = `http://127.0.0.1:${port}`;
  const registry = await startRegistry();
  const ociRepo = `oci://${registry.host}/charts`;
  const source = join(dir, 'source');
  mkdirSync(source);
  const publish = (more: TestChart[]) => {
    for (const chart of more) {
      const chartDir = makeChart(source, chart, helmEnv);
      helm(['package', chartDir, '-d', served], { env: helmEnv });
      helm(['push', join(served, `${chart.name}-${chart.version}.tgz`), ociRepo, '--plain-http'], { env: helmEnv });
    }
    helm(['repo', 'index', served, '--url', helmRepo], { env: helmEnv });
  };
  publish(charts);
  return {
    dir,
    helmRepo,
    ociRepo,
    registry,
    helmEnv,
    publish,
    serveInstead: (path, bytes) => writeFileSync(join(served, path), bytes),
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        await exited;
      }
      await registry.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
