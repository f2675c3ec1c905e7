// The branch a promotion by pull request is pushed to: readable for one service, unique for several.

/** OCI tags are ref-safe except for what git forbids anywhere in a ref name: "..", and a trailing "." or ".lock". */
export function refSafe(text: string): string {
  return text.replace(/\.{2,}/g, '.').replace(/(\.lock|\.)+$/, '') || 'version';
}

/**
 * berth/promote/<env>/<service>-<version> for one service; berth/promote/<env>/<n>-services-<commit> for several,
 * where <commit> is the promotion commit's short id (the set of versions has no short name).
 */
export function promotionBranch(env: string, promoted: { service: string; tag: string }[], commit: string): string {
  if (promoted.length === 1) return `berth/promote/${env}/${promoted[0].service}-${refSafe(promoted[0].tag)}`;
  return `berth/promote/${env}/${promoted.length}-services-${commit.slice(0, 8)}`;
}
