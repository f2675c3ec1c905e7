// Every YAML file berth reads goes through here: bounded in size, nesting and aliases, linear in time, and every
// failure a BerthError naming the file with a caret under the column (tabs and wide characters counted as shown).
// Files people edit are parsed with the comment-preserving `yaml` package when a writer needs the document, or when
// they use what only it reads exactly and bounds (anchors, tags); plain YAML, and machine-written YAML (Application
// manifests, helm output), is read by js-yaml, several times faster, with the same scalar rules (yaml-quick.ts).
import { loadAll } from 'js-yaml';
import type * as YamlPackage from 'yaml';
import type { Document, Node, ScalarTag, Tags } from 'yaml';
import { BerthError } from '../errors';
import { CORE_SCALARS, GO_OCTAL, NODE_START, quickDocuments } from './yaml-quick';

let yamlPackage: typeof YamlPackage | undefined;
/**
 * The yaml package, loaded when a file first needs it: plain files take the quick path, and a render or an image-update
 * pass that reads only those never pays the twentieth of a second the package takes to load.
 */
export const loadYaml = (): typeof YamlPackage => (yamlPackage ??= require('yaml') as typeof YamlPackage);

/** The largest YAML file berth reads: generous for any values file or overlay, and parsed in a few seconds. */
export const MAX_YAML_BYTES = 4 * 1024 * 1024;
/** Nesting, counted as indentation plus indicators on a line plus open flow brackets; real values files stay under 30. */
export const MAX_YAML_NESTING = 128;
/** Anchors and aliases in one file: the yaml package resolves each alias by a scan over them. */
export const MAX_YAML_ANCHORS = 1000;
/** The yaml package's maxAliasCount: how far aliases may multiply a file's content when it is read. */
export const MAX_ALIAS_EXPANSION = 100;

export interface YamlReadOptions {
  /** Keep the source tokens, so a writer can splice at a node's byte range. */
  keepSourceTokens?: boolean;
  /** For messages about machine-written files: how to regenerate them. */
  fix?: string;
  /** Read plain scalars as helm does (YAML 1.1: `yes`, `on`, `0777`), not as YAML 1.2 would. */
  helmScalars?: boolean;
}

const SYNTAX_FIX = 'correct the YAML syntax at the line shown.';

// ---- where an error is: line, column and a caret that lines up on a terminal ----

/** Terminal cells a character takes: 0 for combining marks and zero-width characters, 2 for wide East Asian and emoji. */
export function cellWidth(character: string): number {
  const code = character.codePointAt(0)!;
  if (/[\p{Mn}\p{Me}\p{Cf}]/u.test(character)) return 0;
  if (/\p{Emoji_Presentation}/u.test(character)) return 2;
  const wide =
    (code >= 0x1100 && code <= 0x115f) ||
    code === 0x2329 ||
    code === 0x232a ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe10 && code <= 0xfe19) ||
    (code >= 0xfe30 && code <= 0xfe6f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd);
  return wide ? 2 : 1;
}

export interface SourcePosition {
  line: number;
  /** In characters (code points), 1-based: what an editor's status bar shows. */
  column: number;
  /** The line (cut to a window around the column when long) and a caret line beneath it. */
  excerpt: string;
}

const BEFORE = 50;
const AFTER = 30;

/** Pure: line, column and caret excerpt for a UTF-16 offset into `text`. */
export function positionAt(text: string, offset: number): SourcePosition {
  const at = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < at; index = text.indexOf('\n', index + 1)) line += 1;
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const newline = text.indexOf('\n', at);
  const lineText = text.slice(lineStart, newline === -1 ? text.length : newline).replace(/\r$/, '');
  const before = Array.from(text.slice(lineStart, at));
  const after = Array.from(lineText.slice(at - lineStart));
  const shownBefore = before.length > BEFORE ? before.slice(-BEFORE) : before;
  const shownAfter = after.length > AFTER ? after.slice(0, AFTER) : after;
  const cut = shownBefore.length < before.length ? '…' : '';
  // tabs are copied, so the terminal puts the caret line's tab stops where the source line's are
  const pad =
    (cut ? ' ' : '') +
    shownBefore.map((character) => (character === '\t' ? '\t' : ' '.repeat(cellWidth(character)))).join('');
  const shown = cut + shownBefore.join('') + shownAfter.join('') + (shownAfter.length < after.length ? '…' : '');
  return { line, column: before.length + 1, excerpt: `${shown}\n${pad}^` };
}

