// Plain YAML, which is nearly every file berth reads, read by js-yaml (several times quicker than the yaml package)
// with plain scalars resolved by the same rules, in the same order, as the yaml package resolves them: YAML 1.2's core
// schema, or helm's YAML 1.1 (see HELM_SCALARS). Whatever the two parsers could read apart (anchors, aliases, tags,
// merge keys, keys that are null or collections, deep nesting) is declined, and so is any text js-yaml refuses: the
// caller then reads it the careful way, which also words the error.
import { FAILSAFE_SCHEMA, Type, load, loadAll, type Schema } from 'js-yaml';

/** Which plain scalars are what: YAML 1.2's core schema, or helm's YAML 1.1. */
export type ScalarRules = 'core' | 'helm';

interface ScalarRule {
  tag: string;
  test: RegExp;
  value: (text: string) => unknown;
}

const NULL = 'tag:yaml.org,2002:null';
const BOOL = 'tag:yaml.org,2002:bool';
const INT = 'tag:yaml.org,2002:int';
const FLOAT = 'tag:yaml.org,2002:float';

const signed = (text: string, value: number) => (text.startsWith('-') ? -value : value);
/** An integer after its sign and `skip` prefix characters, underscores dropped (YAML 1.1 allows them). */
const integer = (skip: number, radix: number) => (text: string) => {
  const digits = /^[-+]/.test(text) ? text.slice(1 + skip) : text.slice(skip);
  return signed(text, parseInt(digits.replace(/_/g, ''), radix));
};
const special = (text: string) =>
  text.slice(-3).toLowerCase() === 'nan' ? NaN : text.startsWith('-') ? -Infinity : Infinity;
const decimal = (text: string) => parseFloat(text.replace(/_/g, ''));

const nullRule: ScalarRule = { tag: NULL, test: /^(?:~|[Nn]ull|NULL)?$/, value: () => null };
const specialFloat: ScalarRule = { tag: FLOAT, test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, value: special };

const CORE: ScalarRule[] = [
  nullRule,
  { tag: BOOL, test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, value: (text) => /^[tT]/.test(text) },
  { tag: INT, test: /^0o[0-7]+$/, value: integer(2, 8) },
  { tag: INT, test: /^[-+]?[0-9]+$/, value: integer(0, 10) },
  { tag: INT, test: /^0x[0-9a-fA-F]+$/, value: integer(2, 16) },
  specialFloat,
  { tag: FLOAT, test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, value: decimal },
  { tag: FLOAT, test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, value: decimal },
];

/** Go's strconv.ParseInt(s, 0, 64) takes 0o17, which YAML 1.1 does not name: helm reads it as octal. */
export const GO_OCTAL = /^[-+]?0[oO][0-7_]+$/;
/** Where a node may start, so an anchor, alias or tag may stand: a line's indentation, after an indicator or bracket. */
export const NODE_START = String.raw`(?:^[ \t]*|[:?-][ \t]+|[[{,][ \t]*)`;

/** HELM_SCALARS in yaml-read.ts: Go's 0o octal first, then YAML 1.1 without timestamps and sexagesimals. */
const HELM: ScalarRule[] = [
  { tag: INT, test: GO_OCTAL, value: integer(2, 8) },
  nullRule,
  { tag: BOOL, test: /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/, value: () => true },
  { tag: BOOL, test: /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/, value: () => false },
  { tag: INT, test: /^[-+]?0b[0-1_]+$/, value: integer(2, 2) },
  { tag: INT, test: /^[-+]?0[0-7_]+$/, value: integer(1, 8) },
  { tag: INT, test: /^[-+]?[0-9][0-9_]*$/, value: integer(0, 10) },
  { tag: INT, test: /^[-+]?0x[0-9a-fA-F_]+$/, value: integer(2, 16) },
  specialFloat,
  { tag: FLOAT, test: /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/, value: decimal },
  { tag: FLOAT, test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/, value: decimal },
];

/**
 * js-yaml tries a schema's implicit types in order and takes the first that resolves, as the yaml package tries its
 * tags. js-yaml keys its types by tag, so each rule gets a tag of its own; none is ever written in a text read here.
 */
const schemaOf = (rules: ScalarRule[]): Schema =>
  FAILSAFE_SCHEMA.extend({
    implicit: rules.map(
      (rule, index) =>
        new Type(`${rule.tag}#${index}`, {
          kind: 'scalar',
          resolve: (text: string) => rule.test.test(text),
          construct: rule.value,
        }),
    ),
  });

const SCHEMAS: Record<ScalarRules, Schema> = { core: schemaOf(CORE), helm: schemaOf(HELM) };
/** For js-yaml reading machine-written YAML (helm output, manifests): YAML 1.2's core schema, as `yaml` reads it. */
export const CORE_SCALARS = SCHEMAS.core;

/**
 * Text where the two parsers might not agree: an anchor, alias or tag (`&a`, `*a`, `!!str`) where a node may start, a
 * merge key, an explicit key (`? `), a directive, a key written as a collection (`[a]: b`, `{a: b}: c`), a key that
 * resolves to null (js-yaml names it "null", the yaml package ""), an empty flow entry (`[a, , b]`, which only js-yaml
 * accepts), or a tab (js-yaml is laxer about tabs in indentation).
 */
const MAY_DIFFER = new RegExp(
  `${NODE_START}[&*!]|<<|^[ \\t-]*\\?(?:[ \\t]|$)|^%|[\\]}][ \\t]*:(?:[ \\t]|$)|(?:^[ \\t-]*|[{,][ \\t]*)(?:~|null|Null|NULL)?[ \\t]*:(?:[ \\t]|$)|[[,][ \\t]*,|\\t`,
  'm',
);

/**
 * Whether nesting surely stays within `limit`, counted as yaml-read.ts counts it (indentation plus indicators on a line
 * plus open flow brackets): every line's indentation and indicator characters, plus every flow bracket in the text.
 */
export function surelyShallow(text: string, limit: number): boolean {
  let brackets = 0;
  let deepestLine = 0;
  let line = 0;
  let indenting = true;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 10) {
      deepestLine = Math.max(deepestLine, line);
      line = 0;
      indenting = true;
      continue;
    }
    if (code === 32) {
      if (indenting) line += 1;
      continue;
    }
    indenting = false;
    // - : ?
    if (code === 45 || code === 58 || code === 63) line += 1;
    // [ {
    else if (code === 91 || code === 123) brackets += 1;
  }
  return Math.max(deepestLine, line) + brackets <= limit;
}

/** Whether `text` is plain YAML this module reads exactly as the yaml package would. */
export const isPlainYaml = (text: string, nestingLimit: number): boolean =>
  !MAY_DIFFER.test(text) && surelyShallow(text, nestingLimit);

/**
 * The documents of plain YAML, read quickly; undefined when the text is not plain (see isPlainYaml) or js-yaml refuses
 * it (a syntax error, a duplicate key). `single`: the text must hold one document at most, as parseDocument requires.
 */
export function quickDocuments(
  text: string,
  rules: ScalarRules,
  nestingLimit: number,
  single = false,
): unknown[] | undefined {
  if (!isPlainYaml(text, nestingLimit)) return undefined;
  const schema = SCHEMAS[rules];
  try {
    if (single) {
      const document = load(text, { schema });
      return document === undefined ? [] : [document];
    }
    const documents: unknown[] = [];
    loadAll(text, (document) => documents.push(document), { schema });
    return documents;
  } catch {
    return undefined;
  }
}
