// A commit's message after a rebase: only the Berth-* blocks whose files the commit still changes, and a subject that
// names those (the other writer made the rest of the change first). Pure, so tests read as tables.
import { paths } from '../workspace/model';
import { commitMessage, parseRecords, type ChangeRecord } from './trailers';
import { plural } from '../util/plural';

/** The files a change to one service in one environment is made in: its overlay, its Application, its app.yaml (pins). */
export function recordFiles(record: Pick<ChangeRecord, 'service' | 'env' | 'dependency'>): string[] {
  // a dependency of a service chart moves in the chart itself
  if (record.dependency)
    return [`${paths.chart(record.service)}/Chart.yaml`, `${paths.chart(record.service)}/Chart.lock`];
  return [
    paths.overlay(record.env, record.service),
    paths.application(record.env, record.service),
    paths.app(record.service),
  ];
}

/** The records whose files are among those the commit changes; all of them when none can be told apart by file. */
export function keptRecords(records: ChangeRecord[], changed: string[]): ChangeRecord[] {
  const touched = new Set(changed);
  const kept = records.filter((record) => recordFiles(record).some((file) => touched.has(file)));
  return kept.length || !changed.length ? kept : records;
}

/**
 * The subject berth gives a commit of these records (the forms image-update and promote write); undefined when the
 * records mix environments or actions, which no berth command puts in one commit, or are of another action.
 */
export function berthSubject(records: ChangeRecord[]): string | undefined {
  const [first] = records;
  if (!first || records.some((record) => record.env !== first.env || record.action !== first.action)) return undefined;
  const scope = `chore(${first.env})`;
  if (first.action === 'bump' && records.some((record) => record.kind === 'chart')) {
    if (!records.every((record) => record.kind === 'chart')) return undefined;
    if (records.length > 1) return `${scope}: bump ${plural(records.length, 'chart')}`;
    return first.dependency
      ? `${scope}: bump ${first.service}'s dependency ${first.dependency} to ${first.to}`
      : `${scope}: bump ${first.service} chart to ${first.to}`;
  }
  if (first.action === 'bump')
    return records.length === 1
      ? `${scope}: bump ${first.service} to ${first.to}`
      : `${scope}: bump ${plural(records.length, 'image')}`;
  if (first.action === 'promote' && records.every((record) => record.sourceEnv === first.sourceEnv)) {
    return records.length === 1
      ? `${scope}: promote ${first.service} ${first.to} from ${first.sourceEnv}`
      : `${scope}: promote ${plural(records.length, 'service')} from ${first.sourceEnv}`;
  }
  return undefined;
}

/** The subject for the records a rebased commit keeps: berth's own form, or `original` when it has none for them. */
export function subjectFor(records: ChangeRecord[], original: string): string {
  return berthSubject(records) ?? original;
}

/**
 * The message a rebased commit should carry, given the files it still changes; undefined when the one it has is still
 * true. A message without Berth-* blocks is not berth's to change.
 */
export function honestMessage(message: string, changed: string[]): string | undefined {
  const records = parseRecords(message);
  if (!records.length) return undefined;
  const kept = keptRecords(records, changed);
  if (kept.length === records.length) return undefined;
  const subject = message.split('\n')[0];
  return commitMessage(subjectFor(kept, subject), kept);
}
