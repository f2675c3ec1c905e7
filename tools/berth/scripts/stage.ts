// Builds the publishable berth package in a folder: compiled JavaScript, the charts and example it scaffolds from
// (as the last commit has them), and a package.json whose dependencies are only those the compiled code loads.
import { transformSync } from '@swc/core';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { withWorktree } from '../src/git/worktree';
import { PACKED_ASSETS, shippedAssetPaths } from '../src/new/assets';

export const PACKAGE_ROOT = resolve(__dirname, '..');
export const REPO_ROOT = resolve(PACKAGE_ROOT, '../..');

/** The same transform bin/register.js applies at run time, so compiled and source runs behave alike. */
const SWC_OPTIONS = {
  jsc: { parser: { syntax: 'typescript' as const }, target: 'es2022' as const, keepClassNames: true },
  module: { type: 'commonjs' as const, ignoreDynamic: false },
  sourceMaps: false,
};

/** Source files the package never needs: tests and type-only declarations. */
const isSourceOnly = (file: string) => /\.(spec|test)\.ts$/.test(file) || file.endsWith('.d.ts');

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) =>
      statSync(join(dir, entry)).isDirectory() ? walk(join(dir, entry)).map((path) => `${entry}/${path}`) : [entry],
    );
}

/** src/**\/*.ts -> *.js beside the templates and schemas they read through __dirname; returns the compiled code. */
export function compileSources(from: string, to: string): string[] {
  const compiled: string[] = [];
  for (const file of walk(from).filter((path) => !isSourceOnly(path))) {
    const target = join(to, file);
    mkdirSync(dirname(target), { recursive: true });
    if (file.endsWith('.ts')) {
      const { code } = transformSync(readFileSync(join(from, file), 'utf8'), {
        ...SWC_OPTIONS,
        filename: join(from, file),
      });
      writeFileSync(target.replace(/\.ts$/, '.js'), code);
      compiled.push(code);
    } else {
      copyFileSync(join(from, file), target);
    }
  }
  return compiled;
}

/** Bare module specifiers the compiled code requires, as package names. */
export function requiredPackages(code: string[]): Set<string> {
  const names = new Set<string>();
  for (const text of code) {
    for (const [, specifier] of text.matchAll(/\brequire\((?:"|')([^"'./][^"']*)(?:"|')\)/g)) {
      if (specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
      names.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
    }
  }
  return names;
}

interface Manifest {
  name: string;
  version: string;
  main: string;
  dependencies: Record<string, string>;
  [field: string]: unknown;
}

/**
 * The published package.json: compiled entry point, no scripts or devDependencies, and only the dependencies the
 * compiled code names (a require or a module path it builds, like the kubernetes-models schema paths).
 */
export function publishedManifest(manifest: Manifest, code: string[]): Manifest {
  const required = requiredPackages(code);
  // berth itself, by its name or the alias a repository installs it under (src/new/npm.ts)
  required.delete(manifest.name);
  required.delete('berth');
  const missing = [...required].filter((name) => !(name in manifest.dependencies));
  if (missing.length)
    throw new Error(
      `berth's code requires ${missing.join(', ')}, which tools/berth/package.json does not list in dependencies.`,
    );
  const named = (name: string) =>
    code.some((text) =>
      ['"', "'", '`'].some(
        (quote) =>
          text.includes(`${quote}${name}"`) ||
          text.includes(`${quote}${name}'`) ||
          text.includes(`${quote}${name}/`) ||
          text.includes(`${quote}${name}\``),
      ),
    );
  const { scripts: _scripts, devDependencies: _devDependencies, ...rest } = manifest;
  return {
    ...rest,
    main: manifest.main.replace(/\.ts$/, '.js'),
    dependencies: Object.fromEntries(
      Object.entries(manifest.dependencies).filter(([name]) => required.has(name) || named(name)),
    ),
  };
}

/** Copies the charts and example berth ships from `root` (a checkout laid out like this repository) into the package. */
function copyAssets(root: string, to: string): void {
  for (const path of shippedAssetPaths(root)) {
    mkdirSync(dirname(join(to, PACKED_ASSETS, path)), { recursive: true });
    copyFileSync(join(root, path), join(to, PACKED_ASSETS, path));
  }
}

/** `@acme` -> `@acme/berth`: an organisation whose registry binds scopes to owners (GitHub Packages) publishes under its own. */
export function scopedName(scope: string): string {
  if (!/^@[a-z0-9][a-z0-9._-]*$/.test(scope))
    throw new Error(`--scope ${JSON.stringify(scope)} is not an npm scope; pass one such as @acme.`);
  return `${scope}/berth`;
}

/** Writes the whole package into `to`; returns its package.json. `name` overrides the scoped name (see scopedName). */
export async function stagePackage(
  to: string,
  repoRoot = REPO_ROOT,
  packageRoot = PACKAGE_ROOT,
  name?: string,
): Promise<Manifest> {
  const code = compileSources(join(packageRoot, 'src'), join(to, 'src'));
  mkdirSync(join(to, 'bin'), { recursive: true });
  copyFileSync(join(packageRoot, 'bin/berth.js'), join(to, 'bin/berth.js'));
  copyFileSync(join(packageRoot, 'generators.json'), join(to, 'generators.json'));
  copyFileSync(join(packageRoot, 'scripts/README.package.md'), join(to, 'README.md'));
  // one source of truth: the library chart, cluster-base and the example come from this repository's own files, as
  // committed: a working tree's overlays may pin chart revisions of commits a new repository never has, or hold edits
  await withWorktree(repoRoot, 'HEAD', async (head) => copyAssets(head, to));
  const source = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as Manifest;
  const manifest = { ...publishedManifest(source, code), ...(name ? { name } : {}) };
  writeFileSync(join(to, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
