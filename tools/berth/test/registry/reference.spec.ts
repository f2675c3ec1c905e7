// Image repository strings: registry host, path, ECR account and region, and how the host is reached.
import { describe, expect, it } from 'vitest';
import { parseImageRepository } from '../../src/registry';
import { isLoopback, registryBaseUrl } from '../../src/registry/reference';

describe('parseImageRepository', () => {
  it.each([
    ['nginx', { registry: 'docker.io', path: 'library/nginx' }],
    ['bitnami/postgresql', { registry: 'docker.io', path: 'bitnami/postgresql' }],
    ['docker.io/library/nginx', { registry: 'docker.io', path: 'library/nginx' }],
    ['index.docker.io/nginx', { registry: 'docker.io', path: 'library/nginx' }],
    ['ghcr.io/org/team/app', { registry: 'ghcr.io', path: 'org/team/app' }],
    ['localhost/app', { registry: 'localhost', path: 'app' }],
    ['localhost:5000/a/b', { registry: 'localhost:5000', path: 'a/b' }],
    ['127.0.0.1:5000/team/app', { registry: '127.0.0.1:5000', path: 'team/app' }],
    ['[::1]:5000/app', { registry: '[::1]:5000', path: 'app' }],
    ['Registry.Example.com/my_app/web-ui__v2', { registry: 'registry.example.com', path: 'my_app/web-ui__v2' }],
    [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/service-a',
      {
        registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
        path: 'team/service-a',
        ecr: { account: '123456789012', region: 'us-east-1' },
      },
    ],
    [
      '123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn/app',
      {
        registry: '123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn',
        path: 'app',
        ecr: { account: '123456789012', region: 'cn-northwest-1' },
      },
    ],
    // Not ECR: wrong account length, public ECR, look-alike suffix.
    ['12345.dkr.ecr.us-east-1.amazonaws.com/app', { registry: '12345.dkr.ecr.us-east-1.amazonaws.com', path: 'app' }],
    ['public.ecr.aws/team/app', { registry: 'public.ecr.aws', path: 'team/app' }],
    [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.example/app',
      { registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.example', path: 'app' },
    ],
  ])('%s', (repository, expected) => {
    expect(parseImageRepository(repository)).toEqual(expected);
  });

  it.each([
    ['https://ghcr.io/org/app', /starts with a URL scheme/],
    ['ghcr.io/org/app:1.0.0', /carries a tag\..*Fix: .*image\.tag/s],
    ['ghcr.io/org/app@sha256:abc', /carries a digest/],
    ['ghcr.io/Org/app', /invalid path component "Org"/],
    ['ghcr.io//app', /invalid path component ""/],
    ['ghcr.io/org/app/', /invalid path component ""/],
    ['bad_host.io/app', /invalid registry host "bad_host\.io"/],
    ['', /invalid path component ""/],
  ])('refuses %j', (repository, message) => {
    expect(() => parseImageRepository(repository)).toThrow(message);
  });

  it('names the field in its errors', () => {
    expect(() => parseImageRepository('app:1')).toThrow(/^image\.repository: image repository "app:1" carries a tag/);
  });
});

describe('how a registry is reached', () => {
  it.each([
    ['127.0.0.1:5000', true],
    ['127.8.9.10', true],
    ['localhost:5000', true],
    ['[::1]:5000', true],
    ['128.0.0.1:5000', false],
    ['localhost.example.com', false],
    ['ghcr.io', false],
  ])('%s loopback: %s', (registry, loopback) => {
    expect(isLoopback(registry)).toBe(loopback);
  });

  it('uses plain HTTP for loopback and listed hosts only, HTTPS otherwise', () => {
    expect(registryBaseUrl('127.0.0.1:5000', {})).toBe('http://127.0.0.1:5000');
    expect(registryBaseUrl('registry.internal:5000', {})).toBe('https://registry.internal:5000');
    expect(
      registryBaseUrl('registry.internal:5000', { BERTH_INSECURE_REGISTRIES: 'a.example, Registry.Internal:5000' }),
    ).toBe('http://registry.internal:5000');
    // The port is part of the name, as for Docker's insecure-registries.
    expect(registryBaseUrl('registry.internal:5000', { BERTH_INSECURE_REGISTRIES: 'registry.internal' })).toBe(
      'https://registry.internal:5000',
    );
    expect(registryBaseUrl('docker.io', {})).toBe('https://registry-1.docker.io');
  });
});
