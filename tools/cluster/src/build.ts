// Builds the control plane once per version into the cache: kube-apiserver, kube-controller-manager, kube-scheduler,
// etcd and kwok from tools/cluster/go.mod, and copies the example's CRDs and kwok's stages out of their Go modules.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { CacheLayout, GO_MODULE } from './layout';
import { runProgram } from './process';
import { ComponentVersions, CRD_SOURCES, CrdSource, KWOK_STAGE_FILES } from './versions';

/** The package each binary is built from, relative to tools/cluster's module. */
export const COMPONENT_PACKAGES = {
  etcd: './cmd/etcd',
  'kube-apiserver': 'k8s.io/kubernetes/cmd/kube-apiserver',
  'kube-controller-manager': 'k8s.io/kubernetes/cmd/kube-controller-manager',
  'kube-scheduler': 'k8s.io/kubernetes/cmd/kube-scheduler',
  kwok: 'sigs.k8s.io/kwok/cmd/kwok',
  // the stand-in for the EBS CSI driver: claims of gp3 bind as on EKS (cmd/provisioner/main.go)
  provisioner: './cmd/provisioner',
} as const;
export type Component = keyof typeof COMPONENT_PACKAGES;
export const COMPONENTS = Object.keys(COMPONENT_PACKAGES) as Component[];

/**
 * The version the Kubernetes binaries report (kubectl version, Helm's .Capabilities.KubeVersion, Argo CD): set at link
 * time as Kubernetes' own build does (hack/lib/version.sh); without it they say v0.0.0-master.
 */
export function versionLdflags(kubernetes: string): string {
  const [major, minor] = kubernetes.split('.');
  const values = { gitVersion: `v${kubernetes}`, gitMajor: major, gitMinor: minor };
  return ['k8s.io/client-go/pkg/version', 'k8s.io/component-base/version']
    .flatMap((pkg) => Object.entries(values).map(([key, value]) => `-X ${pkg}.${key}=${value}`))
    .join(' ');
}
/** berth's kwok stages standing in for the AWS Load Balancer Controller and External Secrets (status only). */
export const STAND_IN_STAGES = join(GO_MODULE, 'stages', 'controller-stand-ins.yaml');

/** Bumped when the build's flags change, so binaries built the old way are rebuilt. */
const BUILD_REVISION = 'ldflags-version-1';

/** What versions.json records for each built thing: a binary is rebuilt when its record differs. */
export type BuildRecord = Record<string, string>;

const FIX_GO =
  'the cluster is built with Go 1.26 from the Go module proxy: install Go 1.26 (https://go.dev/dl/), make sure ' +
  'GOPROXY reaches a proxy (go env GOPROXY), and run "npm run cluster -- build" again.';

/** The record each binary and each CRD folder should carry for these versions and this go.sum. */
export function expectedRecords(versions: ComponentVersions, goVersion: string, goSum: string): BuildRecord {
  const sum = createHash('sha256').update(goSum).digest('hex').slice(0, 16);
  const records: BuildRecord = {};
  const built = (version: string) => `${version} (${goVersion}, go.sum ${sum}, ${BUILD_REVISION})`;
  records.etcd = built(versions.etcd);
  records['kube-apiserver'] = built(versions.kubernetes);
  records['kube-controller-manager'] = built(versions.kubernetes);
  records['kube-scheduler'] = built(versions.kubernetes);
  records.kwok = built(versions.kwok);
  records.provisioner = built(versions.kubernetes);
  // kwok's own stages, and berth's stand-ins for the controllers EKS runs: a changed stand-in rewrites the file
  const standIns = createHash('sha256').update(readFileSync(STAND_IN_STAGES, 'utf8')).digest('hex').slice(0, 16);
  records['kwok-stages'] = `${versions.kwok} + stand-ins ${standIns}`;
  for (const source of CRD_SOURCES) records[`crds/${source.name}`] = `${source.module}@${source.version}`;
  return records;
}

/** What is missing or stale: a pure comparison of what should be there with what versions.json says is there. */
export function staleEntries(
  expected: BuildRecord,
  recorded: BuildRecord,
  exists: (name: string) => boolean,
): string[] {
  return Object.keys(expected).filter((name) => recorded[name] !== expected[name] || !exists(name));
}

export function readRecords(file: string): BuildRecord {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as BuildRecord;
  } catch {
    return {};
  }
}

export function goEnv(): NodeJS.ProcessEnv {
  // the module's go.mod says go 1.26.0; a newer toolchain is fine, an older one must not silently download another
  return {
    ...process.env,
    GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local',
    GOFLAGS: process.env.GOFLAGS ?? '-buildvcs=false',
  };
}

