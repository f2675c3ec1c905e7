// A service's Helm values in an environment, merged the way helm merges them: chart defaults, env values, overlay.
import { BerthError } from '../errors';
import { Memo } from '../util/memo';
import { mergeValues, type Values } from '../util/values-merge';
import { readHelmValues } from '../util/yaml-read';
import type { WorkspaceFiles } from './files';
import { paths } from './model';

/**
 * Parsed values by content, for as long as the run's WorkspaceFiles lives: a pass over a hundred services parses the
 * environment's values.yaml once, and nothing outlives the run that read it.
 */
const parsedIn = new WeakMap<WorkspaceFiles, Memo<string, Values>>();

function readValues(files: WorkspaceFiles, path: string): Values {
  let parsed = parsedIn.get(files);
  if (!parsed) parsedIn.set(files, (parsed = new Memo()));
  const text = files.read(path);
  return text === undefined ? {} : parsed.get(text, () => parseValues(text, path));
}

function parseValues(text: string | undefined, path: string): Values {
  if (text === undefined) return {};
  return readHelmValues(text, path) as Values;
}

/** Value files merged as repeated `--values` are: the later file wins key by key; a missing file adds nothing. */
export const valueFilesMerged = (files: WorkspaceFiles, valueFiles: readonly string[]): Values =>
  valueFiles.map((path) => readValues(files, path)).reduce(mergeValues, {});

export function serviceValues(files: WorkspaceFiles, env: string, service: string): Values {
  return valueFilesMerged(files, [
    `${paths.chart(service)}/values.yaml`,
    paths.envValues(env),
    paths.overlay(env, service),
  ]);
}

/** The image repository a service deploys in an environment: read from its values, the one home of that fact. */
export function imageRepository(files: WorkspaceFiles, env: string, service: string): string {
  const repository = (serviceValues(files, env, service).image as Values | undefined)?.repository;
  if (typeof repository !== 'string' || repository === '') {
    throw new BerthError('has no image.repository.', {
      file: `${paths.chart(service)}/values.yaml`,
      field: 'image.repository',
      fix: "set the repository the service's images are pushed to.",
    });
  }
  return repository;
}