function syntaxError(
  problem: string,
  text: string,
  offset: number,
  file: string,
  fix = SYNTAX_FIX,
  cause?: unknown,
): BerthError {
  const { line, column, excerpt } = positionAt(text, offset);
  return new BerthError(`is not valid YAML: ${problem} at line ${line}, column ${column}:\n\n${excerpt}\n`, {
    file,
    fix,
    cause,
  });
}

// ---- bounds checked before the parser sees the text ----

function checkSize(text: string, file: string): void {
  if (text.length <= MAX_YAML_BYTES / 4) return; // four bytes a character at most: cheaper than counting
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_YAML_BYTES) {
    throw new BerthError(
      `is ${(bytes / 1024 / 1024).toFixed(1)} MiB; berth reads YAML files of at most ${MAX_YAML_BYTES / 1024 / 1024} MiB.`,
      {
        file,
        fix: 'make it smaller: values this large are usually generated data that belongs in a chart file or outside git, or split it across services.',
      },
    );
  }
}

// Lexer tokens that mark a position without being source text.
const MARKERS = new Set(['doc-mode', 'flow-error-end', 'scalar']);

/**
 * One pass of the yaml package's lexer (linear) before its parser and composer, which recurse per nesting level and
 * resolve each alias by a scan over every anchor: too deep a file, or too many anchors, is refused here instead.
 * Returns how many anchors and aliases the text holds.
 */
function checkStructure(text: string, file: string): number {
  let flowDepth = 0;
  let atLineStart = true;
  let indent = 0;
  let indicators = 0;
  let anchors = 0;
  let offset = 0;
  const refuse = (problem: string, fix: string) => {
    throw new BerthError(`${problem} (line ${positionAt(text, offset).line}).`, { file, fix });
  };
  const { CST, Lexer } = loadYaml();
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    if (type === 'newline') {
      atLineStart = true;
      indent = 0;
      indicators = 0;
    } else if (type === 'space') {
      if (atLineStart) indent = token.length;
      atLineStart = false;
    } else if (type !== 'comment' && !MARKERS.has(type as string)) {
      atLineStart = false;
      if (type === 'flow-seq-start' || type === 'flow-map-start') flowDepth += 1;
      else if (type === 'flow-seq-end' || type === 'flow-map-end') flowDepth = Math.max(0, flowDepth - 1);
      else if (flowDepth === 0 && (type === 'seq-item-ind' || type === 'map-value-ind' || type === 'explicit-key-ind'))
        indicators += 1;
      else if (type === 'anchor' || type === 'alias') anchors += 1;
      if (indent + indicators + flowDepth > MAX_YAML_NESTING) {
        refuse(
          `nests deeper than the ${MAX_YAML_NESTING} levels berth reads`,
          'flatten the structure; no chart reads values nested this deep.',
        );
      }
      if (anchors > MAX_YAML_ANCHORS) {
        refuse(
          `has more than ${MAX_YAML_ANCHORS} anchors and aliases (&name, *name)`,
          'write the repeated values out, or use fewer anchors.',
        );
      }
    }
    if (!MARKERS.has(type as string)) offset += token.length;
  }
  return anchors;
}

function checkBounds(text: string, file: string): void {
  checkSize(text, file);
  checkStructure(text, file);
}

// ---- after parsing: the first error, duplicate keys, alias expansion ----

function firstError(document: Document, text: string, file: string, fix?: string): void {
  const error = document.errors[0];
  if (!error) return;
  if (/Maximum call stack/.test(error.message)) {
    throw new BerthError('nests deeper than berth can read.', { file, fix: 'flatten the structure.', cause: error });
  }
  if (error.pos[0] < 0)
    throw new BerthError(`is not valid YAML: ${error.message}.`, { file, fix: fix ?? SYNTAX_FIX, cause: error });
  throw syntaxError(error.message, text, error.pos[0], file, fix, error);
}

