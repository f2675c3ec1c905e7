// Words for `berth image-update --explain`: the policy in one line, and one line per tag saying why it was taken or not.
import type { ImagePolicy, Selection } from './policy';

/** "strategy semver, constraint ^1.0, ignoreTags *-debug|*-test" */
export function describePolicy(policy: ImagePolicy): string {
  const parts = [`strategy ${policy.strategy}`];
  if (policy.tag !== undefined) parts.push(`tag ${policy.tag}`);
  if (policy.constraint !== undefined) parts.push(`constraint ${policy.constraint}`);
  if (policy.allowTags !== undefined) parts.push(`allowTags /${policy.allowTags}/`);
  if (policy.ignoreTags?.length) parts.push(`ignoreTags ${policy.ignoreTags.join('|')}`);
  if (policy.extract !== undefined) parts.push(`extract /${policy.extract}/`);
  if (policy.naturalPrerelease) parts.push('naturalPrerelease');
  return parts.join(', ');
}

/** Lines for a terminal: a heading, then "+ tag  selected" / "- tag  reason", best first. */
export function explainSelection(selection: Selection, policy: ImagePolicy): string[] {
  const width = Math.min(40, Math.max(0, ...selection.candidates.map((verdict) => verdict.tag.length)));
  const outcome =
    selection.selected === null
      ? `no tag qualifies (${selection.candidates.length} considered)`
      : `selected ${selection.selected}`;
  return [
    `${describePolicy(policy)}: ${outcome}`,
    ...selection.candidates.map(
      (verdict) => `  ${verdict.taken ? '+' : '-'} ${verdict.tag.padEnd(width)}  ${verdict.reason}`,
    ),
  ];
}
