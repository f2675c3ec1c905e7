// Where a program is on PATH, found as a file (no process started): helm, kubectl, redis-server.
import { statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** The first `program` in PATH's absolute folders, as a shell would find it; undefined when there is none. */
export function findOnPath(program: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return (env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => isAbsolute(dir))
    .map((dir) => join(dir, program))
    .find(isFile);
}
