// npm run cluster -- build --argocd | up --argocd: the real Argo CD, built from its Go module into the cache and run
// as local processes against the cluster (redis, repo-server, application controller, API server), as Argo CD's own
// local development runs it, with this repository served to it over git smart HTTP. down stops them before the
// control plane.
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, delimiter, dirname, join } from 'node:path';
import { connect } from 'node:net';
import { BerthError } from '../../berth/src/errors';
import { findOnPath } from '../../berth/src/util/program-path';
import {
  ARGOCD_NAMESPACE,
  ARGOCD_PACKAGE,
  ARGOCD_PROCESSES,
  argocdBuild,
  argocdConfigObjects,
  argocdEnvFile,
  argocdLdflags,
  argocdPlans,
  clientGoVersion,
  helmLdflags,
  helmRelease,
  servedRepoUrl,
  type ArgocdBuild,
  type ArgocdPorts,
  type ArgocdProcess,
} from './argocd-plan';
import { copyCrds, moduleDir, readRecords, type BuildRecord } from './build';
import type { ClusterState } from './cluster';
import { HOST } from './components';
import { probe } from './health';
import { kubectl } from './kubectl';
import {
  ARGOCD_GO_MODULE,
  argocdCacheLayout,
  HELM_GO_MODULE,
  REPOSITORY,
  type ArgocdCacheLayout,
  type StateLayout,
} from './layout';
import { freePorts } from './ports';
import { isRunning, runProgram, startComponent, stopComponent, waitUntilHealthy } from './process';

type Log = (line: string) => void;
const STOP_GRACE_MS = 10_000;
const HEALTH_TIMEOUT_MS = 180_000; // the controller's first cache sync on a loaded 2-core machine is slow
const BUILD_REVISION = 'argocd-1';
/**
 * The repo-server runs these from PATH (every manifest generation asks git-verify-wrapper.sh about the commit's
 * signature); Argo CD's image copies them from hack/ into /usr/local/bin, the build copies them beside the binary.
 */
const ARGOCD_SCRIPTS = ['git-verify-wrapper.sh', 'gpg-wrapper.sh'];

const FIX_GO =
  'Argo CD is built through the Go module proxy with the Go that tools/cluster/argocd/go.mod names on its toolchain ' +
  'line (the go command fetches that toolchain from the proxy): make sure GOPROXY reaches a proxy (go env GOPROXY) ' +
  'and run "npm run cluster -- build --argocd" again.';

export interface ArgocdState {
  version: string;
  ports: ArgocdPorts;
  /** host:port of the API server, as ARGOCD_SERVER says it */
  server: string;
  env: string;
  processes: { name: ArgocdProcess; pid: number; binary: string; health: string }[];
}

export function readArgocdBuild(): ArgocdBuild {
  const file = join(ARGOCD_GO_MODULE, 'go.mod');
  return argocdBuild(readFileSync(file, 'utf8'), file);
}

/** The go command's environment for Argo CD's module: its toolchain line decides the Go, whatever the machine's is. */
function argocdGoEnv(build: ArgocdBuild): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOTOOLCHAIN: build.toolchain ?? 'local',
    GOFLAGS: process.env.GOFLAGS ?? '-buildvcs=false',
    CGO_ENABLED: '0', // as Argo CD's Makefile builds it on Linux: a static binary
  };
}

