// berth validate on the example platform once env.yaml lists built-in API versions only: every CRD kind prod renders
// needs an add-on or a pre-installed entry, and pre-installed entries clear the findings.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { berthAsync, copyExample, edit } from './workspace';

const CRD_GROUPS = ['external-secrets.io/v1', 'monitoring.coreos.com/v1', 'elbv2.k8s.aws/v1beta1'];
/** prod's env.yaml with the CRD group/versions taken out of cluster.apiVersions, and `preInstalled` under cluster. */
const builtInsOnly = (preInstalled: string[]) => (text: string) => {
  let edited = text;
  for (const groupVersion of CRD_GROUPS) edited = edited.replace(`    - ${groupVersion}\n`, '');
  return edited.replace('cluster:\n', `cluster:\n  preInstalled: [${preInstalled.join(', ')}]\n`);
};
const provenanceLines = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('[api-provenance]'));

describe('berth validate: API provenance on the example platform', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const example = () => {
    const dir = copyExample();
    dirs.push(dir);
    return dir;
  };

  it('names every kind prod renders that nothing serves there', async () => {
    const dir = example();
    edit(dir, 'environments/prod/env.yaml', builtInsOnly([]));
    const run = await berthAsync(dir, 'validate', '--env', 'prod', '--json');
    expect(run.status).toBe(1);
    const findings = JSON.parse(run.stdout).findings.filter(
      (finding: { rule: string }) => finding.rule === 'api-provenance',
    );
    const kinds = new Set(findings.map((finding: { message: string }) => finding.message.split(' is served')[0]));
    expect([...kinds].sort()).toEqual([
      'external-secrets.io/v1 ExternalSecret',
      'external-secrets.io/v1 SecretStore',
      'monitoring.coreos.com/v1 PrometheusRule',
      'monitoring.coreos.com/v1 ServiceMonitor',
    ]);
    expect(findings).toContainEqual(
      expect.objectContaining({
        environment: 'prod',
        application: 'prod-cluster-base',
        object: 'SecretStore/aws-secrets-manager',
        field: 'apiVersion',
        fix: expect.stringContaining(
          'list external-secrets.io/v1/SecretStore in environments/prod/env.yaml cluster.preInstalled',
        ),
      }),
    );
  }, 180_000);

  it('is clear once env.yaml lists those kinds pre-installed', async () => {
    const dir = example();
    edit(
      dir,
      'environments/prod/env.yaml',
      builtInsOnly([
        'external-secrets.io/v1/ExternalSecret',
        'external-secrets.io/v1/SecretStore',
        'monitoring.coreos.com/v1/PrometheusRule',
        'monitoring.coreos.com/v1/ServiceMonitor',
      ]),
    );
    const run = await berthAsync(dir, 'validate', '--env', 'prod');
    // derived Applications still carry the old apiVersions ([sync]), but every kind is served
    expect(run.stdout).toMatch(/validated 5 Applications/);
    expect(run.stdout).not.toMatch(/\[schema\]/);
    expect(provenanceLines(run.stdout)).toEqual([]);
  }, 180_000);
});
