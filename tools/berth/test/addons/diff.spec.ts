// berth diff of an add-on whose chart cannot be rendered here: named, with its chart versions, never a failure.
import { describe, expect, it } from 'vitest';
import { berth, committedExample, edit } from '../cli/workspace';

describe('berth diff of add-ons', () => {
  it('names an add-on whose version or values changed, with both chart versions, and exits 0', () => {
    const dir = committedExample();
    edit(dir, 'environments/dev/kube-prometheus-stack.yaml', (text) => text.replace('"92.1.0"', '"92.2.0"'));
    edit(dir, 'environments/stage/metrics-server.yaml', (text) => text.replace('replicas: 2', 'replicas: 3'));
    const run = berth(dir, 'diff', '--json');
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).unrendered).toEqual([
      expect.objectContaining({
        environment: 'dev',
        application: 'dev-kube-prometheus-stack',
        before: '92.1.0',
        after: '92.2.0',
      }),
      expect.objectContaining({
        environment: 'stage',
        application: 'stage-metrics-server',
        before: '3.14.0',
        after: '3.14.0',
      }),
    ]);
    const text = berth(dir, 'diff');
    expect(text.stdout).toMatch(
      /^not rendered: dev dev-kube-prometheus-stack: chart kube-prometheus-stack from oci:\/\/ghcr\.io\/prometheus-community\/charts 92\.1\.0 → 92\.2\.0; .*berth cannot render the upstream chart here/m,
    );
    // an unchanged add-on is not named
    expect(text.stdout).not.toMatch(/aws-ebs-csi-driver/);
  });
});
