// How a repository names berth to npm: the alias `berth` for the scoped package, and the scope's registry line.

/**
 * The dependency a repository declares: `berth` installed from the scoped package. The alias keeps
 * node_modules/berth, so nx.json's plugin "berth", `nx g berth:service` and the `berth` bin resolve as they always did.
 */
export function berthDependency(packageName: string, version: string): string {
  return `npm:${packageName}@${version}`;
}

/** What a person types to move a repository to another berth (a version, a range or a dist-tag such as latest). */
export function berthInstallCommand(packageName: string, version = 'latest'): string {
  return `npm install -D berth@${berthDependency(packageName, version)}`;
}

/** `@berth-gitops/berth` -> `@berth-gitops`; undefined for an unscoped name. */
export function packageScope(packageName: string): string | undefined {
  return /^(@[^/]+)\//.exec(packageName)?.[1];
}

/** The .npmrc line that sends the scope's packages to the organisation's registry (never a credential: npm keeps those per user). */
export function scopeRegistryLine(packageName: string, registry: string): string {
  const scope = packageScope(packageName);
  if (!scope) throw new Error(`${packageName} has no scope, so no registry line can name it.`);
  return `${scope}:registry=${registry}`;
}
