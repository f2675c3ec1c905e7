// Which helm rendered which environments, said once per environment: render prints it, validate warns when a helm is
// not the one the environment's Argo CD runs. Pure.
import type { HelmBinary } from './binary';

export interface HelmUse {
  /** In the order the requests name them. */
  environments: string[];
  /** The helm's version, e.g. v4.2.3. */
  helm: string;
  source: HelmBinary['source'];
  argocd: string;
  /** The Helm minor that Argo CD runs. */
  wanted: string;
  exact: boolean;
}

/** The helms of `requests`, one entry per helm and Argo CD minor, each with the environments it rendered. */
export function helmUses(requests: readonly { environment: string; helm: HelmBinary }[]): HelmUse[] {
  const uses = new Map<string, HelmUse>();
  for (const { environment, helm } of requests) {
    const key = `${helm.path}\0${helm.argocd}`;
    let use = uses.get(key);
    if (!use)
      uses.set(
        key,
        (use = {
          environments: [],
          helm: helm.version,
          source: helm.source,
          argocd: helm.argocd,
          wanted: helm.wanted,
          exact: helm.exact,
        }),
      );
    if (!use.environments.includes(environment)) use.environments.push(environment);
  }
  return [...uses.values()];
}

/** "dev, stage: helm v4.2.3 (Argo CD 3.5)", and what to do when it is not the Helm that Argo CD runs. */
export function helmUseLine(use: HelmUse): string {
  const from = use.source === 'bundled' ? '' : `, from ${use.source}`;
  const line = `${use.environments.join(', ')}: helm ${use.helm} (Argo CD ${use.argocd}${from})`;
  if (use.exact) return line;
  return (
    `${line}; Argo CD ${use.argocd} renders with helm ${use.wanted}, so this render may differ from what it applies ` +
    `(put a helm ${use.wanted} on PATH or set BERTH_HELM to one)`
  );
}
