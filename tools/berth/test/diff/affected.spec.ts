// Which Applications a diff renders: only those whose input hashes differ or that exist on one side.
import { describe, expect, it } from 'vitest';
import { affectedApplications } from '../../src/diff/affected';
import type { ApplicationInputs } from '../../src/diff/inputs';

const side = (entries: [string, string, string][]) =>
  new Map<string, ApplicationInputs>(
    entries.map(([environment, application, key]) => [
      `${environment}/${application}`,
      { environment, application, service: application, key, source: { directory: {} as never } },
    ]),
  );

describe('affectedApplications', () => {
  const before = side([
    ['dev', 'a', '1'],
    ['dev', 'b', '1'],
    ['prod', 'a', '1'],
    ['prod', 'gone', '1'],
  ]);
  const after = side([
    ['dev', 'a', '2'],
    ['dev', 'b', '1'],
    ['prod', 'a', '1'],
    ['prod', 'new', '1'],
  ]);
  const summary = (environments?: string[]) =>
    affectedApplications(before, after, environments).map((app) => `${app.id} ${app.status}`);

  it.each([
    ['every environment', undefined, ['dev/a changed', 'prod/gone removed', 'prod/new added']],
    ['one environment', ['prod'], ['prod/gone removed', 'prod/new added']],
    ['an environment without changes', ['stage'], []],
  ])('%s', (_name, environments, expected) => expect(summary(environments).sort()).toEqual(expected));

  it('carries both sides of a changed Application', () => {
    const [changed] = affectedApplications(before, after, ['dev']);
    expect(changed.before?.key).toBe('1');
    expect(changed.after?.key).toBe('2');
  });
});
