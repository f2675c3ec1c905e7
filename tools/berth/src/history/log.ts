// Reads the repository's history once: every commit with its Berth-* records and the files it touched.
import { git } from '../git/run';
import { parseRecords, type ChangeRecord } from '../git/trailers';

export interface HistoryCommit {
  sha: string;
  date: string;
  author: string;
  subject: string;
  records: ChangeRecord[];
  files: string[];
}

const FIELD = '\x1f';
const RECORD = '\x1e';

/** Commits that touched `paths`, newest first, in one git call. */
export async function readHistory(root: string, paths: string[] = ['environments', 'apps']): Promise<HistoryCommit[]> {
  const output = await git(root, [
    'log',
    `--format=${RECORD}%H${FIELD}%aI${FIELD}%an${FIELD}%B${FIELD}`,
    '--name-only',
    '--',
    ...paths,
  ]);
  return output
    .split(RECORD)
    .filter((chunk) => chunk.trim())
    .map((chunk) => {
      const [sha, date, author, message, names] = chunk.split(FIELD);
      return {
        sha,
        date,
        author,
        subject: message.split('\n')[0],
        records: parseRecords(message),
        files: names
          .split('\n')
          .map((name) => name.trim())
          .filter(Boolean),
      };
    });
}
