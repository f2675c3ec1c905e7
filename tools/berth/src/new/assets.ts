// Where the charts and the example platform berth scaffolds from live: inside the packed package, or this repository.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** tools/berth in this repository; node_modules/berth (the alias of the scoped package) in a repository that installed it. */
export const PACKAGE_ROOT = resolve(__dirname, '../..');
/** The folder of the packed package that mirrors a workspace's layout (charts/, apps/, environments/). */
export const PACKED_ASSETS = 'templates';

/** The library chart and the per-environment base chart every repository gets. */
export const BASE_CHARTS = ['common', 'cluster-base'] as const;
/** The example platform (README.md): three HTTP services and PostgreSQL. */
export const EXAMPLE_SERVICES = ['postgres', 'service-a', 'service-b', 'service-c'] as const;
/** The example's environments, which new environments take their defaults from (see tiers in environments.ts). */
export const EXAMPLE_ENVIRONMENTS = ['dev', 'stage', 'prod'] as const;

export interface Assets {
  /** A folder laid out like a workspace holding what berth ships. */
  root: string;
  /** The npm name berth is published under (a scope of its own: the bare `berth` is another package). */
  packageName: string;
  /** The berth version that ships them. */
  berthVersion: string;
  /** The Nx version berth's plugin is built for (its @nx/devkit). */
  nxVersion: string;
}

/** The packed package carries templates/; this repository is its own source of truth. */
export function installedAssets(packageRoot = PACKAGE_ROOT): Assets {
  const packed = join(packageRoot, PACKED_ASSETS);
  const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    dependencies: Record<string, string>;
  };
  return {
    root: existsSync(join(packed, 'charts/common/Chart.yaml')) ? packed : resolve(packageRoot, '../..'),
    packageName: manifest.name,
    berthVersion: manifest.version,
    nxVersion: manifest.dependencies['@nx/devkit'],
  };
}

/** A chart's files, relative to the workspace root; without helm's build output and the derived schema copies. */
export function chartFiles(root: string, chart: string, options: { withSchema: boolean }): string[] {
  const skip = new Set(['charts', 'Chart.lock', ...(options.withSchema ? [] : ['values.schema.json'])]);
  const walk = (dir: string, top: boolean): string[] =>
    readdirSync(join(root, dir))
      .sort()
      .filter((entry) => !(top && skip.has(entry)))
      .flatMap((entry) =>
        statSync(join(root, dir, entry)).isDirectory() ? walk(`${dir}/${entry}`, false) : [`${dir}/${entry}`],
      );
  return walk(`charts/${chart}`, true);
}

/** Every file the package ships under templates/, relative to a workspace root (the pack script copies exactly these). */
export function shippedAssetPaths(root: string): string[] {
  return [
    ...BASE_CHARTS.flatMap((chart) => chartFiles(root, chart, { withSchema: true })),
    ...EXAMPLE_SERVICES.flatMap((service) => [
      `apps/${service}/app.yaml`,
      ...chartFiles(root, service, { withSchema: false }),
    ]),
    ...EXAMPLE_ENVIRONMENTS.flatMap((env) =>
      ['env.yaml', 'values.yaml', ...EXAMPLE_SERVICES.map((service) => `${service}.yaml`)].map(
        (file) => `environments/${env}/${file}`,
      ),
    ),
  ];
}
