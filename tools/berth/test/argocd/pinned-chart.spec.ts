// A chart pinned at a commit (berth promote's chartRevision): Argo CD reads one repository at one revision per
// Application, so the pinned Application is one source at that commit carrying its values, read from the value files
// the way helm reads them; render reads it back, and refuses an Application Argo CD would refuse.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { derivedChanges, withChanges } from '../../src/argocd/derived-changes';
import { derivedFiles } from '../../src/argocd/derived';
import { BerthError } from '../../src/errors';
import { helmRequestFor } from '../../src/render/argo-rules';
import { diskFiles } from '../../src/workspace/files';
import { loadWorkspace } from '../../src/workspace/load';
import { repo } from '../cli/workspace';

const PIN = '0123456789abcdef0123456789abcdef01234567';
const REPO_URL = 'https://github.com/acme/platform-gitops.git';
const OVERLAY = 'environments/stage/service-a.yaml';
const APPLICATION = 'argocd/apps/stage/service-a.yaml';

const files = diskFiles(repo);
const pinned = withChanges(files, new Map([[OVERLAY, `${files.read(OVERLAY)}chartRevision: "${PIN}"\n`]]));
const derive = (at = pinned) => derivedFiles(at, loadWorkspace(at));

describe('the Application of a chart pinned at a commit', () => {
  it('is one source at the commit that carries the value files merged as helm merges them, then env.yaml', () => {
    const text = derive().get(APPLICATION)!;
    const application = parse(text);
    expect(application.spec.sources).toBeUndefined();
    expect(application.spec.source).toMatchObject({
      repoURL: REPO_URL,
      targetRevision: PIN,
      path: 'charts/service-a',
      helm: { releaseName: 'service-a', kubeVersion: '1.36.0' },
    });
    const envValues = parse(files.read('environments/stage/values.yaml')!) ?? {};
    expect(application.spec.source.helm.valuesObject).toEqual({
      ...envValues,
      image: { ...envValues.image, tag: '1.4.2' },
      chartRevision: PIN,
      environment: expect.objectContaining({ name: 'stage', namespace: 'stage', domain: 'stage.example.com' }),
    });
    expect(application.metadata.annotations['berth.dev/values-from']).toBe(
      `environments/stage/values.yaml,${OVERLAY}`,
    );
    // the branch's Applications keep the chart and its $values source
    const dev = parse(derive().get('argocd/apps/dev/service-a.yaml')!);
    expect(dev.spec.sources.map((source: { targetRevision: string }) => source.targetRevision)).toEqual([
      'main',
      'main',
    ]);
    expect(dev.metadata.annotations['berth.dev/values-from']).toBeUndefined();
  });

  it('reads plain scalars as helm does (YAML 1.1) and writes strings Kubernetes cannot misread', () => {
    const values = 'flags:\n  beta: yes\n  mode: "on"\n  octal: 0755\n  since: 2026-12-01\n';
    const at = withChanges(pinned, new Map([['environments/stage/values.yaml', values]]));
    const text = derive(at).get(APPLICATION)!;
    expect(parse(text).spec.source.helm.valuesObject.flags).toEqual({
      beta: true,
      mode: 'on',
      octal: 493,
      since: '2026-12-01',
    });
    // Argo CD reads the Application as YAML 1.1 too: the string "on" must stay quoted
    expect(text).toContain('mode: "on"');
    expect(parse(text, { version: '1.1' }).spec.source.helm.valuesObject.flags.mode).toBe('on');
  });

  it('moves with its overlay in the same commit; an overlay of the branch moves no Application', () => {
    const bumped = pinned.read(OVERLAY)!.replace('"1.4.2"', '"1.4.3"');
    const changes = derivedChanges(pinned, new Map([[OVERLAY, bumped]]));
    expect([...changes.keys()]).toEqual([APPLICATION]);
    expect(parse(changes.get(APPLICATION)!).spec.source.helm.valuesObject.image.tag).toBe('1.4.3');
    const devOverlay = 'environments/dev/service-a.yaml';
    const devBump = pinned.read(devOverlay)!.replace(/tag: "[^"]+"/, 'tag: "9.9.9"');
    expect(derivedChanges(pinned, new Map([[devOverlay, devBump]])).size).toBe(0);
  });

  it('renders from the values it carries, and names the value files a person edits', () => {
    const request = helmRequestFor(parse(derive().get(APPLICATION)!), APPLICATION, REPO_URL);
    expect(request).toMatchObject({ revision: PIN, chartPath: 'charts/service-a', valueFiles: [] });
    expect(request.valuesFrom).toEqual(['environments/stage/values.yaml', OVERLAY]);
    expect(request.extraValues).toMatchObject({ image: { tag: '1.4.2' }, environment: { name: 'stage' } });
  });

  it('is refused by render when it reads this repository at two revisions, as Argo CD refuses it', () => {
    const twoRevisions = parse(files.read(APPLICATION)!);
    twoRevisions.spec.sources[0].targetRevision = PIN;
    let error: unknown;
    try {
      helmRequestFor(twoRevisions, APPLICATION, REPO_URL);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BerthError);
    expect(error).toMatchObject({ file: APPLICATION, field: 'spec.sources[].targetRevision' });
    expect((error as BerthError).message).toContain('cannot reference a different revision of the same repository');
    expect((error as BerthError).message).toContain('npx nx sync');
  });
});