/** Where the module cache holds `module@version` (downloaded through the proxy first), asked in module `cwd`. */
export function moduleDir(module: string, version: string, cwd = GO_MODULE, env = goEnv()): string {
  const out = runProgram('go', ['mod', 'download', '-json', `${module}@${version}`], { cwd, env, fix: FIX_GO });
  const { Dir, Error: failure } = JSON.parse(out) as { Dir?: string; Error?: string };
  if (!Dir) throw new Error(`go mod download ${module}@${version}: ${failure ?? 'no Dir'}`);
  return Dir;
}

/** Copies a module folder's CRD files into `into`, whole or not at all. */
export function copyCrds(source: CrdSource, into: string, cwd = GO_MODULE, env = goEnv()): void {
  const from = join(moduleDir(source.module, source.version, cwd, env), source.folder);
  const files = readdirSync(from).filter((name) => /\.ya?ml$/.test(name) && name !== 'kustomization.yaml');
  if (files.length === 0) throw new Error(`${source.module}@${source.version} has no CRD files in ${source.folder}`);
  const temporary = `${into}.tmp-${process.pid}`;
  rmSync(temporary, { recursive: true, force: true });
  mkdirSync(temporary, { recursive: true });
  for (const file of files) copyFileSync(join(from, file), join(temporary, file));
  rmSync(into, { recursive: true, force: true });
  renameSync(temporary, into);
}

function writeKwokStages(version: string, into: string): void {
  const dir = moduleDir('sigs.k8s.io/kwok', `v${version}`);
  const stages = KWOK_STAGE_FILES.map((file) => readFileSync(join(dir, file), 'utf8').trim()).join('\n---\n');
  writeFileSync(
    into,
    `# kwok's stages from sigs.k8s.io/kwok@v${version} (${KWOK_STAGE_FILES.length} files)\n${stages}\n` +
      `---\n# berth's controller stand-ins (tools/cluster/stages)\n${readFileSync(STAND_IN_STAGES, 'utf8').trim()}\n`,
  );
}

/** Builds what is missing or stale, recording each piece in versions.json as it lands; quick when all is there. */
export function buildCluster(versions: ComponentVersions, cache: CacheLayout, log: (line: string) => void): void {
  const goVersion = runProgram('go', ['env', 'GOVERSION'], { env: goEnv(), fix: FIX_GO }).trim();
  const goSum = readFileSync(join(GO_MODULE, 'go.sum'), 'utf8');
  const expected = expectedRecords(versions, goVersion, goSum);
  const recorded = readRecords(cache.versions);
  const pathOf = (name: string) =>
    name === 'kwok-stages'
      ? cache.kwokStages
      : name.startsWith('crds/')
        ? join(cache.root, name)
        : join(cache.bin, name);
  const stale = staleEntries(expected, recorded, (name) => existsSync(pathOf(name)));
  if (stale.length === 0) return;
  mkdirSync(cache.bin, { recursive: true });
  mkdirSync(cache.crds, { recursive: true });

  const records = { ...recorded };
  const save = (names: string[]) => {
    for (const name of names) records[name] = expected[name];
    writeFileSync(cache.versions, `${JSON.stringify(records, null, 2)}\n`);
  };

  const binaries = stale.filter((name): name is Component => name in COMPONENT_PACKAGES);
  if (binaries.length > 0) {
    log(`building ${binaries.join(', ')} with ${goVersion} into ${cache.bin} (a cold build takes tens of minutes)`);
    const started = Date.now();
    // one go build for all: the packages they share compile once; into a temporary folder, so a cut build leaves
    // no half-written binary behind
    const temporary = join(cache.root, `bin.tmp-${process.pid}`);
    rmSync(temporary, { recursive: true, force: true });
    mkdirSync(temporary, { recursive: true });
    try {
      runProgram(
        'go',
        [
          'build',
          '-ldflags',
          versionLdflags(versions.kubernetes),
          '-o',
          `${temporary}/`,
          ...binaries.map((name) => COMPONENT_PACKAGES[name]),
        ],
        {
          cwd: GO_MODULE,
          env: goEnv(),
          inherit: true,
          fix: FIX_GO,
        },
      );
      for (const name of binaries) renameSync(join(temporary, name), join(cache.bin, name));
    } finally {
      rmSync(temporary, { recursive: true, force: true });
    }
    save(binaries);
    log(`built ${binaries.join(', ')} in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  if (stale.includes('kwok-stages')) {
    writeKwokStages(versions.kwok, cache.kwokStages);
    save(['kwok-stages']);
  }
  for (const source of CRD_SOURCES) {
    if (!stale.includes(`crds/${source.name}`)) continue;
    copyCrds(source, join(cache.crds, source.name));
    save([`crds/${source.name}`]);
  }
}
