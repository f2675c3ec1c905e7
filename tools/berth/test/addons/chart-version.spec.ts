// An add-on overlay's berth.chartVersion: read and written byte for byte like image.tag, and never a way into YAML.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BerthError } from '../../src/errors';
import {
  isChartVersion,
  readChartVersion,
  readDeployedVersion,
  writeChartVersion,
  writeDeployedVersion,
} from '../../src/workspace/overlay';

const FILE = 'environments/dev/kube-prometheus-stack.yaml';
const overlay = `# kube-prometheus-stack in dev
berth:
  chartVersion: "92.1.0"   # moved by berth chart-update
grafana:
  sidecar:
    dashboards:
      label: grafana_dashboard # the services' label
`;

const refused = (run: () => unknown): BerthError => {
  try {
    run();
  } catch (error) {
    if (error instanceof BerthError) return error;
    throw error;
  }
  throw new Error('accepted');
};

describe('berth.chartVersion', () => {
  it('is the version an add-on overlay holds, repeated as its tag so promotions compare it', () => {
    expect(readChartVersion(overlay, FILE)).toBe('92.1.0');
    expect(readDeployedVersion(overlay, FILE)).toEqual({ tag: '92.1.0', chartVersion: '92.1.0' });
    expect(readChartVersion('image:\n  tag: "1.0.0"\n', FILE)).toBeUndefined();
  });

  it('changes only the version bytes; comments, order and spacing stay', () => {
    const after = writeChartVersion(overlay, FILE, '92.2.0');
    expect(after).toBe(overlay.replace('"92.1.0"', '"92.2.0"'));
    // writeDeployedVersion (promote, rollback, pin) writes the same place for an add-on overlay
    expect(writeDeployedVersion(overlay, FILE, { tag: '92.2.0', digest: null, chartRevision: null })).toBe(after);
  });

  it('adds berth.chartVersion to an overlay that has none yet, leaving the rest', () => {
    expect(writeChartVersion('replicas: 2\n', FILE, '3.14.0')).toBe('replicas: 2\nberth:\n  chartVersion: "3.14.0"\n');
    expect(parse(writeChartVersion('', FILE, '3.14.0'))).toEqual({ berth: { chartVersion: '3.14.0' } });
  });

  it.each([
    ['a newline that would add a key', '1.0.0"\nrbac:\n  create: false\n"'],
    ['a YAML flow mapping', '{a: 1}'],
    ['a comment', '1.0.0 # x'],
    ['a range', '^1.0.0'],
    ['two components', '1.0'],
    ['a leading zero', '01.0.0'],
    ['an empty version', ''],
    ['an over-long version', `1.0.0-${'a'.repeat(200)}`],
  ])('refuses to write %s, leaving the text to the caller unchanged', (_what, version) => {
    const error = refused(() => writeChartVersion(overlay, FILE, version));
    expect(error.file).toBe(FILE);
    expect(error.field).toBe('berth.chartVersion');
    expect(isChartVersion(version)).toBe(false);
  });

  it.each(['1.14.0', 'v3.5.0', '81.6.1', '2.0.0-rc.1', '1.0.0+build.7'])('writes the chart version %s', (version) => {
    expect(readChartVersion(writeChartVersion(overlay, FILE, version), FILE)).toBe(version);
  });

  it('refuses an overlay whose chart version is no version, naming it and the fix', () => {
    const error = refused(() => readChartVersion('berth:\n  chartVersion: latest\n', FILE));
    expect(error).toMatchObject({ file: FILE, field: 'berth.chartVersion' });
    expect(error.fix).toMatch(/version the chart repository lists/);
  });

  it('refuses an overlay that mixes an add-on version with an image', () => {
    const error = refused(() => readDeployedVersion('berth:\n  chartVersion: "1.0.0"\nimage:\n  tag: "2"\n', FILE));
    expect(error.problem).toMatch(/both an add-on chart version and a service image/);
  });

  it('refuses a digest or chart revision for an add-on', () => {
    const error = refused(() =>
      writeDeployedVersion(overlay, FILE, { tag: '92.2.0', digest: `sha256:${'a'.repeat(64)}` }),
    );
    expect(error.problem).toMatch(/no image digest or chart revision/);
  });
});
