// The transaction journal under .git/berth/: what a berth run is about to write and commit, so a run killed halfway
// (kill -9, a CI timeout) can be recognised, and rolled back or finished, by the next one.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { BerthError } from '../errors';
import { writeFileAtomic } from '../util/fs';
import { git } from './run';

/** idle: nothing written yet; writing: files are being written and committed; committed: commits made, not pushed yet; rebasing: a rebase onto the remote runs. */
export type JournalState = 'idle' | 'writing' | 'committed' | 'rebasing';

export interface JournalWrite {
  path: string;
  /** sha256 of the content berth writes. */
  sha256: string;
}

export interface JournalData {
  pid: number;
  host: string;
  started: string;
  state: JournalState;
  push: boolean;
  remote: string;
  branch: string;
  writes: JournalWrite[];
  /** The commits this run made, with their messages (a rebase changes the ids, never the messages' identity). */
  commits: { sha: string; message: string }[];
}

export const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

const FILE = 'transaction.json';

/** The checkout's own git folder (a linked worktree's, not the common one: HEAD, the index and a rebase live there). */
export async function gitDirOf(root: string): Promise<string> {
  return (await git(root, ['rev-parse', '--absolute-git-dir'])).trim();
}

export function readJournal(dir: string): JournalData | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const data = JSON.parse(text) as JournalData;
    if (typeof data.pid === 'number' && Array.isArray(data.writes) && Array.isArray(data.commits)) return data;
  } catch {
    // a journal cut short by a crash while it was first written: it recorded nothing yet
  }
  return {
    pid: -1,
    host: hostname(),
    started: '',
    state: 'idle',
    push: false,
    remote: 'origin',
    branch: '',
    writes: [],
    commits: [],
  };
}

/** Whether the run that wrote the journal still runs (same machine, process alive). */
export function isAlive(data: JournalData): boolean {
  if (data.host !== hostname() || data.pid <= 0 || data.pid === process.pid) return false;
  try {
    process.kill(data.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A run's journal: taken exclusively (one berth run per checkout), rewritten atomically at each step, removed at the end. */
export class Journal {
  private constructor(
    /** The checkout's git folder; the journal lives in its berth/ folder. */
    readonly gitDir: string,
    readonly data: JournalData,
  ) {}

  private get dir(): string {
    return join(this.gitDir, 'berth');
  }

  /**
   * Takes the checkout for this run and refuses while another berth run is changing it. A dead run's journal is taken
   * over with its records kept, so a crash during the repair still leaves them for the next run; `interrupted` is it.
   */
  static open(
    gitDir: string,
    fields: Pick<JournalData, 'push' | 'remote' | 'branch'>,
  ): { journal: Journal; interrupted?: JournalData } {
    const dir = join(gitDir, 'berth');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, FILE);
    const previous = readJournal(dir);
    if (previous && isAlive(previous)) {
      throw new BerthError(`another berth run (pid ${previous.pid}) is changing this checkout right now.`, {
        file: path,
        fix: `wait for it to finish, then run the command again (if no berth runs, pid ${previous.pid} is another program: remove this file).`,
      });
    }
    const own = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
    if (previous) {
      const journal = new Journal(gitDir, { ...previous, ...own });
      journal.update({});
      return { journal, interrupted: previous };
    }
    const data: JournalData = { ...own, state: 'idle', writes: [], commits: [], ...fields };
    try {
      writeFileSync(path, JSON.stringify(data), { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      throw new BerthError('another berth run is changing this checkout right now.', {
        file: path,
        fix: 'wait for it to finish, then run the command again.',
        cause: error,
      });
    }
    return { journal: new Journal(gitDir, data) };
  }

  update(change: Partial<JournalData>): void {
    Object.assign(this.data, change);
    writeFileAtomic(join(this.dir, FILE), JSON.stringify(this.data));
  }

  close(): void {
    rmSync(join(this.dir, FILE), { force: true });
  }
}
