// berth validate on the example platform once prod runs neither External Secrets nor kube-prometheus-stack: every
// CRD kind prod renders needs an add-on of prod or a pre-installed entry, and pre-installed entries clear the findings.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { berthAsync, copyExample, edit } from './workspace';

/** The add-on's app.yaml without prod in its environments. */
const withoutProd = (text: string) => text.replace('environments: [dev, stage, prod]', 'environments: [dev, stage]');
/** prod's env.yaml with `preInstalled` listing these kinds. */
const preInstalled = (kinds: string[]) => (text: string) =>
  text.replace(/^  preInstalled: \[\]$/m, () => `  preInstalled: [${kinds.join(', ')}]`);
const provenanceLines = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('[api-provenance]'));

describe('berth validate: API provenance on the example platform', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const example = () => {
    const dir = copyExample();
    dirs.push(dir);
    for (const addon of ['external-secrets', 'kube-prometheus-stack']) edit(dir, `apps/${addon}/app.yaml`, withoutProd);
    return dir;
  };

  it('names every kind prod renders that nothing serves there', async () => {
    const dir = example();
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
    // the add-on that serves a kind in the other environments is the one the fix names
    const serviceMonitor = findings.find((finding: { message: string }) => finding.message.includes('ServiceMonitor'));
    expect(serviceMonitor.fix).toContain('kube-prometheus-stack');
  }, 180_000);

  it('is clear once env.yaml lists those kinds pre-installed', async () => {
    const dir = example();
    edit(
      dir,
      'environments/prod/env.yaml',
      preInstalled([
        'external-secrets.io/v1/ExternalSecret',
        'external-secrets.io/v1/SecretStore',
        'monitoring.coreos.com/v1/PrometheusRule',
        'monitoring.coreos.com/v1/ServiceMonitor',
      ]),
    );
    const run = await berthAsync(dir, 'validate', '--env', 'prod');
    // the derived files are stale ([sync]: the two add-ons' Applications are still there), but every kind is served
    expect(run.stdout).toMatch(/validated 5 Applications, 5 not rendered \(chart not cached\)/);
    expect(run.stdout).not.toMatch(/\[schema\]/);
    expect(provenanceLines(run.stdout)).toEqual([]);
  }, 180_000);
});
