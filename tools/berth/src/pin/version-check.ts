// Before berth pins a version, the registry is asked whether that image exists, so a typo cannot reach a cluster.
import { BerthError } from '../errors';
import { registryFor, type RegistryClient } from '../registry';
import type { WorkspaceFiles } from '../workspace/files';
import { paths } from '../workspace/model';
import { imageRepository } from '../workspace/values';

export interface VersionCheck {
  /** Skip the question: for a registry berth cannot reach from here. */
  force?: boolean;
  /** How to reach a repository's registry (tests and embedding); registryFor by default. */
  registry?: (repository: string) => RegistryClient;
}

/** Refuses a version the service's image repository does not have; a registry that does not answer is an error naming --force. */
export async function checkVersionExists(
  files: WorkspaceFiles,
  env: string,
  service: string,
  version: string,
  check: VersionCheck,
): Promise<void> {
  if (check.force) return;
  const overlay = paths.overlay(env, service);
  const repository = imageRepository(files, env, service);
  let tags: string[];
  try {
    tags = (await (check.registry ?? registryFor)(repository).listTags(repository)).map((tag) => tag.tag);
  } catch (error) {
    const problem = error instanceof BerthError ? error.problem : (error as Error).message;
    throw new BerthError(
      `cannot pin ${version}: berth could not ask ${repository} whether that image exists: ${problem}`,
      {
        file: overlay,
        field: 'image.tag',
        fix: 'check the registry and the credentials berth uses for it; if it cannot be reached from here and you know the image exists, pass --force to pin without checking.',
        cause: error,
      },
    );
  }
  if (tags.includes(version)) return;
  const others = [...tags].sort().reverse().slice(0, 5);
  throw new BerthError(
    `cannot pin ${version}: ${repository} has no tag ${version}, so ${service} could not start with it${others.length ? ` (tags there include ${others.join(', ')})` : ' (it has no tags)'}.`,
    {
      file: overlay,
      field: 'image.tag',
      fix: `pin a version that was pushed to ${repository}; --force skips this check, for a registry berth cannot reach.`,
    },
  );
}
