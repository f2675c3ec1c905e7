// What `berth upgrade` changes: the library chart berth ships, every service chart's dependency on it, the derived files.
import { gt, inc, valid } from 'semver';
import type { Document } from 'yaml';
import { derivedFiles } from '../argocd/derived';
import { planSync } from '../argocd/sync-plan';
import { BerthError } from '../errors';
import { chartFiles, type Assets } from '../new/assets';
import { berthInstallCommand } from '../new/npm';
import { overlayFiles } from '../new/overlay-files';
import { diskFiles, type WorkspaceFiles } from '../workspace/files';
import { parseYamlMappingDocument, readYamlMapping } from '../util/yaml-read';
import { loadSettings, loadWorkspace } from '../workspace/load';
import { paths } from '../workspace/model';

export interface VersionChange {
  name: string;
  from: string;
  to: string;
}

export interface UpgradePlan {
  /** path -> new content, or null when the file goes. */
  changes: Map<string, string | null>;
  /** The library chart's name in this repository and the version berth ships. */
  libraryChart: { name: string; version: string };
  /** The library chart, when its version moves. */
  library?: VersionChange;
  /** Service charts whose dependency on the library moves, with their own chart versions. */
  services: VersionChange[];
  /** Derived files (argocd/, charts/platform, schema copies) that change. */
  derived: string[];
}

const SHIPPED_LIBRARY = 'common';

function chartVersion(text: string, path: string): string {
  return String(readYamlMapping(text, path).version ?? '');
}

export function planUpgrade(files: WorkspaceFiles, assets: Assets): UpgradePlan {
  const settings = loadSettings(files);
  const library = settings.libraryChart;
  const libraryDir = paths.chart(library);
  const shipped = diskFiles(assets.root);
  const shippedPaths = chartFiles(assets.root, SHIPPED_LIBRARY, { withSchema: true });
  const shippedVersion = chartVersion(
    shipped.read(`charts/${SHIPPED_LIBRARY}/Chart.yaml`)!,
    'the library chart berth ships',
  );
  const changes = new Map<string, string | null>();

  // the library chart: mirrored from the package when berth ships another version
  const current = files.read(`${libraryDir}/Chart.yaml`);
  const currentVersion = current === undefined ? undefined : chartVersion(current, `${libraryDir}/Chart.yaml`);
  let libraryChange: VersionChange | undefined;
  if (currentVersion !== shippedVersion) {
    if (currentVersion && valid(currentVersion) && gt(currentVersion, shippedVersion)) {
      throw new BerthError(
        `is at ${currentVersion}, newer than the ${shippedVersion} berth ${assets.berthVersion} ships.`,
        {
          file: `${libraryDir}/Chart.yaml`,
          field: 'version',
          fix: `install the berth that ships it (${berthInstallCommand(assets.packageName)}), then run berth upgrade again.`,
        },
      );
    }
    const target = (path: string) => `${libraryDir}${path.slice(`charts/${SHIPPED_LIBRARY}`.length)}`;
    const incoming = new Set(shippedPaths.map(target));
    for (const path of files.isDirectory(libraryDir) ? listChart(files, libraryDir) : [])
      if (!incoming.has(path)) changes.set(path, null);
    for (const path of shippedPaths) {
      let text = shipped.read(path)!;
      if (path.endsWith('/Chart.yaml') && library !== SHIPPED_LIBRARY)
        text = editYaml(text, path, (chart) => chart.set('name', library));
      changes.set(target(path), text);
    }
    libraryChange = { name: library, from: currentVersion ?? 'none', to: shippedVersion };
  }

  // every service chart depends on the library version now in the repository
  const services: VersionChange[] = [];
  for (const chart of files.list('charts').filter((name) => name !== library && name !== 'platform')) {
    const path = `${paths.chart(chart)}/Chart.yaml`;
    const text = files.read(path);
    if (text === undefined) continue;
    const document = parseYamlMappingDocument(text, path);
    const dependencies = (document.toJS()?.dependencies ?? []) as { name?: string; version?: string }[];
    const index = dependencies.findIndex((dependency) => dependency.name === library);
    if (index < 0 || String(dependencies[index].version) === shippedVersion) continue;
    const from = String(document.get('version') ?? '');
    const to = valid(from) ? inc(from, 'patch')! : from;
    document.setIn(['dependencies', index, 'version'], shippedVersion);
    if (to !== from) document.set('version', to);
    changes.set(path, document.toString());
    services.push({ name: chart, from, to });
  }

  // what nx sync derives, from the repository as it will be
  const next = overlayFiles(files, changes);
  const sync = planSync(next, derivedFiles(next, loadWorkspace(next)));
  for (const [path, content] of sync.write) changes.set(path, content);
  for (const path of sync.delete) changes.set(path, null);
  for (const [path, content] of changes) if (files.read(path) === (content ?? undefined)) changes.delete(path);
  return {
    changes,
    libraryChart: { name: library, version: shippedVersion },
    library: libraryChange,
    services,
    derived: [...sync.write.keys(), ...sync.delete].sort(),
  };
}

function editYaml(text: string, path: string, edit: (document: Document) => void): string {
  const document = parseYamlMappingDocument(text, path);
  edit(document);
  return document.toString();
}

/** A chart's files, without helm's build output (charts/, Chart.lock), which git ignores. */
function listChart(files: WorkspaceFiles, dir: string, top = true): string[] {
  return files
    .list(dir)
    .filter((entry) => !(top && (entry === 'charts' || entry === 'Chart.lock')))
    .flatMap((entry) =>
      files.isDirectory(`${dir}/${entry}`) ? listChart(files, `${dir}/${entry}`, false) : [`${dir}/${entry}`],
    );
}
