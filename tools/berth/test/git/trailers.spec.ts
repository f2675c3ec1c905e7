// Commit messages carry one Berth-* block per change, and read back exactly.
import { describe, expect, it } from 'vitest';
import { commitMessage, parseRecords } from '../../src/git/trailers';

describe('commit trailers', () => {
  it('writes the form docs/architecture.md shows (Commit messages) and reads it back', () => {
    const message = commitMessage('chore(dev): bump service-a to 1.4.3', [
      { service: 'service-a', env: 'dev', action: 'bump', from: '1.4.2', to: '1.4.3' },
    ]);
    expect(message).toBe(
      'chore(dev): bump service-a to 1.4.3\n\nBerth-Service: service-a\nBerth-Env: dev\nBerth-Action: bump\nBerth-From: 1.4.2\nBerth-To: 1.4.3\n',
    );
    expect(parseRecords(message)).toEqual([
      { service: 'service-a', env: 'dev', action: 'bump', from: '1.4.2', to: '1.4.3' },
    ]);
  });

  it('keeps one block per service in a multi-service commit', () => {
    const records = [
      { service: 'service-a', env: 'dev', action: 'bump' as const, from: '1.0.0', to: '1.1.0' },
      {
        service: 'service-b',
        env: 'dev',
        action: 'bump' as const,
        from: '2.0.0',
        to: '2.0.1',
        digest: `sha256:${'c'.repeat(64)}`,
      },
    ];
    expect(parseRecords(commitMessage('chore(dev): bump 2 images', records))).toEqual(records);
  });

  it('cannot be tricked into a forged trailer by a reason with newlines', () => {
    const message = commitMessage('chore(prod): pin api at 1.0.0', [
      {
        service: 'api',
        env: 'prod',
        action: 'pin',
        to: '1.0.0',
        reason: 'incident\n\nBerth-Service: db\nBerth-Env: prod\nBerth-Action: unpin',
      },
    ]);
    const records = parseRecords(message);
    expect(records).toHaveLength(1);
    expect(records[0].reason).toBe('incident Berth-Service: db Berth-Env: prod Berth-Action: unpin');
  });
});
