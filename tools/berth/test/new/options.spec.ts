// berth new refuses bad input with an error naming the option and the fix, and writes nothing.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BerthError } from '../../src/errors';
import { createRepository } from '../../src/new/create';
import { normalizeNewOptions, type NewOptions } from '../../src/new/options';

const GOOD: Omit<NewOptions, 'dir'> = {
  org: 'acme',
  repoUrl: 'https://github.com/acme/platform-gitops.git',
  awsAccount: '210987654321',
  region: 'eu-west-1',
  domain: 'acme.io',
};

let parent: string;
beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), 'berth-new-options-'));
});
afterEach(() => rmSync(parent, { recursive: true, force: true }));

describe('berth new options', () => {
  it('normalizes good input: defaults to dev, stage, prod in that order', () => {
    expect(normalizeNewOptions({ ...GOOD, dir: join(parent, 'repo') })).toEqual({
      dir: join(parent, 'repo'),
      org: 'acme',
      repoURL: GOOD.repoUrl,
      account: '210987654321',
      region: 'eu-west-1',
      domain: 'acme.io',
      environments: ['dev', 'stage', 'prod'],
      example: false,
    });
  });

  it.each([['us-gov-west-1'], ['cn-north-1'], ['ap-southeast-2']])('accepts the region %s', (region) => {
    expect(normalizeNewOptions({ ...GOOD, region, dir: join(parent, 'repo') }).region).toBe(region);
  });

  it.each([
    ['git@github.com:acme/gitops.git'],
    ['ssh://git@gitlab.example.com/platform/gitops.git'],
    ['https://codecommit.eu-west-1.amazonaws.com/v1/repos/gitops'],
  ])('accepts the repository URL %s', (repoUrl) => {
    expect(normalizeNewOptions({ ...GOOD, repoUrl, dir: join(parent, 'repo') }).repoURL).toBe(repoUrl);
  });

  it.each<[string, Partial<NewOptions>, string, RegExp]>([
    [
      'an account that is not 12 digits',
      { awsAccount: '12345678901' },
      '--aws-account',
      /not an AWS account id \(12 digits\)/,
    ],
    ['an account with letters', { awsAccount: '12345678901a' }, '--aws-account', /12 digits/],
    ['an unknown region form', { region: 'europe-west1' }, '--region', /not an AWS region name/],
    ['a region in capitals', { region: 'EU-WEST-1' }, '--region', /not an AWS region name/],
    ['a domain that is not a DNS name', { domain: 'acme_io.com' }, '--domain', /not a DNS domain/],
    ['a domain of one label', { domain: 'localhost' }, '--domain', /not a DNS domain/],
    ['a domain with a scheme', { domain: 'https://acme.io' }, '--domain', /not a DNS domain/],
    ['duplicate environments', { envs: 'dev,stage,dev' }, '--envs', /names "dev" twice/],
    ['an environment name in capitals', { envs: 'dev,Prod' }, '--envs', /"Prod" is not a DNS-1123 label/],
    ['an empty environment name', { envs: 'dev,,prod' }, '--envs', /"" is empty/],
    ['an environment name too long', { envs: 'dev,production-eu-west-one' }, '--envs', /limit is 20/],
    ['a system namespace', { envs: 'dev,kube-system' }, '--envs', /namespace the cluster uses for itself/],
    ['an organisation that is not a DNS label', { org: 'Acme Corp' }, '--org', /not a DNS-1123 label/],
    ['a missing organisation', { org: undefined }, '--org', /is required/],
    ['a repository URL that is not one', { repoUrl: 'acme/platform' }, '--repo-url', /not a git URL/],
  ])('refuses %s', (_name, change, field, message) => {
    const options = { ...GOOD, ...change, dir: join(parent, 'repo') };
    let error: unknown;
    try {
      normalizeNewOptions(options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BerthError);
    expect((error as BerthError).field).toBe(field);
    expect((error as BerthError).problem).toMatch(message);
    expect((error as BerthError).fix).toBeTruthy();
  });

  it('reports every bad option at once', () => {
    expect(() =>
      normalizeNewOptions({
        dir: join(parent, 'repo'),
        org: 'acme',
        repoUrl: GOOD.repoUrl,
        awsAccount: '1',
        region: 'mars-1',
        domain: 'acme.io',
        envs: 'a,a',
      }),
    ).toThrow(
      /3 options need fixing; nothing was written:\n {2}--aws-account: .*\n {2}--region: .*\n {2}--envs: names "a" twice/,
    );
  });

  it('refuses a directory that exists and is not empty, or a file', () => {
    mkdirSync(join(parent, 'taken'));
    writeFileSync(join(parent, 'taken/notes.txt'), 'mine\n');
    writeFileSync(join(parent, 'file'), 'mine\n');
    expect(() => normalizeNewOptions({ ...GOOD, dir: join(parent, 'taken') })).toThrow(/exists and is not empty/);
    expect(() => normalizeNewOptions({ ...GOOD, dir: join(parent, 'file') })).toThrow(/exists and is not a folder/);
  });

  it.each<[string, Partial<NewOptions>]>([
    ['a bad account', { awsAccount: '42' }],
    ['a bad region', { region: 'eu-west' }],
    ['a bad domain', { domain: '-acme.io' }],
    ['duplicate environments', { envs: 'prod,prod' }],
  ])('writes nothing for %s', async (_name, change) => {
    await expect(createRepository({ ...GOOD, ...change, dir: join(parent, 'nested/repo') })).rejects.toThrow(
      BerthError,
    );
    expect(readdirSync(parent)).toEqual([]);
  });

  it('writes nothing into a non-empty directory', async () => {
    mkdirSync(join(parent, 'taken'));
    writeFileSync(join(parent, 'taken/notes.txt'), 'mine\n');
    await expect(createRepository({ ...GOOD, dir: join(parent, 'taken') })).rejects.toThrow(/not empty/);
    expect(readdirSync(parent)).toEqual(['taken']);
    expect(readdirSync(join(parent, 'taken'))).toEqual(['notes.txt']);
  });
});
