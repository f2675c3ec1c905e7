// Where registry credentials come from, in order, and how they are named in messages.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  credentialFromDockerConfig,
  describeCredential,
  hostEnvPrefix,
  lookupCredential,
} from '../../src/registry/auth';

const file = { path: '/home/ci/.docker/config.json', shown: '~/.docker/config.json' };
const b64 = (text: string) => Buffer.from(text).toString('base64');

function home(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-auth-'));
  mkdirSync(join(dir, '.docker'));
  writeFileSync(join(dir, '.docker', 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

describe('hostEnvPrefix', () => {
  it.each([
    ['127.0.0.1:5000', 'BERTH_REGISTRY_127_0_0_1_5000'],
    ['ghcr.io', 'BERTH_REGISTRY_GHCR_IO'],
    ['registry-1.example.com:443', 'BERTH_REGISTRY_REGISTRY_1_EXAMPLE_COM_443'],
  ])('%s → %s', (registry, prefix) => expect(hostEnvPrefix(registry)).toBe(prefix));
});

describe('credentialFromDockerConfig', () => {
  it.each([
    ['auth', { auths: { 'ghcr.io': { auth: b64('bot:pa:ss') } } }, { username: 'bot', password: 'pa:ss' }],
    [
      'username/password',
      { auths: { 'ghcr.io': { username: 'bot', password: 'pw' } } },
      { username: 'bot', password: 'pw' },
    ],
    ['a URL key', { auths: { 'https://ghcr.io/v2/': { auth: b64('bot:pw') } } }, { username: 'bot', password: 'pw' }],
    ['another host only', { auths: { 'quay.io': { auth: b64('bot:pw') } } }, undefined],
    ['no auths', {}, undefined],
  ])('%s', (_name, config, expected) => {
    const { credential } = credentialFromDockerConfig('ghcr.io', config, file);
    expect(credential && { username: credential.username, password: credential.password }).toEqual(expected);
  });

  it("finds Docker Hub under docker's own key", () => {
    const { credential } = credentialFromDockerConfig(
      'docker.io',
      { auths: { 'https://index.docker.io/v1/': { auth: b64('me:pw') } } },
      file,
    );
    expect(credential?.username).toBe('me');
  });

  it('notes credential helpers and identity tokens it cannot use', () => {
    expect(credentialFromDockerConfig('ghcr.io', { credHelpers: { 'ghcr.io': 'gh' } }, file).notes).toEqual([
      '~/.docker/config.json sends ghcr.io to the credential helper "docker-credential-gh", which berth does not run',
    ]);
    expect(
      credentialFromDockerConfig('ghcr.io', { auths: { 'ghcr.io': { identitytoken: 't' } } }, file).notes[0],
    ).toMatch(/identity token/);
  });

  it('refuses an auth that is not base64 of user:password, naming file and field', () => {
    expect(() =>
      credentialFromDockerConfig('ghcr.io', { auths: { 'ghcr.io': { auth: b64('nocolon') } } }, file),
    ).toThrow(/^\/home\/ci\/\.docker\/config\.json: auths\["ghcr\.io"\]\.auth: is not base64/);
  });
});

describe('lookupCredential', () => {
  it('prefers the per-host variables, then the global ones, then the Docker config', () => {
    const dir = home({ auths: { 'ghcr.io': { auth: b64('file:pw') } } });
    const perHost = {
      HOME: dir,
      BERTH_REGISTRY_GHCR_IO_USERNAME: 'host',
      BERTH_REGISTRY_GHCR_IO_PASSWORD: 'pw',
      BERTH_REGISTRY_USERNAME: 'global',
      BERTH_REGISTRY_PASSWORD: 'pw',
    };
    expect(lookupCredential('ghcr.io', perHost).credential).toMatchObject({
      username: 'host',
      source: 'env BERTH_REGISTRY_GHCR_IO_USERNAME/BERTH_REGISTRY_GHCR_IO_PASSWORD',
    });
    expect(
      lookupCredential('ghcr.io', { HOME: dir, BERTH_REGISTRY_USERNAME: 'global', BERTH_REGISTRY_PASSWORD: 'pw' })
        .credential?.username,
    ).toBe('global');
    expect(lookupCredential('ghcr.io', { HOME: dir }).credential).toMatchObject({
      username: 'file',
      source: '~/.docker/config.json',
    });
    expect(lookupCredential('quay.io', { HOME: dir }).credential).toBeUndefined();
  });

  it('reads $DOCKER_CONFIG/config.json when set', () => {
    const dir = home({ auths: { 'ghcr.io': { auth: b64('elsewhere:pw') } } });
    const lookup = lookupCredential('ghcr.io', { HOME: '/nonexistent', DOCKER_CONFIG: join(dir, '.docker') });
    expect(lookup.credential).toMatchObject({ username: 'elsewhere', source: join(dir, '.docker', 'config.json') });
  });

  it('refuses half a pair of variables', () => {
    expect(() => lookupCredential('ghcr.io', { BERTH_REGISTRY_GHCR_IO_USERNAME: 'bot' })).toThrow(
      /BERTH_REGISTRY_GHCR_IO_USERNAME is set but BERTH_REGISTRY_GHCR_IO_PASSWORD is not/,
    );
  });

  it('names an unreadable Docker config', () => {
    const dir = home('{ not json');
    expect(() => lookupCredential('ghcr.io', { HOME: dir })).toThrow(
      /config\.json: cannot be read as JSON\.\nFix: .*DOCKER_CONFIG/,
    );
  });

  it('describes a credential without its secret', () => {
    const text = describeCredential({
      registry: 'ghcr.io',
      credential: { username: 'bot', password: 'hunter2', source: '~/.docker/config.json' },
      searched: [],
      notes: [],
    });
    expect(text).toBe('basic auth for ghcr.io as "bot" from ~/.docker/config.json');
  });
});
