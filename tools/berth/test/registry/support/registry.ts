// Starts the real CNCF Distribution registry (Debian's docker-registry) on 127.0.0.1 for a test, and pushes images to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import type { TokenServer } from './token-server';

export const REGISTRY_BINARY = process.env.BERTH_TEST_REGISTRY_BINARY ?? '/usr/bin/docker-registry';

export interface RegistryOptions {
  /** Basic auth through an htpasswd file. */
  htpasswd?: { username: string; password: string };
  /** Bearer token auth against this token server. */
  token?: TokenServer;
}

export interface RunningRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function configYaml(dir: string, port: number, options: RegistryOptions): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    'http:',
    `  addr: 127.0.0.1:${port}`,
  ];
  if (options.htpasswd) {
    const file = join(dir, 'htpasswd');
    writeFileSync(file, `${options.htpasswd.username}:${bcrypt.hashSync(options.htpasswd.password, 6)}\n`);
    lines.push('auth:', '  htpasswd:', '    realm: berth-test', `    path: ${file}`);
  } else if (options.token) {
    const { realm, service, issuer, certificateFile } = options.token;
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${realm}`,
      `    service: ${service}`,
      `    issuer: ${issuer}`,
      `    rootcertbundle: ${certificateFile}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function waitUntilServing(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}:\n${output()}`);
    try {
      await fetch(`${url}/v2/`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`docker-registry did not start within 15 s:\n${output()}`);
}

export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  if (!existsSync(REGISTRY_BINARY)) {
    throw new Error(
      `${REGISTRY_BINARY} is missing: install Debian's docker-registry (apt-get install -y docker-registry), as .ci/run does.`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'berth-registry-'));
  const port = await freePort();
  const configFile = join(dir, 'config.yml');
  writeFileSync(configFile, configYaml(dir, port, options));
  const child = spawn(REGISTRY_BINARY, ['serve', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilServing(url, child, () => output);
  return {
    host: `127.0.0.1:${port}`,
    url,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- pushing images through the registry's HTTP API ----

export interface PushedImage {
  tag: string;
  /** The manifest digest, as the registry will report it. */
  digest: string;
  created: Date;
}

const sha256 = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function check(response: Response, what: string): Promise<Response> {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

/** Monolithic blob upload: POST for a session, PUT the bytes with their digest. */
export async function pushBlob(url: string, name: string, bytes: Buffer, authorization?: string): Promise<string> {
  const headers: Record<string, string> = authorization ? { authorization } : {};
  const digest = sha256(bytes);
  const session = await check(
    await fetch(`${url}/v2/${name}/blobs/uploads/`, { method: 'POST', headers }),
    `upload session for ${name}`,
  );
  const location = new URL(session.headers.get('location')!, url);
  location.searchParams.set('digest', digest);
  await check(
    await fetch(location, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      body: bytes,
    }),
    `blob ${digest}`,
  );
  return digest;
}

export async function pushManifest(
  url: string,
  name: string,
  reference: string,
  manifest: object,
  authorization?: string,
): Promise<string> {
  const bytes = Buffer.from(JSON.stringify(manifest));
  const mediaType = (manifest as { mediaType: string }).mediaType;
  const headers: Record<string, string> = { 'content-type': mediaType, ...(authorization ? { authorization } : {}) };
  await check(
    await fetch(`${url}/v2/${name}/manifests/${reference}`, { method: 'PUT', headers, body: bytes }),
    `manifest ${name}:${reference}`,
  );
  return sha256(bytes);
}

/** One single-platform OCI image per tag, each with its own config blob (so its own digest) created at `created`. */
export async function pushImage(
  url: string,
  name: string,
  tag: string,
  created: Date,
  authorization?: string,
  platform = { os: 'linux', architecture: 'amd64' },
): Promise<PushedImage & { size: number }> {
  const config = Buffer.from(
    JSON.stringify({
      created: created.toISOString(),
      ...platform,
      config: {},
      rootfs: { type: 'layers', diff_ids: [] },
    }),
  );
  const layer = randomBytes(64);
  const configDigest = await pushBlob(url, name, config, authorization);
  const layerDigest = await pushBlob(url, name, layer, authorization);
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layer.length }],
  };
  const digest = await pushManifest(url, name, tag, manifest, authorization);
  return { tag, digest, created, size: JSON.stringify(manifest).length };
}

/** A multi-platform image: an OCI index over an arm64 and an amd64 image, created at different times. */
export async function pushIndex(
  url: string,
  name: string,
  tag: string,
  created: { amd64: Date; arm64: Date },
  authorization?: string,
): Promise<PushedImage> {
  const arm = await pushImage(url, name, `${tag}-arm64`, created.arm64, authorization, {
    os: 'linux',
    architecture: 'arm64',
  });
  const amd = await pushImage(url, name, `${tag}-amd64`, created.amd64, authorization);
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: arm.digest,
        size: arm.size,
        platform: { os: 'linux', architecture: 'arm64' },
      },
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: amd.digest,
        size: amd.size,
        platform: { os: 'linux', architecture: 'amd64' },
      },
    ],
  };
  const digest = await pushManifest(url, name, tag, index, authorization);
  return { tag, digest, created: created.amd64 };
}
