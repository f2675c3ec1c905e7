// `berth image-policy test`: try a policy against a repository's tags (or tags on stdin) before committing it.
import { readFileSync } from 'node:fs';
import { BerthError } from '../errors';
import { OCI_TAG } from '../workspace/overlay';
import { parsePolicy, policyNeedsCreationTime, selectTag, type ImagePolicy, type TagCandidate } from '../policy';
import { registryFor } from '../registry';

/** The policy flags mirror the policy keys; parsePolicy checks them like env.yaml's. */
export interface ImagePolicyTestOptions extends Partial<Omit<ImagePolicy, 'strategy'>> {
  strategy?: string;
  explain?: boolean;
  json?: boolean;
}

/** "1.4.3" or "1.4.3 2026-11-01T10:00:00Z", one a line; blank lines and #comments are skipped. */
export function parseTagLines(text: string): TagCandidate[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line, index) => {
      const [tag, time] = line.split(/\s+/);
      if (time === undefined) return { tag };
      const created = new Date(time);
      if (Number.isNaN(created.getTime()))
        throw new BerthError(`line ${index + 1}: "${time}" is not an ISO time.`, {
          file: 'stdin',
          fix: 'write "<tag> <ISO time>", e.g. 1.4.3 2026-11-01T10:00:00Z.',
        });
      return { tag, created };
    });
}

async function candidatesFrom(source: string, needsTime: boolean): Promise<TagCandidate[]> {
  if (source === '-') return parseTagLines(readFileSync(0, 'utf8'));
  const registry = registryFor(source);
  const tags = await registry.listTags(source);
  if (!needsTime) return tags.map((tag) => ({ tag: tag.tag, created: tag.created }));
  return Promise.all(
    tags.map(async (tag) => ({ tag: tag.tag, created: tag.created ?? (await registry.createdAt(source, tag.tag)) })),
  );
}

/** The policy from the flags; an error names the flag (--allow-tags), not the env.yaml key (allowTags). */
function parseFlags(raw: Record<string, unknown>): ImagePolicy {
  try {
    return parsePolicy(raw, {});
  } catch (error) {
    if (!(error instanceof BerthError) || !error.field) throw error;
    const flag = `--${error.field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
    throw new BerthError(error.problem, { field: flag, fix: error.fix, cause: error });
  }
}

export async function imagePolicyTestCommand(source: string, options: ImagePolicyTestOptions): Promise<void> {
  const { explain: _explain, json: _json, ...flags } = options;
  const raw = Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined));
  const policy = parseFlags(raw);
  const all = await candidatesFrom(source, policyNeedsCreationTime(policy));
  const invalid = all.filter((candidate) => !OCI_TAG.test(candidate.tag));
  const selection = selectTag(
    all.filter((candidate) => OCI_TAG.test(candidate.tag)),
    policy,
  );
  const candidates = [
    ...selection.candidates,
    ...invalid.map((candidate) => ({ tag: candidate.tag, taken: false, reason: 'not an OCI tag' })),
  ];
  if (options.json) {
    console.log(JSON.stringify({ selected: selection.selected, candidates }, null, 2));
    return;
  }
  console.log(selection.selected === null ? 'no tag satisfies the policy' : `selected: ${selection.selected}`);
  if (options.explain)
    for (const verdict of candidates)
      console.log(`  ${verdict.taken ? '*' : ' '} ${verdict.tag.padEnd(30)} ${verdict.reason}`);
}
