// Which local commits the remote lacks, and which of them a berth run made itself: the ones it pushes as its own and
// the ones it names because they would go along.
import { git, tryGit } from './run';
import { parseRecords } from './trailers';

export interface OwnCommit {
  sha: string;
  message: string;
}

export interface LocalCommit extends OwnCommit {
  subject: string;
  /** Whether it carries Berth-* blocks: a commit some berth command made. */
  berth: boolean;
}

const FIELD = '\x1f';
const RECORD = '\x1e';

/** Messages compare as git stores them: without trailing whitespace. */
export const sameMessage = (a: string, b: string) => a.trimEnd() === b.trimEnd();

/** Commits in `range` (git rev-list arguments), oldest first. */
export async function commitsIn(root: string, range: string[]): Promise<LocalCommit[]> {
  const output = await git(root, ['log', '--reverse', `--format=${RECORD}%H${FIELD}%B`, ...range]);
  return output
    .split(RECORD)
    .filter((chunk) => chunk.includes(FIELD))
    .map((chunk) => {
      const [sha, message] = chunk.split(FIELD);
      return { sha: sha.trim(), message, subject: message.split('\n')[0], berth: parseRecords(message).length > 0 };
    });
}

/**
 * Local commits the remote branch does not have, by the remote-tracking ref (which every push and fetch of berth's
 * updates); a branch the remote does not have yet counts from what no ref of that remote holds.
 */
export async function aheadOfRemote(root: string, remote: string, branch: string): Promise<LocalCommit[]> {
  const tracking = `refs/remotes/${remote}/${branch}`;
  if ((await tryGit(root, ['rev-parse', '--verify', '--quiet', tracking])).exitCode === 0)
    return commitsIn(root, [`${tracking}..HEAD`]);
  return commitsIn(root, ['HEAD', '--not', `--remotes=${remote}`]);
}

/** Whether `commit` is one of `own`: by id, or by message once a rebase gave it another id. */
export const isOwn = (commit: OwnCommit, own: OwnCommit[]) =>
  own.some((candidate) => candidate.sha === commit.sha || sameMessage(candidate.message, commit.message));

export const describeCommits = (commits: LocalCommit[]) =>
  commits.map((commit) => `${commit.sha.slice(0, 12)} ${commit.subject}`).join(', ');
