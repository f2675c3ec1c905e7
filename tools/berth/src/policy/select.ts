// Picks the tag a policy calls for, with a verdict for every candidate saying why it was taken or not.
import { compileFilters } from './filters';
import { compareCodePoints } from './order';
import { parsePolicy } from './parse';
import type { ImagePolicy, Selection, TagCandidate, TagVerdict } from './policy';
import { strategyRules } from './strategies';

interface Ranked {
  index: number;
  tag: string;
  key: unknown;
}

/**
 * Filters (ignoreTags, allowTags, extract) first, then the strategy reads and orders what is left. Ties go to the
 * greater tag name and then to the earlier candidate, so the result does not depend on the registry's listing order.
 * Throws a BerthError when the policy is invalid; "no tag qualifies" is `selected: null`, not an error.
 */
export function selectTag(candidates: TagCandidate[], policy: ImagePolicy): Selection {
  const checked = parsePolicy(policy, { field: 'imageUpdates' });
  const filter = compileFilters(checked);
  const rules = strategyRules(checked);
  const ranked: Ranked[] = [];
  const rejected: TagVerdict[] = [];
  candidates.forEach((candidate, index) => {
    const filtered = filter.apply(candidate.tag);
    const reading = 'rejected' in filtered ? filtered : rules.read(filtered.compared, candidate);
    if ('rejected' in reading) rejected.push({ tag: candidate.tag, taken: false, reason: reading.rejected });
    else ranked.push({ index, tag: candidate.tag, key: reading.key });
  });
  const order = (a: Ranked, b: Ranked) =>
    rules.compare(b.key, a.key) || compareCodePoints(b.tag, a.tag) || a.index - b.index;
  ranked.sort(order);
  const best = ranked[0];
  if (!best) return { selected: null, candidates: rejected };
  const verdicts = ranked.map((entry): TagVerdict => {
    if (entry === best) return { tag: entry.tag, taken: true, reason: 'selected' };
    if (entry.tag === best.tag) return { tag: entry.tag, taken: false, reason: 'duplicate of the selected tag' };
    if (rules.compare(entry.key, best.key) === 0)
      return { tag: entry.tag, taken: false, reason: `ranks equal to ${best.tag}; ties go to the greater tag name` };
    return { tag: entry.tag, taken: false, reason: `${rules.lower} ${best.tag}` };
  });
  return { selected: best.tag, candidates: [...verdicts, ...rejected] };
}
