// app.yaml's pins: checked as app.yaml loads, made and edited with comments kept, and explained in one sentence.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diskFiles } from '../../src/workspace/files';
import { loadService } from '../../src/workspace/load';
import { editPin, newPin, pinnedReason } from '../../src/workspace/pins';

const app = `# orders: the order service
name: orders
kind: stateless
environments: [dev, stage, prod] # in promotion order
pins:
  # INC-7: hold prod until the fix ships
  prod:
    version: 1.4.2
    reason: INC-7
    since: 2026-01-02T03:04:05.000Z
`;

describe('editing pins in app.yaml', () => {
  it('adds a pin beside the others, keeping comments and the flow list', () => {
    const after = editPin(app, 'stage', { version: '1.5.0', since: '2026-02-01T00:00:00.000Z' });
    expect(after).toBe(`${app}  stage:\n    version: 1.5.0\n    since: 2026-02-01T00:00:00.000Z\n`);
  });

  it('replaces the pin of an environment in place', () => {
    const after = editPin(app, 'prod', { version: '1.4.3', reason: 'INC-8', since: '2026-03-01T00:00:00.000Z' });
    expect(after).toBe(
      app
        .replace('1.4.2', '1.4.3')
        .replace('reason: INC-7', 'reason: INC-8')
        .replace('2026-01-02T03:04:05', '2026-03-01T00:00:00'),
    );
  });

  it('removes a pin, and pins: with its last one', () => {
    const twoPins = editPin(app, 'stage', { version: '1.5.0' });
    expect(editPin(twoPins, 'stage', undefined)).toBe(app);
    expect(editPin(app, 'prod', undefined)).toBe(
      '# orders: the order service\nname: orders\nkind: stateless\nenvironments: [dev, stage, prod] # in promotion order\n',
    );
  });

  it('makes a pin with the moment it was made, and no reason key without a reason', () => {
    const now = new Date('2026-04-05T06:07:08.000Z');
    expect(newPin('1.4.2', 'INC-9', now)).toEqual({ version: '1.4.2', reason: 'INC-9', since: now.toISOString() });
    expect(Object.keys(newPin('1.4.2', undefined, now))).toEqual(['version', 'since']);
    expect(Object.keys(newPin('1.4.2', '', now))).toEqual(['version', 'since']);
  });
});

describe('why a pinned service does not move', () => {
  it.each([
    [
      { version: '1.4.2', reason: 'INC-7' },
      '1.5.0',
      'pinned at 1.4.2: INC-7 (berth unpin orders --env prod releases it)',
    ],
    [{ version: '1.4.2' }, '1.5.0', 'pinned at 1.4.2 (berth unpin orders --env prod releases it)'],
    [{ reason: 'freeze' }, '1.5.0', 'pinned at 1.5.0: freeze (berth unpin orders --env prod releases it)'],
  ])('%j over a running %s reads "%s"', (pin, running, reason) => {
    expect(pinnedReason(pin, running, 'orders', 'prod')).toBe(reason);
  });
});

describe('checking pins as app.yaml loads', () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-pins-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const load = (text: string) => {
    mkdirSync(join(root, 'apps/orders'), { recursive: true });
    writeFileSync(join(root, 'apps/orders/app.yaml'), text);
    return loadService(diskFiles(root), 'orders', ['dev', 'stage', 'prod']);
  };

  it('reads the pins by environment', () => {
    expect(load(app).pins).toEqual({ prod: { version: '1.4.2', reason: 'INC-7', since: '2026-01-02T03:04:05.000Z' } });
  });

  it.each([
    [
      'a pin where the service does not run',
      'name: orders\nkind: stateless\nenvironments: [dev]\npins:\n  prod: {version: 1.0.0}\n',
      'apps/orders/app.yaml: pins.prod: pins the service in prod, where it does not run.\nFix: remove it with berth unpin orders --env prod.',
    ],
    [
      'a pin that is not a mapping',
      'name: orders\nkind: stateless\npins:\n  dev: 1.0.0\n',
      'apps/orders/app.yaml: pins.dev: must be a mapping (version, reason, since).\nFix: let berth pin write it.',
    ],
  ])('refuses %s, naming the file, the field and the fix', (_case, text, message) => {
    expect(() => load(text)).toThrow(message);
  });
});
