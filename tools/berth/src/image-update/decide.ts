// Decides, for one service in one environment, which version the registry's tags call for: pure, so tests read as tables.
import { selectTag, type Selection } from '../policy';
import type { ImageTag } from '../registry';
import { describeImage, OCI_TAG, SHA256_DIGEST, type ImageVersion } from '../workspace/overlay';
import { pinnedReason } from '../workspace/pins';
import type { Target } from './targets';

export type Status = 'update' | 'current' | 'pinned' | 'none';

export interface Decision {
  target: Target;
  status: Status;
  next?: ImageVersion;
  reason: string;
  selection?: Selection;
  /** Tags the registry returned that are not OCI tags: reported, never written. */
  invalidTags: string[];
}

export function decide(target: Target, tags: ImageTag[], digestOfFollowedTag?: string): Decision {
  const base = { target, invalidTags: [] as string[] };
  if (target.pin) {
    const reason = pinnedReason(target.pin, target.current.tag, target.service.name, target.env.name);
    return { ...base, status: 'pinned', reason };
  }
  const invalidTags = tags.map((tag) => tag.tag).filter((tag) => !OCI_TAG.test(tag));
  const candidates = tags.filter((tag) => OCI_TAG.test(tag.tag)).map((tag) => ({ tag: tag.tag, created: tag.created }));
  const selection = selectTag(candidates, target.policy);
  if (selection.selected === null)
    return {
      target,
      invalidTags,
      selection,
      status: 'none',
      reason: `no tag of ${target.repository} satisfies the policy`,
    };
  let next: ImageVersion = { tag: selection.selected };
  if (target.policy.strategy === 'digest') {
    if (!digestOfFollowedTag || !SHA256_DIGEST.test(digestOfFollowedTag)) {
      return {
        target,
        invalidTags,
        selection,
        status: 'none',
        reason: `the registry gave ${JSON.stringify(digestOfFollowedTag ?? null)} as the digest of ${selection.selected}, which is not sha256:<64 hex>`,
      };
    }
    next = { tag: selection.selected, digest: digestOfFollowedTag };
  }
  const same = next.tag === target.current.tag && (next.digest ?? target.current.digest) === target.current.digest;
  if (same) return { target, invalidTags, selection, status: 'current', reason: 'up to date' };
  return {
    target,
    invalidTags,
    selection,
    status: 'update',
    next,
    reason: `${describeImage(target.current)} -> ${describeImage(next)}`,
  };
}
