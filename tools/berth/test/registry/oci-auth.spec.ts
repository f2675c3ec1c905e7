// Registry credentials against the real registry: htpasswd basic auth and bearer tokens from a token server.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryFor } from '../../src/registry';
import { pushImage, startRegistry, type PushedImage, type RunningRegistry } from './support/registry';
import { startTokenServer, type TokenServer } from './support/token-server';

const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** A HOME whose ~/.docker/config.json holds `auths`. */
function homeWithDockerConfig(auths: Record<string, unknown>): string {
  const home = mkdtempSync(join(tmpdir(), 'berth-home-'));
  mkdirSync(join(home, '.docker'));
  writeFileSync(join(home, '.docker', 'config.json'), JSON.stringify({ auths }));
  return home;
}

describe('basic auth (htpasswd)', () => {
  let registry: RunningRegistry;
  let image: PushedImage;
  const repository = () => `${registry.host}/private/app`;

  beforeAll(async () => {
    registry = await startRegistry({ htpasswd: { username: 'ci', password: 's3cret-pw' } });
    image = await pushImage(
      registry.url,
      'private/app',
      '2.0.0',
      new Date('2025-06-01T00:00:00Z'),
      basic('ci', 's3cret-pw'),
    );
  });
  afterAll(() => registry?.stop());

  it('uses auths[host].auth from ~/.docker/config.json', async () => {
    const home = homeWithDockerConfig({ [registry.host]: { auth: Buffer.from('ci:s3cret-pw').toString('base64') } });
    const client = registryFor(repository(), { env: { HOME: home } });
    expect(await client.listTags(repository())).toEqual([{ tag: '2.0.0' }]);
    expect(await client.digestOf(repository(), '2.0.0')).toBe(image.digest);
    expect(await client.createdAt(repository(), '2.0.0')).toEqual(image.created);
  });

  it('honours DOCKER_CONFIG and username/password entries', async () => {
    const home = homeWithDockerConfig({ [`http://${registry.host}/v2/`]: { username: 'ci', password: 's3cret-pw' } });
    const client = registryFor(repository(), { env: { HOME: '/nonexistent', DOCKER_CONFIG: join(home, '.docker') } });
    expect(await client.listTags(repository())).toEqual([{ tag: '2.0.0' }]);
  });

  it('takes per-host environment variables before the global ones and the config file', async () => {
    const prefix = `BERTH_REGISTRY_127_0_0_1_${registry.host.split(':')[1]}`;
    const home = homeWithDockerConfig({ [registry.host]: { auth: Buffer.from('ci:wrong').toString('base64') } });
    const env = {
      HOME: home,
      [`${prefix}_USERNAME`]: 'ci',
      [`${prefix}_PASSWORD`]: 's3cret-pw',
      BERTH_REGISTRY_USERNAME: 'ci',
      BERTH_REGISTRY_PASSWORD: 'wrong',
    };
    expect(await registryFor(repository(), { env }).listTags(repository())).toEqual([{ tag: '2.0.0' }]);
    const globalOnly = { HOME: '/nonexistent', BERTH_REGISTRY_USERNAME: 'ci', BERTH_REGISTRY_PASSWORD: 's3cret-pw' };
    expect(await registryFor(repository(), { env: globalOnly }).listTags(repository())).toEqual([{ tag: '2.0.0' }]);
  });

  it('reports a wrong password as an access error naming the repository and the credential, not the secret', async () => {
    const home = homeWithDockerConfig({
      [registry.host]: { auth: Buffer.from('ci:not-the-password').toString('base64') },
    });
    const error = await registryFor(repository(), { env: { HOME: home } })
      .listTags(repository())
      .catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('BerthError');
    expect((error as Error).message).toMatch(
      new RegExp(
        `access to ${registry.host.replace(/\./g, '\\.')}/private/app was denied \\(HTTP 401: UNAUTHORIZED: authentication required\\) while listing tags of .*, using basic auth for ${registry.host.replace(/\./g, '\\.')} as "ci" from ~/\\.docker/config\\.json\\.`,
      ),
    );
    expect((error as Error).message).toMatch(/Fix: .*BERTH_REGISTRY_127_0_0_1_\d+_USERNAME .*docker login/);
    expect((error as Error).message).not.toContain('not-the-password');
  });

  it('reports missing credentials as anonymous access, saying where it looked', async () => {
    const error = await registryFor(repository(), { env: { HOME: '/nonexistent' } })
      .digestOf(repository(), '2.0.0')
      .catch((caught: Error) => caught);
    expect((error as Error).message).toMatch(
      /was denied \(HTTP 401.*using anonymous access to 127\.0\.0\.1:\d+ \(no credentials in env BERTH_REGISTRY_127_0_0_1_\d+_USERNAME\/_PASSWORD, env BERTH_REGISTRY_USERNAME\/_PASSWORD, ~\/\.docker\/config\.json\)/,
    );
  });
});

describe('bearer token auth', () => {
  let tokens: TokenServer;
  let registry: RunningRegistry;
  let image: PushedImage;
  const repository = () => `${registry.host}/team/api`;

  beforeAll(async () => {
    tokens = await startTokenServer({ users: { robot: 'tok3n-pass' } });
    registry = await startRegistry({ token: tokens });
    image = await pushImage(
      registry.url,
      'team/api',
      '3.1.0',
      new Date('2025-07-01T12:00:00Z'),
      `Bearer ${tokens.tokenFor('repository:team/api:pull,push')}`,
    );
  });
  afterAll(async () => {
    await registry?.stop();
    await tokens?.close();
  });

  it('answers the challenge with a token from the realm, fetched with basic credentials, and caches it per scope', async () => {
    const env = { HOME: '/nonexistent', BERTH_REGISTRY_USERNAME: 'robot', BERTH_REGISTRY_PASSWORD: 'tok3n-pass' };
    const client = registryFor(repository(), { env });
    const before = tokens.requests.length;
    expect(await client.listTags(repository())).toEqual([{ tag: '3.1.0' }]);
    expect(await client.digestOf(repository(), '3.1.0')).toBe(image.digest);
    expect(await client.createdAt(repository(), '3.1.0')).toEqual(image.created);
    const asked = tokens.requests.slice(before);
    expect(asked).toHaveLength(1);
    expect(asked[0].url).toContain('service=berth-test-registry');
    expect(asked[0].url).toContain(`scope=${encodeURIComponent('repository:team/api:pull')}`);
    expect(asked[0].headers.authorization).toBe(basic('robot', 'tok3n-pass'));
  });

  it('shares one token fetch between concurrent calls', async () => {
    const env = { HOME: '/nonexistent', BERTH_REGISTRY_USERNAME: 'robot', BERTH_REGISTRY_PASSWORD: 'tok3n-pass' };
    const client = registryFor(repository(), { env });
    const before = tokens.requests.length;
    await Promise.all(Array.from({ length: 6 }, () => client.digestOf(repository(), '3.1.0')));
    expect(tokens.requests.length - before).toBe(1);
  });

  it('reports a token server refusing the credentials, naming the credential', async () => {
    const env = { HOME: '/nonexistent', BERTH_REGISTRY_USERNAME: 'robot', BERTH_REGISTRY_PASSWORD: 'guess' };
    const error = await registryFor(repository(), { env })
      .listTags(repository())
      .catch((caught: Error) => caught);
    expect((error as Error).message).toMatch(
      /token server http:\/\/127\.0\.0\.1:\d+ refused a token for "repository:team\/api:pull" \(HTTP 401\) to basic auth for 127\.0\.0\.1:\d+ as "robot" from env BERTH_REGISTRY_USERNAME\/BERTH_REGISTRY_PASSWORD/,
    );
    expect((error as Error).message).not.toContain('guess');
  });
});

describe('bearer token renewal', () => {
  it('fetches a fresh token when the cached one has expired', async () => {
    // Tokens live 6 s; berth drops them 5 s early, so the second call must fetch again.
    const tokens = await startTokenServer({ lifetimeSeconds: 6 });
    const registry = await startRegistry({ token: tokens });
    try {
      await pushImage(
        registry.url,
        'team/api',
        '1.0.0',
        new Date(),
        `Bearer ${tokens.tokenFor('repository:team/api:pull,push')}`,
      );
      const client = registryFor(`${registry.host}/team/api`, { env: { HOME: '/nonexistent' } });
      await client.listTags(`${registry.host}/team/api`);
      const issued = tokens.issued.length;
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await client.listTags(`${registry.host}/team/api`);
      expect(tokens.issued.length).toBe(issued + 1);
    } finally {
      await registry.stop();
      await tokens.close();
    }
  });
});

describe('bearer token refused by the registry', () => {
  it('fetches one fresh token, then reports the access error naming the realm and the credential', async () => {
    const tokens = await startTokenServer({ audience: 'some-other-registry' });
    const registry = await startRegistry({ token: tokens });
    try {
      const repository = `${registry.host}/team/api`;
      const error = await registryFor(repository, { env: { HOME: '/nonexistent' } })
        .listTags(repository)
        .catch((caught: Error) => caught);
      expect((error as Error).message).toMatch(
        /access to 127\.0\.0\.1:\d+\/team\/api was denied \(HTTP 401: UNAUTHORIZED: .*\) while listing tags of .*, using a bearer token from http:\/\/127\.0\.0\.1:\d+\/token obtained with anonymous access to 127\.0\.0\.1:\d+/,
      );
      expect(tokens.issued).toEqual(['repository:team/api:pull', 'repository:team/api:pull']);
    } finally {
      await registry.stop();
      await tokens.close();
    }
  });
});
