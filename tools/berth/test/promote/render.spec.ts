// A promoted environment deploys the charts of the commit it was promoted with: berth render proves it after a later
// chart change reaches dev (which follows the branch) and not stage; berth validate stays clean.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { berth, edit, git } from '../cli/workspace';
import { application, overlayValues, platform } from './support';

const LABEL = 'berth.dev/chart-generation: "2"';
const rendered = (dir: string, env: string, service: string) =>
  readFileSync(join(dir, 'dist/rendered', env, `${service}.yaml`), 'utf8');
/** The objects, without the first line (the hash of every input, which names the chart revision). */
const objects = (text: string) => text.slice(text.indexOf('\n') + 1);

describe('promoted chart revisions', () => {
  it('stage renders the chart it was promoted with while dev takes a later chart change; validate is clean', () => {
    const { work } = platform();
    const promoted = berth(work, 'promote', 'service-a', '--to', 'stage');
    expect(promoted.status, promoted.stderr).toBe(0);
    const revision = overlayValues(work, 'stage', 'service-a').chartRevision!;
    expect(revision).toBe(git(work, 'log', '-1', '--format=%H', '--', 'charts/service-a', 'charts/common'));
    expect(application(work, 'stage', 'service-a').spec.source.targetRevision).toBe(revision);

    const first = berth(work, 'render', '--env', 'stage', '--env', 'dev');
    expect(first.status, first.stderr).toBe(0);
    const before = {
      stage: objects(rendered(work, 'stage', 'service-a')),
      dev: objects(rendered(work, 'dev', 'service-a')),
    };
    expect(before.stage).toContain('image: "127.0.0.1:9/service-a:1.4.3"');
    expect(before.stage).not.toContain(LABEL);
    expect(before.dev).not.toContain(LABEL);

    // a later commit changes the library chart every service uses
    edit(work, 'charts/common/templates/_helpers.tpl', (text) =>
      text.replace('app.kubernetes.io/part-of: berth\n', `app.kubernetes.io/part-of: berth\n${LABEL}\n`),
    );
    git(work, 'commit', '-qam', 'feat(charts): a new label on every object');
    git(work, 'push', '-q', 'origin', 'main');

    const second = berth(work, 'render', '--env', 'stage', '--env', 'dev');
    expect(second.status, second.stderr).toBe(0);
    expect(objects(rendered(work, 'stage', 'service-a'))).toBe(before.stage); // the promoted charts, byte for byte
    expect(rendered(work, 'dev', 'service-a')).toContain(LABEL); // dev follows the branch
    expect(rendered(work, 'stage', 'service-b')).toContain(LABEL); // never promoted: stage's service-b still follows the branch

    const validate = berth(work, 'validate');
    expect(validate.stderr).toBe('');
    expect(validate.status).toBe(0);
    expect(validate.stdout).toMatch(/: valid/);

    // promoting again carries the chart change to stage: same image, the new charts
    const charts = berth(work, 'promote', 'service-a', '--to', 'stage');
    expect(charts.status, charts.stderr).toBe(0);
    expect(charts.stdout).toMatch(/^service-a\s+1\.4\.3\s+1\.4\.3\s+[0-9a-f]{12} -> [0-9a-f]{12}\s+promoted$/m);
    expect(overlayValues(work, 'stage', 'service-a').chartRevision).toBe(git(work, 'rev-parse', 'HEAD~1'));
    expect(berth(work, 'render', '--env', 'stage').status).toBe(0);
    expect(rendered(work, 'stage', 'service-a')).toContain(LABEL);
  });
});
