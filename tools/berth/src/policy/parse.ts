// Checks an `imageUpdates:` mapping and turns it into an ImagePolicy; every problem is a BerthError naming the field and the fix.
import { BerthError } from '../errors';
import { OCI_TAG } from '../workspace/overlay';
import { captureGroups, compilePattern } from './filters';
import { DEFAULT_STRATEGY, POLICY_KEYS, STRATEGIES, STRATEGY_KEYS, type ImagePolicy, type Strategy } from './policy';
import { readConstraint } from './version';

type Fields = Record<string, unknown>;

class PolicyReader {
  constructor(
    private readonly where: { file?: string; field?: string },
    private readonly fields: Fields,
  ) {}

  fail(key: string, problem: string, fix: string, cause?: unknown): never {
    const field = this.where.field ? `${this.where.field}.${key}` : key;
    throw new BerthError(problem, { file: this.where.file, field, fix, cause });
  }

  /** A value that is absent or null counts as not set, so a service can write `constraint: null` to drop the environment's. */
  value(key: string): unknown {
    return this.fields[key] ?? undefined;
  }

  string(key: string): string | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (typeof value === 'number')
      this.fail(key, `must be a string (YAML read ${value} as a number).`, `quote it: ${key}: "${value}"`);
    if (typeof value !== 'string' || value.trim() === '')
      this.fail(
        key,
        `must be a non-empty string (found ${JSON.stringify(value)}).`,
        `set ${key} to ${POLICY_KEYS[key as keyof ImagePolicy]}, or remove it.`,
      );
    return value;
  }

  pattern(key: 'allowTags' | 'extract'): string | undefined {
    const source = this.string(key);
    if (source === undefined) return undefined;
    if (/^regexp:/.test(source))
      this.fail(
        key,
        `is "${source}": the regexp: prefix is Argo CD Image Updater's annotation syntax.`,
        `write the regular expression alone: ${key}: "${source.slice('regexp:'.length)}"`,
      );
    try {
      const pattern = compilePattern(source);
      if (key === 'extract' && captureGroups(pattern) === 0)
        this.fail(
          key,
          `/${source}/ has no capture group, so nothing would be compared.`,
          'put the part to compare in parentheses, e.g. extract: "^main-(\\d+)$"',
        );
      return source;
    } catch (error) {
      if (error instanceof BerthError) throw error;
      this.fail(
        key,
        `is not a valid regular expression: ${(error as Error).message}.`,
        'correct the pattern (JavaScript regular expression syntax).',
        error,
      );
    }
  }

  strategy(): Strategy {
    const value = this.value('strategy') ?? DEFAULT_STRATEGY;
    if (!STRATEGIES.includes(value as Strategy))
      this.fail(
        'strategy',
        `must be one of ${STRATEGIES.join(', ')} (found ${JSON.stringify(value)}).`,
        `set strategy to one of: ${STRATEGIES.join(', ')}.`,
      );
    return value as Strategy;
  }

  constraint(): string | undefined {
    const text = this.string('constraint');
    if (text === undefined) return undefined;
    try {
      readConstraint(text);
    } catch (error) {
      this.fail(
        'constraint',
        `"${text}" is not a semver range.`,
        'write a range such as ^1.4, ~1.4.2, ">=1.0.0 <2.0.0", or ">=1.0.0-0" to admit pre-releases.',
        error,
      );
    }
    return text;
  }

  ignoreTags(): string[] | undefined {
    const value = this.value('ignoreTags');
    if (value === undefined) return undefined;
    if (typeof value === 'string')
      this.fail('ignoreTags', 'must be a list of globs, not a single string.', `write ignoreTags: ["${value}"]`);
    if (!Array.isArray(value) || value.some((glob) => typeof glob !== 'string' || glob === '')) {
      this.fail(
        'ignoreTags',
        `must be a list of non-empty globs (found ${JSON.stringify(value)}).`,
        'write globs such as ["*-debug", "latest"] (`*` any run of characters, `?` one character).',
      );
    }
    return value as string[];
  }

  tag(strategy: Strategy): string | undefined {
    const tag = this.string('tag');
    if (strategy === 'digest' && tag === undefined)
      this.fail(
        'tag',
        'must name the tag to follow when strategy is digest.',
        'set tag, e.g. tag: main (berth then writes image.digest for it).',
      );
    if (tag !== undefined && !OCI_TAG.test(tag))
      this.fail(
        'tag',
        `"${tag}" is not a valid image tag.`,
        'use letters, digits, _, . and - (at most 128, not starting with . or -).',
      );
    return tag;
  }

  boolean(key: string): boolean | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean')
      this.fail(key, `must be true or false (found ${JSON.stringify(value)}).`, `write ${key}: true or remove it.`);
    return value;
  }
}

/** Validates a policy mapping (absent means the default: semver, every released version). */
export function parsePolicy(raw: unknown, where: { file?: string; field?: string }): ImagePolicy {
  if (raw === undefined || raw === null) return { strategy: DEFAULT_STRATEGY };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new BerthError(`must be a mapping of policy keys (found ${JSON.stringify(raw)}).`, {
      file: where.file,
      field: where.field,
      fix: `write keys such as strategy: semver and constraint: ^1.0 under it.`,
    });
  }
  const fields = raw as Fields;
  const reader = new PolicyReader(where, fields);
  for (const key of Object.keys(fields)) {
    if (!(key in POLICY_KEYS))
      reader.fail(key, 'is not an image policy key.', `use only: ${Object.keys(POLICY_KEYS).join(', ')}.`);
  }
  const strategy = reader.strategy();
  for (const [key, owner] of Object.entries(STRATEGY_KEYS)) {
    if (reader.value(key) !== undefined && owner !== strategy)
      reader.fail(
        key,
        `applies only to strategy ${owner}, and strategy is ${strategy}.`,
        `remove ${key}, or set strategy: ${owner}.`,
      );
  }
  const policy: ImagePolicy = {
    strategy,
    constraint: reader.constraint(),
    allowTags: reader.pattern('allowTags'),
    ignoreTags: reader.ignoreTags(),
    extract: reader.pattern('extract'),
    tag: reader.tag(strategy),
    naturalPrerelease: reader.boolean('naturalPrerelease'),
  };
  // leave unset keys out, so policies compare and print cleanly
  return Object.fromEntries(
    Object.entries(policy).filter(([, value]) => value !== undefined),
  ) as unknown as ImagePolicy;
}