const keyName = (key: unknown) => (loadYaml().isScalar(key) ? String(key.value) : '?');

/** Each mapping's keys once: a set per mapping, where the yaml package's own check compares every pair (quadratic). */
function checkUniqueKeys(document: Document, text: string, file: string): void {
  const { isCollection, isMap, isPair, isScalar } = loadYaml();
  const pending: Array<{ node: unknown; path: string[] }> = [{ node: document.contents, path: [] }];
  while (pending.length > 0) {
    const { node, path } = pending.pop()!;
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        const field = [...path, keyName(pair.key)];
        if (seen.has(key)) {
          const { line } = positionAt(text, (pair.key as Node | null)?.range?.[0] ?? 0);
          throw new BerthError(`has the key "${keyName(pair.key)}" twice in one mapping (again at line ${line}).`, {
            file,
            field: field.join('.'),
            fix: 'keep one of them: YAML allows each key once per mapping, and helm would silently take the last.',
          });
        }
        seen.add(key);
        pending.push({ node: pair.value, path: field });
      }
    } else if (isCollection(node)) {
      node.items.forEach((item, index) =>
        pending.push({ node: isPair(item) ? item.value : item, path: [...path, `[${index}]`] }),
      );
    }
  }
}

/** The document as plain data, alias expansion bounded; a file that would explode ("billion laughs") is refused. */
function toData(document: Document, file: string): unknown {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    if (/Excessive alias count/.test(message)) {
      throw new BerthError(
        `expands its aliases (*name) beyond what berth reads: an anchor used more than ${MAX_ALIAS_EXPANSION} times, or aliases of aliases that multiply (a "billion laughs" file).`,
        {
          file,
          fix: 'write the repeated values out, or use each anchor fewer times.',
          cause: error,
        },
      );
    }
    if (/alias/i.test(message))
      throw new BerthError(`is not valid YAML: ${message}.`, {
        file,
        fix: 'define each anchor (&name) before its aliases (*name).',
        cause: error,
      });
    throw new BerthError(`cannot be read: ${message}.`, { file, fix: SYNTAX_FIX, cause: error });
  }
}

const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: false, maxAliasCount: MAX_ALIAS_EXPANSION } as const;

/** Go's 0o octal (GO_OCTAL) as a yaml package tag. */
const GO_OCTAL_INT: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  format: 'OCT',
  default: true,
  test: GO_OCTAL,
  resolve: (text) => (text.startsWith('-') ? -1 : 1) * parseInt(text.replace(/^[-+]?0[oO]/, '').replace(/_/g, ''), 8),
};

/**
 * How helm reads a values file: sigs.k8s.io/yaml over go-yaml v2, i.e. YAML 1.1 scalars (`yes`/`on`/`y` are
 * booleans, `0777` is octal, `1_000` an integer) except that a timestamp or a sexagesimal `1:20` stays a string.
 */
export const HELM_SCALARS = {
  version: '1.1',
  customTags: (tags: Tags) => [
    GO_OCTAL_INT,
    ...tags.filter(
      (tag) =>
        typeof tag === 'string' || !(tag.tag === 'tag:yaml.org,2002:timestamp' || (tag as ScalarTag).format === 'TIME'),
    ),
  ],
} as const;

function parseChecked(text: string, file: string, options: YamlReadOptions): Document {
  checkBounds(text, file);
  const document = loadYaml().parseDocument(text, {
    ...PARSE_OPTIONS,
    ...(options.helmScalars ? HELM_SCALARS : {}),
    keepSourceTokens: options.keepSourceTokens,
  });
  firstError(document, text, file, options.fix);
  checkUniqueKeys(document, text, file);
  return document;
}

/** One YAML document a person edits, as a yaml Document (comments kept), checked and bounded; errors name `file`. */
export function parseYamlDocument(text: string, file: string, options: YamlReadOptions = {}): Document {
  const document = parseChecked(text, file, options);
  // resolving the aliases once proves their expansion bounded, whatever the caller does with the Document
  if (text.includes('*')) toData(document, file);
  return document;
}

