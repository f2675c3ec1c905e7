// Chart repositories for tests, serving charts the tests make with the real helm: an https-style Helm repository
// (`helm repo index` + a node HTTP server on 127.0.0.1) and the Distribution registry (`helm push --plain-http`).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
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
  /** Requests the Helm repository saw. */
  requests: string[];
  /** Makes, packages and publishes more charts (both repositories), re-indexing the Helm repository. */
  publish(charts: TestChart[]): void;
  /** Replaces a served file's bytes (a lying repository). */
  serveInstead(path: string, bytes: Buffer | string): void;
  stop(): Promise<void>;
}

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
  const overrides = new Map<string, Buffer>();
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '');
    requests.push(`/${path}`);
    try {
      const body = overrides.get(path) ?? readFileSync(join(served, path));
      response.writeHead(200, { 'content-type': path.endsWith('.yaml') ? 'text/yaml' : 'application/gzip' });
      response.end(body);
    } catch {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const helmRepo = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
    requests,
    publish,
    serveInstead: (path, bytes) => overrides.set(path, Buffer.from(bytes)),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await registry.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
