// Writes plain data as the yaml package's stringify writes it with YAML 1.1 quoting and no line folding, byte for
// byte, without building its node tree: nx sync and validate write every derived file, hundreds of Applications. What
// this cannot surely write as yaml would (multi-line or escaped strings, floats, shared objects, nested lists, long
// keys) it leaves to yaml itself, for the whole document.
import { loadYaml } from './yaml-read';

const OPTIONS = { lineWidth: 0, version: '1.1' } as const;

let otherTags: { test: RegExp }[] | undefined;
/** The YAML 1.1 tags other than str: a plain scalar one of them reads (yes, 0777, 1:20, ~, 2001-12-14) is quoted. */
function otherTags11(): { test: RegExp }[] {
  if (!otherTags) {
    const { tags, compat } = new (loadYaml().Document)(undefined, OPTIONS).schema;
    otherTags = [...tags, ...(compat ?? [])].filter(
      (tag) => tag.default && tag.tag !== 'tag:yaml.org,2002:str' && tag.test,
    ) as { test: RegExp }[];
  }
  return otherTags;
}

/** Characters that make yaml escape a string in double quotes. */
const NEEDS_ESCAPE = /[\x00-\x1f\x7f-\x9f\u{D800}-\u{DFFF}"'\\]/u;
/** Where a plain scalar may start: never with an indicator, a space or a quote; `-` only before another character. */
const PLAIN_START = /^(?:[A-Za-z0-9_./$(+=~^;]|-\S)/;
/** What a plain scalar may not hold: `: `, ` #`, a trailing space or colon; a leading `---` or `...` marks a document. */
const NOT_PLAIN = /:[ \t]|[ \t]#|[ \t:]$|^(?:---|\.\.\.)/;
/** Starts that yaml always quotes (an indicator), for a value with nothing else to escape. */
const INDICATOR_START = /^[,[\]{}#&*!|>%@`]/;

const readsAsOtherType = (value: string) => otherTags11().some((tag) => tag.test.test(value));

/** A string as yaml writes it in a block (as a value or an implicit key), or undefined when unsure. */
function scalarString(value: string): string | undefined {
  if (value === '') return '""';
  if (NEEDS_ESCAPE.test(value) || value.length > 1000) return undefined;
  if (PLAIN_START.test(value)) {
    if (NOT_PLAIN.test(value)) return undefined;
    return readsAsOtherType(value) ? `"${value}"` : value;
  }
  return INDICATOR_START.test(value) && !/\s/.test(value) ? `"${value}"` : undefined;
}

/** A scalar of any type, or undefined when unsure. */
function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return scalarString(value);
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
  return undefined;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

class Unsure extends Error {}

/** The lines of a document, each object met once (yaml gives a repeated object an anchor). */
function writer() {
  const seen = new Set<object>();
  const enter = (value: object) => {
    if (seen.has(value)) throw new Unsure();
    seen.add(value);
  };
  const sure = (text: string | undefined) => {
    if (text === undefined) throw new Unsure();
    return text;
  };
  /** `key: value` lines of a mapping at `indent`; the first line's indent is the caller's (after `- `). */
  const mapping = (map: Record<string, unknown>, indent: string, lines: string[], first = indent): void => {
    enter(map);
    let prefix = first;
    for (const [key, value] of Object.entries(map)) {
      if (value === undefined) continue; // yaml leaves an undefined value out
      const name = sure(scalarString(key));
      node(`${prefix}${name}:`, value, indent, lines);
      prefix = indent;
    }
  };
  /** One value after `head` (`key:` or `-`): inline when a scalar or empty, else on the lines below. */
  const node = (head: string, value: unknown, indent: string, lines: string[]): void => {
    if (Array.isArray(value)) {
      if (value.length === 0) lines.push(`${head} []`);
      else {
        lines.push(head);
        sequence(value, `${indent}  `, lines);
      }
    } else if (isPlainObject(value)) {
      if (Object.values(value).every((item) => item === undefined)) lines.push(`${head} {}`);
      else {
        lines.push(head);
        mapping(value, `${indent}  `, lines);
      }
    } else lines.push(`${head} ${sure(scalar(value))}`);
  };
  const sequence = (list: unknown[], indent: string, lines: string[]): void => {
    enter(list);
    for (const item of list) {
      if (Array.isArray(item) && item.length > 0) throw new Unsure(); // yaml writes `- - x`: rare, left to it
      if (isPlainObject(item) && Object.values(item).some((value) => value !== undefined))
        mapping(item, `${indent}  `, lines, `${indent}- `);
      else if (item === undefined) throw new Unsure();
      else node(`${indent}-`, item, indent, lines);
    }
  };
  return { mapping };
}

/** `value` as YAML 1.1 text the way yaml writes it, or undefined when this module is not sure of every byte. */
export function quickYaml11(value: unknown): string | undefined {
  if (!isPlainObject(value) || Object.values(value).every((item) => item === undefined)) return undefined;
  const lines: string[] = [];
  try {
    writer().mapping(value, '', lines);
  } catch (error) {
    if (error instanceof Unsure) return undefined;
    throw error;
  }
  return `${lines.join('\n')}\n`;
}

/** `value` as YAML 1.1 text exactly as `stringify(value, { lineWidth: 0, version: '1.1' })` writes it. */
export const stringifyYaml11 = (value: unknown): string => quickYaml11(value) ?? loadYaml().stringify(value, OPTIONS);
