// The filters every strategy shares: ignoreTags globs, the allowTags pattern, and extract's compared part.
import type { ImagePolicy } from './policy';

/** Compiles a policy pattern; throws SyntaxError when it is not a regular expression. Go's (?P<name>…) is accepted too. */
export function compilePattern(source: string): RegExp {
  return new RegExp(source.replace(/\(\?P</g, '(?<'));
}

/** How many capture groups a pattern has (an alternation with the empty string always matches, showing them all). */
export function captureGroups(pattern: RegExp): number {
  return new RegExp(`${pattern.source}|`).exec('')!.length - 1;
}

/** A glob where `*` is any run of characters and `?` one character; everything else is literal and the whole tag must match. */
export function globToRegExp(glob: string): RegExp {
  const body = Array.from(glob, (char) =>
    char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&'),
  ).join('');
  return new RegExp(`^${body}$`, 'su');
}

export type FilterResult = { compared: string } | { rejected: string };

export interface TagFilter {
  /** The part of the tag the strategy compares, or why the tag is skipped. */
  apply(tag: string): FilterResult;
}

export function compileFilters(policy: Pick<ImagePolicy, 'allowTags' | 'ignoreTags' | 'extract'>): TagFilter {
  const ignore = (policy.ignoreTags ?? []).map((glob) => ({ glob, pattern: globToRegExp(glob) }));
  const allow = policy.allowTags === undefined ? undefined : compilePattern(policy.allowTags);
  const extract = policy.extract === undefined ? undefined : compilePattern(policy.extract);
  return {
    apply(tag) {
      const ignored = ignore.find(({ pattern }) => pattern.test(tag));
      if (ignored) return { rejected: `ignored by ignoreTags ${ignored.glob}` };
      if (allow && !allow.test(tag)) return { rejected: `does not match allowTags ${policy.allowTags}` };
      if (!extract) return { compared: tag };
      const match = extract.exec(tag);
      if (!match) return { rejected: `does not match extract ${policy.extract}` };
      if (match[1] === undefined) return { rejected: `extract ${policy.extract} captured nothing` };
      return { compared: match[1] };
    },
  };
}