/** go build of one package into `output`, through a temporary file so a cut build leaves no half-written binary. */
function goBuild(cwd: string, env: NodeJS.ProcessEnv, flags: string[], output: string, pkg: string): void {
  const temporary = `${output}.tmp-${process.pid}`;
  try {
    runProgram('go', ['build', ...flags, '-o', temporary, pkg], {
      cwd,
      env,
      inherit: true,
      fix: FIX_GO,
    });
    renameSync(temporary, output);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * Builds Argo CD's binary and the repo-server's Helm, and copies Argo CD's CRDs and hack/ scripts, where the cache
 * lacks them or they are stale; quick when all is there.
 */
export function buildArgocd(log: Log): { build: ArgocdBuild; cache: ArgocdCacheLayout } {
  const build = readArgocdBuild();
  const cache = argocdCacheLayout(build.version);
  const env = argocdGoEnv(build);
  const goMod = readFileSync(join(ARGOCD_GO_MODULE, 'go.mod'), 'utf8');
  const goSum = readFileSync(join(ARGOCD_GO_MODULE, 'go.sum'), 'utf8');
  const goVersion = runProgram('go', ['env', 'GOVERSION'], { cwd: ARGOCD_GO_MODULE, env, fix: FIX_GO }).trim();
  const sum = createHash('sha256').update(goSum).digest('hex').slice(0, 16);
  const module = { name: 'argo-cd', module: 'github.com/argoproj/argo-cd/v3', version: `v${build.version}` };
  // Helm's module says go 1.26: the machine's Go builds it
  const localEnv = { ...env, GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local' };
  const localGo = runProgram('go', ['env', 'GOVERSION'], { cwd: HELM_GO_MODULE, env: localEnv, fix: FIX_GO }).trim();
  const helmGoMod = join(HELM_GO_MODULE, 'go.mod');
  const helm = helmRelease(readFileSync(helmGoMod, 'utf8'), helmGoMod);
  const helmSum = createHash('sha256')
    .update(readFileSync(join(HELM_GO_MODULE, 'go.sum')))
    .digest('hex')
    .slice(0, 16);
  const expected: BuildRecord = {
    argocd: `${build.version} (${goVersion}, go.sum ${sum}, ${BUILD_REVISION})`,
    helm: `${helm} (${localGo}, go.sum ${helmSum}, ${BUILD_REVISION})`,
    crds: `${module.module}@${module.version}`,
    scripts: `${module.module}@${module.version}`,
  };
  const recorded = readRecords(cache.versions);
  const records = { ...recorded };
  const save = (name: string) => {
    records[name] = expected[name];
    writeFileSync(cache.versions, `${JSON.stringify(records, null, 2)}\n`);
  };
  const bin = dirname(cache.binary);
  mkdirSync(bin, { recursive: true });

  if (recorded.argocd !== expected.argocd || !existsSync(cache.binary)) {
    log(
      `building Argo CD ${build.version} with ${goVersion} into ${cache.binary} (a cold build takes tens of minutes)`,
    );
    const started = Date.now();
    const kubectlVersion = clientGoVersion(goMod) ?? 'unknown';
    // as Argo CD's Makefile builds it
    const ldflags = argocdLdflags(build.version, kubectlVersion);
    goBuild(ARGOCD_GO_MODULE, env, ['-ldflags', ldflags], cache.binary, ARGOCD_PACKAGE);
    save('argocd');
    log(`built Argo CD ${build.version} in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  if (recorded.helm !== expected.helm || !existsSync(cache.helm)) {
    log(`building Helm ${helm} (the repo-server's) with ${localGo} into ${cache.helm}`);
    const started = Date.now();
    // as Helm's Makefile builds it
    goBuild(
      HELM_GO_MODULE,
      localEnv,
      ['-trimpath', '-ldflags', helmLdflags(helm)],
      cache.helm,
      'helm.sh/helm/v4/cmd/helm',
    );
    save('helm');
    log(`built Helm ${helm} in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  if (recorded.crds !== expected.crds || !existsSync(cache.crds)) {
    copyCrds({ ...module, folder: 'manifests/crds' }, cache.crds, ARGOCD_GO_MODULE, env);
    save('crds');
  }
  if (recorded.scripts !== expected.scripts || ARGOCD_SCRIPTS.some((name) => !existsSync(join(bin, name)))) {
    const dir = moduleDir(module.module, module.version, ARGOCD_GO_MODULE, env);
    for (const name of ARGOCD_SCRIPTS) {
      const temporary = join(bin, `${name}.tmp-${process.pid}`);
      copyFileSync(join(dir, 'hack', name), temporary);
      chmodSync(temporary, 0o755);
      renameSync(temporary, join(bin, name));
    }
    save('scripts');
  }
  return { build, cache };
}

const pidFile = (layout: StateLayout, name: ArgocdProcess) => join(layout.run, `${name}.pid`);

function recordedProcesses(layout: StateLayout): { name: ArgocdProcess; pid: number; binary: string }[] {
  return ARGOCD_PROCESSES.flatMap((name) => {
    try {
      const [pid, binary] = readFileSync(pidFile(layout, name), 'utf8').trim().split('\n');
      return [{ name, pid: Number(pid), binary }];
    } catch {
      return [];
    }
  });
}

function readArgocdState(layout: StateLayout): ArgocdState | undefined {
  try {
    return JSON.parse(readFileSync(layout.argocdState, 'utf8')) as ArgocdState;
  } catch {
    return undefined;
  }
}

/** Resolves to whether a Redis at redis://host:port answers PING with PONG. */
function redisPing(url: string, timeoutMs = 2000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let said = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      said += chunk.toString();
      if (said.includes('\r\n')) finish(said.startsWith('+PONG'));
    });
    socket.on('error', () => finish(false));
  });
}

const answers = async (health: string) =>
  health.startsWith('redis:') ? redisPing(health) : (await probe(health, undefined)) === 200;

/** POSTs JSON to Argo CD's API server and returns the answer's `token`. */
async function postForToken(url: string, body: object, bearer?: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const token = response.ok ? (JSON.parse(text) as { token?: string }).token : undefined;
  if (!token) {
    throw new BerthError(`POST ${url} answered ${response.status}: ${text.slice(0, 500)}`, {
      fix: 'read dist/cluster/logs/argocd-server.log; "npm run cluster -- down" then "up --argocd" starts afresh.',
    });
  }
  return token;
}

/** An API token of the admin account: log in with the password, then ask for a token that does not expire. */
async function adminToken(server: string, password: string): Promise<string> {
  const session = await postForToken(`http://${server}/api/v1/session`, { username: 'admin', password });
  return postForToken(`http://${server}/api/v1/account/admin/token`, { name: 'admin', id: 'berth-cluster' }, session);
}

/**
 * Starts Argo CD against the running cluster unless it already runs: its CRDs, namespace and settings, then redis,
 * repo-server, application controller and API server, each waited for; writes argocd.env with an admin API token.
 */
export async function upArgocd(log: Log, cluster: ClusterState, layout: StateLayout): Promise<ArgocdState> {
  const { build, cache } = buildArgocd(log);
  const previous = readArgocdState(layout);
  if (previous && previous.version === build.version && (await argocdHealthy(previous))) {
    log(`Argo CD ${previous.version} already runs at ${previous.server} (${previous.env})`);
    return previous;
  }
  await stopArgocd(() => {}, layout);
  const redis = findOnPath('redis-server');
  if (!redis) {
    throw new BerthError('redis-server is not on PATH; Argo CD keeps its caches in Redis.', {
      fix: "install Debian's package: apt-get install redis-server (its service need not run: up starts its own).",
    });
  }

  const run = (args: string[], input?: string) => kubectl(cluster.kubectl, cluster.kubeconfig, args, input);
  run(['apply', '--server-side', '--force-conflicts', '-f', cache.crds]);
  run(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=120s']);

  const [gitPort, redisPort, repoServer, repoServerMetrics, controllerMetrics, serverPort, serverMetrics] =
    await freePorts(7);
  const ports: ArgocdPorts = {
    git: gitPort,
    redis: redisPort,
    repoServer,
    repoServerMetrics,
    controllerMetrics,
    server: serverPort,
    serverMetrics,
  };
  const server = `${HOST}:${ports.server}`;
  const password = randomBytes(18).toString('base64url');
  // through stdin, so the password shows in no process list; the command prompts "Password: " on stdout first
  const bcrypt = runProgram(cache.binary, ['account', 'bcrypt'], {
    env: { ...process.env, ARGOCD_BINARY_NAME: 'argocd' },
    input: `${password}\n`,
  });
  const adminPasswordHash = /\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}/.exec(bcrypt)?.[0];
  if (!adminPasswordHash) throw new BerthError(`argocd account bcrypt printed no bcrypt hash: ${bcrypt.slice(0, 200)}`);
  const secrets = {
    serverSecretKey: randomBytes(32).toString('base64url'),
    adminPasswordHash,
    adminPasswordMtime: new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
  };
  run(['apply', '-f', '-'], JSON.stringify(argocdConfigObjects(secrets, `http://${server}`)));

  for (const dir of ['tls', 'ssh', 'gpg/keys', 'gpg/source', 'plugins']) {
    mkdirSync(join(layout.argocdData, dir), { recursive: true, mode: 0o700 });
  }
  const path = [dirname(cache.binary), process.env.PATH ?? ''].join(delimiter);
  const repository = {
    root: dirname(REPOSITORY),
    name: basename(REPOSITORY),
    script: join(__dirname, 'git-server.ts'),
    register: join(REPOSITORY, 'tools', 'berth', 'bin', 'register.js'),
  };
  const plans = argocdPlans(ports, { kubeconfig: cluster.kubeconfig, data: layout.argocdData, path, repository });
  const processes: ArgocdState['processes'] = [];
  try {
    for (const plan of plans) {
      const binary = plan.program === 'argocd' ? cache.binary : plan.program === 'node' ? process.execPath : redis;
      const logFile = join(layout.logs, `${plan.name}.log`);
      writeFileSync(logFile, `# ${new Date().toISOString()} ${binary} ${plan.args.join(' ')}\n`);
      const pid = startComponent(binary, plan.args, logFile, { ...process.env, ...plan.env });
      writeFileSync(pidFile(layout, plan.name), `${pid}\n${binary}\n`);
      await waitUntilHealthy({
        name: plan.name,
        pid,
        binary,
        logFile,
        health: plan.health,
        timeoutMs: HEALTH_TIMEOUT_MS,
        answers: () => answers(plan.health),
        restart: 'up --argocd',
      });
      processes.push({ name: plan.name, pid, binary, health: plan.health });
      log(`${plan.name} up (pid ${pid})`);
    }
    const token = await adminToken(server, password);
    writeFileSync(layout.argocdEnv, argocdEnvFile(server, token, servedRepoUrl(ports, repository.name)), {
      mode: 0o600,
    });
  } catch (error) {
    await stopArgocd(() => {}, layout);
    throw error;
  }
  const state: ArgocdState = { version: build.version, ports, server, env: layout.argocdEnv, processes };
  writeFileSync(layout.argocdState, `${JSON.stringify(state, null, 2)}\n`);
  log(`Argo CD ${build.version} runs at http://${server} in namespace ${ARGOCD_NAMESPACE}: ${layout.argocdEnv}`);
  return state;
}

async function argocdHealthy(state: ArgocdState): Promise<boolean> {
  for (const { pid, binary, health } of state.processes) {
    if (!isRunning(pid, binary) || !(await answers(health))) return false;
  }
  return state.processes.length === ARGOCD_PROCESSES.length;
}

/** Stops Argo CD's recorded processes, last started first; nothing to do when none runs. */
export async function stopArgocd(log: Log, layout: StateLayout): Promise<void> {
  for (const { name, pid, binary } of recordedProcesses(layout).reverse()) {
    const outcome = await stopComponent(pid, binary, STOP_GRACE_MS);
    log(
      `${name}: ${outcome === 'gone' ? 'was not running' : outcome === 'killed' ? `killed after ${STOP_GRACE_MS / 1000} s` : 'stopped'}`,
    );
    rmSync(pidFile(layout, name), { force: true });
  }
  rmSync(layout.argocdState, { force: true });
  rmSync(layout.argocdEnv, { force: true });
}

/** Prints each Argo CD process with its pid and health; undefined when Argo CD was not started. */
export async function argocdStatus(log: Log, layout: StateLayout): Promise<boolean | undefined> {
  const processes = recordedProcesses(layout);
  if (processes.length === 0) return undefined;
  const state = readArgocdState(layout);
  let allUp = true;
  for (const { name, pid, binary } of processes) {
    const running = isRunning(pid, binary);
    const health = state?.processes.find((candidate) => candidate.name === name)?.health;
    const ok = running && health !== undefined && (await answers(health));
    allUp &&= ok;
    log(
      `${name.padEnd(30)} ${running ? `running, pid ${pid}` : 'not running'}${health ? `, ${health} ${ok ? 'ok' : 'no answer'}` : ''}`,
    );
  }
  if (state) log(`Argo CD ${state.version} at http://${state.server}: ${state.env}`);
  return allUp && state !== undefined && processes.length === ARGOCD_PROCESSES.length;
}
