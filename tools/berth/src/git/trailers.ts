// Commit messages berth writes and reads back: a conventional subject, then one Berth-* trailer block per change.

/** One change a commit made to one service in one environment. */
export interface ChangeRecord {
  service: string;
  env: string;
  action: 'bump' | 'promote' | 'rollback' | 'pin' | 'unpin';
  from?: string;
  to?: string;
  digest?: string;
  sourceEnv?: string;
  chartRevision?: string;
  reason?: string;
  /** The promotion gates a `--force` promotion went past (comma-separated); `reason` says why. */
  forced?: string;
  /** `chart` when an upstream chart's version moved (an add-on's, or a service chart's dependency); absent for images. */
  kind?: 'chart';
  /** A service chart's dependency that moved (Chart.yaml, Chart.lock), not the service's own deployed version. */
  dependency?: string;
}

const KEYS: [keyof ChangeRecord, string][] = [
  ['service', 'Berth-Service'],
  ['env', 'Berth-Env'],
  ['action', 'Berth-Action'],
  ['from', 'Berth-From'],
  ['to', 'Berth-To'],
  ['digest', 'Berth-Digest'],
  ['sourceEnv', 'Berth-Source-Env'],
  ['chartRevision', 'Berth-Chart-Revision'],
  ['reason', 'Berth-Reason'],
  ['forced', 'Berth-Forced'],
  ['kind', 'Berth-Kind'],
  ['dependency', 'Berth-Dependency'],
];

/** Trailer values are one line: a reason with a newline must not forge another trailer. */
const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ').trim();

export function commitMessage(subject: string, records: ChangeRecord[]): string {
  const blocks = records.map((record) =>
    KEYS.filter(([key]) => record[key] !== undefined && record[key] !== '')
      .map(([key, trailer]) => `${trailer}: ${oneLine(String(record[key]))}`)
      .join('\n'),
  );
  return [oneLine(subject), ...blocks].join('\n\n') + '\n';
}

export function parseRecords(message: string): ChangeRecord[] {
  const records: ChangeRecord[] = [];
  for (const paragraph of message.split(/\n\s*\n/)) {
    const lines = paragraph.trim().split('\n').filter(Boolean);
    if (lines.length === 0 || !lines.every((line) => /^Berth-[A-Za-z-]+: /.test(line))) continue;
    const record: Record<string, string> = {};
    for (const line of lines) {
      const separator = line.indexOf(': ');
      const key = KEYS.find(([, trailer]) => trailer === line.slice(0, separator))?.[0];
      if (key) record[key] = line.slice(separator + 2);
    }
    if (record.service && record.env && record.action) records.push(record as unknown as ChangeRecord);
  }
  return records;
}
