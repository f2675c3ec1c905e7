// The hardened fixture is what the rule tests start from: it must be clean under every rule and the schema check.
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/validate/rules';
import { hardenedPlatform } from './fixtures';
import { findingsAfter, schemaCheck } from './table';

describe('the hardened platform fixture', () => {
  it.each([...RULES, schemaCheck].map((checker) => [checker.id, checker] as const))(
    'yields no %s finding',
    (_id, checker) => {
      expect(findingsAfter(checker)).toEqual([]);
    },
  );

  it('holds what the rules are about, in two environments', () => {
    const platform = hardenedPlatform();
    expect(platform.context.renders.map((render) => render.environment.name)).toEqual(['dev', 'prod']);
    for (const env of ['dev', 'prod']) {
      expect(platform.object(env, 'cluster-base', 'StorageClass/gp3').provisioner).toBe('ebs.csi.aws.com');
      expect(
        platform.object(env, 'postgres', 'StatefulSet/postgres').spec.volumeClaimTemplates[0].spec.storageClassName,
      ).toBe('gp3');
      expect(
        platform
          .object(env, 'service-b', 'ExternalSecret/service-b')
          .spec.data.map((item: { secretKey: string }) => item.secretKey),
      ).toContain('DB_PASSWORD');
      for (const service of ['service-a', 'service-b', 'service-c']) {
        expect(Object.keys(platform.object(env, service, `Ingress/${service}`).metadata.annotations).sort()).toEqual(
          [
            'certificate-arn',
            'group.name',
            'healthcheck-path',
            'listen-ports',
            'scheme',
            'ssl-policy',
            'ssl-redirect',
            'target-type',
          ].map((key) => `alb.ingress.kubernetes.io/${key}`),
        );
      }
    }
    expect(platform.context.projects.get('dev')?.spec.namespaceResourceWhitelist).toContainEqual({
      group: 'apps',
      kind: 'StatefulSet',
    });
  });

  it('reads its files through an in-memory WorkspaceFiles', () => {
    const { context } = hardenedPlatform();
    expect(context.files.list('environments')).toEqual(['dev', 'prod']);
    expect(context.files.list('environments/dev')).toEqual([
      'env.yaml',
      'postgres.yaml',
      'service-a.yaml',
      'service-b.yaml',
      'service-c.yaml',
      'values.yaml',
    ]);
    expect(context.files.isDirectory('environments/dev')).toBe(true);
    expect(context.files.isDirectory('environments/dev/env.yaml')).toBe(false);
    expect(context.files.read('environments/dev/service-b.yaml')).toContain('2.1.0');
    expect(context.files.read('environments/dev/missing.yaml')).toBeUndefined();
  });
});
