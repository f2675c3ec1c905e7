// Finds basic credentials for a registry host: environment variables first, then the Docker config file.
//
// Environment variables, checked in this order:
//   BERTH_REGISTRY_<HOST>_USERNAME / BERTH_REGISTRY_<HOST>_PASSWORD   one registry; <HOST> is the host
//       and port upper-cased with every other character as "_", e.g. 127.0.0.1:5000 → BERTH_REGISTRY_127_0_0_1_5000_USERNAME
//   BERTH_REGISTRY_USERNAME / BERTH_REGISTRY_PASSWORD                 every registry that is not ECR
//   DOCKER_CONFIG      the folder holding config.json (as for the docker CLI); ~/.docker by default
// From config.json, `auths[<host>]` is read: `auth` (base64 of "user:password") or `username`/`password`.
// Docker credential helpers (`credsStore`, `credHelpers`) are not run; `docker login` with a helper stores nothing
// berth can read, so berth says so when it goes anonymous.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AccessRefused } from './refused';
import { DOCKER_HUB } from './reference';

export interface BasicCredential {
  username: string;
  password: string;
  /** Where it came from, for messages: an environment variable pair or the config file. */
  source: string;
}

export interface CredentialLookup {
  registry: string;
  credential?: BasicCredential;
  /** Where berth looked, for the message when it goes anonymous. */
  searched: string[];
  /** Something found that berth cannot use, e.g. a credential helper. */
  notes: string[];
}

/** `127.0.0.1:5000` → `BERTH_REGISTRY_127_0_0_1_5000`. */
export function hostEnvPrefix(registry: string): string {
  return `BERTH_REGISTRY_${registry.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

function pairFromEnv(env: NodeJS.ProcessEnv, prefix: string): BasicCredential | undefined {
  const userVar = `${prefix}_USERNAME`;
  const passwordVar = `${prefix}_PASSWORD`;
  const username = env[userVar];
  const password = env[passwordVar];
  if (!username && !password) return undefined;
  if (!username || !password) {
    const [set, missing] = username ? [userVar, passwordVar] : [passwordVar, userVar];
    throw new AccessRefused(`${set} is set but ${missing} is not.`, {
      field: missing,
      fix: `set both ${userVar} and ${passwordVar}, or neither.`,
    });
  }
  return { username, password, source: `env ${userVar}/${passwordVar}` };
}

export function credentialFromEnv(registry: string, env: NodeJS.ProcessEnv): BasicCredential | undefined {
  return pairFromEnv(env, hostEnvPrefix(registry)) ?? pairFromEnv(env, 'BERTH_REGISTRY');
}

export function dockerConfigPath(env: NodeJS.ProcessEnv): string {
  return join(env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker'), 'config.json');
}

/** `https://index.docker.io/v1/` → `index.docker.io`: docker keys auths by URL or by host. */
function authsKeyHost(key: string): string {
  return key
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
}

function hostAliases(registry: string): string[] {
  return registry === DOCKER_HUB ? [DOCKER_HUB, 'index.docker.io', 'registry-1.docker.io'] : [registry];
}

interface DockerConfigFile {
  path: string;
  /** How to name it in messages: `~/.docker/config.json` when under HOME. */
  shown: string;
}

/** Pure: the basic credential `config` (a parsed config.json) holds for `registry`, if any. */
export function credentialFromDockerConfig(
  registry: string,
  config: unknown,
  file: DockerConfigFile,
): { credential?: BasicCredential; notes: string[] } {
  const notes: string[] = [];
  if (typeof config !== 'object' || config === null) {
    throw new AccessRefused('is not a JSON object.', {
      file: file.path,
      fix: 'repair the file, or run `docker login` to rewrite it.',
    });
  }
  const { auths, credHelpers, credsStore } = config as {
    auths?: unknown;
    credHelpers?: Record<string, unknown>;
    credsStore?: unknown;
  };
  const aliases = hostAliases(registry);
  const entryKey =
    auths && typeof auths === 'object'
      ? Object.keys(auths).find((key) => aliases.includes(authsKeyHost(key)))
      : undefined;
  const entry = entryKey === undefined ? undefined : (auths as Record<string, unknown>)[entryKey];
  if (entry && typeof entry === 'object') {
    const { auth, username, password, identitytoken } = entry as Record<string, unknown>;
    const field = `auths["${entryKey}"]`;
    if (typeof auth === 'string' && auth !== '') {
      const decoded = Buffer.from(auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon <= 0) {
        throw new AccessRefused('is not base64 of "username:password".', {
          file: file.path,
          field: `${field}.auth`,
          fix: `run \`docker login ${registry}\` again, or correct the entry.`,
        });
      }
      return {
        credential: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), source: file.shown },
        notes,
      };
    }
    if (typeof username === 'string' && username !== '' && typeof password === 'string') {
      return { credential: { username, password, source: file.shown }, notes };
    }
    if (typeof identitytoken === 'string' && identitytoken !== '')
      notes.push(`${file.shown} ${field} holds an identity token, which berth does not use`);
  }
  const helper = aliases.map((alias) => credHelpers?.[alias]).find((value) => typeof value === 'string') ?? credsStore;
  if (typeof helper === 'string' && helper !== '') {
    notes.push(
      `${file.shown} sends ${registry} to the credential helper "docker-credential-${helper}", which berth does not run`,
    );
  }
  return { notes };
}

function readDockerConfig(env: NodeJS.ProcessEnv): { config?: unknown; file: DockerConfigFile } {
  const path = dockerConfigPath(env);
  const home = env.HOME || homedir();
  const file = { path, shown: path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path };
  if (!existsSync(path)) return { file };
  try {
    return { config: JSON.parse(readFileSync(path, 'utf8')), file };
  } catch (error) {
    throw new AccessRefused('cannot be read as JSON.', {
      file: path,
      fix: 'repair the file, or point DOCKER_CONFIG at a folder with a valid config.json.',
      cause: error,
    });
  }
}

/** The credential berth will offer `registry`, and where it looked. Reads the Docker config file. */
export function lookupCredential(registry: string, env: NodeJS.ProcessEnv): CredentialLookup {
  const prefix = hostEnvPrefix(registry);
  const searched = [`env ${prefix}_USERNAME/_PASSWORD`, 'env BERTH_REGISTRY_USERNAME/_PASSWORD'];
  const fromEnv = credentialFromEnv(registry, env);
  if (fromEnv) return { registry, credential: fromEnv, searched, notes: [] };
  const { config, file } = readDockerConfig(env);
  searched.push(file.shown);
  if (config === undefined) return { registry, searched, notes: [] };
  const { credential, notes } = credentialFromDockerConfig(registry, config, file);
  return { registry, credential, searched, notes };
}

/** Names the credential tried, never its secret: `basic auth for 127.0.0.1:5000 as "ci" from ~/.docker/config.json`. */
export function describeCredential(lookup: CredentialLookup): string {
  if (lookup.credential)
    return `basic auth for ${lookup.registry} as "${lookup.credential.username}" from ${lookup.credential.source}`;
  const notes = lookup.notes.length ? `; ${lookup.notes.join('; ')}` : '';
  return `anonymous access to ${lookup.registry} (no credentials in ${lookup.searched.join(', ')}${notes})`;
}

export function basicAuthorization(credential: BasicCredential): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
}

/** What to tell a person whose registry credentials did not work. */
export function credentialFix(registry: string): string {
  const prefix = hostEnvPrefix(registry);
  return `give berth credentials that may pull from ${registry}: set ${prefix}_USERNAME and ${prefix}_PASSWORD, or run \`docker login ${registry}\` (berth reads auths from the Docker config file).`;
}