/** Plain YAML read quickly, within the bounds the careful reading enforces; undefined: read it the careful way. */
function quickRead(text: string, options: YamlReadOptions, single: boolean): unknown[] | undefined {
  if (options.keepSourceTokens || text.length > MAX_YAML_BYTES / 4) return undefined;
  return quickDocuments(text, options.helmScalars ? 'helm' : 'core', MAX_YAML_NESTING, single);
}

/** One YAML document as plain data (`{}` for an empty file). */
export function readYaml(text: string, file: string, options: YamlReadOptions = {}): unknown {
  const quick = quickRead(text, options, true);
  if (quick) return quick[0] ?? {};
  return toData(parseChecked(text, file, options), file) ?? {};
}

const notAMapping = (file: string, fix = 'write key: value pairs at the top level.') =>
  new BerthError('must be a YAML mapping (key: value pairs).', { file, fix });

/** A file that must hold a mapping (values files, overlays, env.yaml, app.yaml, Chart.yaml). */
export function readYamlMapping(text: string, file: string, options: YamlReadOptions = {}): Record<string, any> {
  const value = readYaml(text, file, options);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw notAMapping(file, options.fix);
  return value as Record<string, any>;
}

/** A Helm values file (chart defaults, environment values, an overlay) as the data helm reads from it. */
export const readHelmValues = (text: string, file: string): Record<string, any> =>
  readYamlMapping(text, file, { helmScalars: true });

/** A file that must hold a mapping, as a yaml Document for a writer to edit (an empty file: a Document of null). */
export function parseYamlMappingDocument(text: string, file: string, options: YamlReadOptions = {}): Document {
  const document = parseYamlDocument(text, file, options);
  if (document.contents !== null && !loadYaml().isMap(document.contents)) throw notAMapping(file, options.fix);
  return document;
}

/** Every non-empty document of a multi-document file a person edits, as plain data. */
export function readYamlDocuments(text: string, file: string, options: YamlReadOptions = {}): unknown[] {
  const quick = quickRead(text, options, false);
  if (quick) return quick.filter((value) => value !== null && value !== undefined);
  checkBounds(text, file);
  const documents = loadYaml().parseAllDocuments(text, PARSE_OPTIONS);
  const list = Array.isArray(documents) ? documents : [documents];
  const values: unknown[] = [];
  for (const document of list) {
    firstError(document as Document, text, file, options.fix);
    checkUniqueKeys(document as Document, text, file);
    const value = toData(document as Document, file);
    if (value !== null && value !== undefined) values.push(value);
  }
  return values;
}

// Cheap first look: an anchor is "&" after a line start, a space, an indicator or a flow bracket.
const MAY_HAVE_ANCHOR = /(?:^|[\s[{,:-])&[^\s[\]{},]/;
// A tag ("!!binary", "!foo") where a node starts, which js-yaml's core schema does not know (`a != b` is no tag).
const MAY_HAVE_TAG = new RegExp(String.raw`${NODE_START}![^\s[\]{},]`, 'm');

/**
 * Every non-empty document of machine-written YAML (helm output, Application manifests), as plain objects.
 * js-yaml keeps an alias as a reference to its anchor's object, so a hostile file would explode only later, when
 * something walks it: a text that holds anchors is read by the bounded path instead. Without anchors there is no
 * size limit: helm output is as large as the charts make it.
 */
export function readDocuments(text: string, file = 'YAML text', options: YamlReadOptions = {}): Record<string, any>[] {
  const isObject = (document: unknown): document is Record<string, any> =>
    Boolean(document) && typeof document === 'object';
  if ((MAY_HAVE_ANCHOR.test(text) && checkStructure(text, file) > 0) || MAY_HAVE_TAG.test(text))
    return readYamlDocuments(text, file, options).filter(isObject);
  const documents: Record<string, any>[] = [];
  try {
    loadAll(
      text,
      (document) => {
        if (isObject(document)) documents.push(document);
      },
      { schema: CORE_SCALARS },
    );
  } catch (error) {
    const mark = (error as { mark?: { position?: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    if (mark?.position !== undefined) throw syntaxError(reason, text, mark.position, file, options.fix, error);
    throw new BerthError(`is not valid YAML: ${reason}.`, { file, fix: options.fix ?? SYNTAX_FIX, cause: error });
  }
  return documents;
}
