// Values as YAML text for file templates (berth new and the Nx generators), and the check that a rendered file holds
// exactly the data meant.
import { isDeepStrictEqual } from 'node:util';
import { Document, isCollection, isSeq, parseDocument } from 'yaml';
import { BerthError } from '../errors';
import { parseYamlDocument } from '../util/yaml-read';

/**
 * One value as single-line YAML (a scalar, or a flow collection), quoted by the yaml library where it must be.
 * berth reads YAML 1.2 and Helm reads YAML 1.1 (where yes, on and 0o17 differ), so the text must mean the value in both.
 */
export function yamlValue(value: unknown): string {
  const document = new Document(value, { version: '1.1' });
  if (isCollection(document.contents)) document.contents.flow = true;
  const text = document.toString({ lineWidth: 0, flowCollectionPadding: false }).replace(/\n$/, '');
  // otherwise the double-quoted form, which escapes everything (a JSON string is a YAML 1.1 and 1.2 scalar)
  return !text.includes('\n') && readsAs(text, value) ? text : JSON.stringify(value);
}

function readsAs(text: string, value: unknown): boolean {
  return (['1.1', '1.2'] as const).every((version) =>
    isDeepStrictEqual(parseDocument(text, { version }).toJS(), value),
  );
}

/** A sequence after its key, in the style asked for: " [a, b]" (flow) or "\n<indent>- a\n<indent>- b" (block). */
export function yamlList(items: unknown[], flow: boolean, indent = ''): string {
  if (flow || items.length === 0) return ` ${yamlValue(items)}`;
  return items.map((item) => `\n${indent}- ${yamlValue(item)}`).join('');
}

/** Whether the sequence at `key` of a YAML file is written in flow style ([a, b]); undefined when there is none. */
export function listStyleOf(text: string | undefined, file: string, key: string): 'flow' | 'block' | undefined {
  if (text === undefined) return undefined;
  const node = parseYamlDocument(text, file).get(key, true);
  if (!isSeq(node)) return undefined;
  return node.flow ? 'flow' : 'block';
}

/**
 * Proves a generated file holds `expected` and nothing else: a template is layout and comments, and no option
 * may turn into YAML structure (an owner holding "\npins:" must stay a string, never become a key).
 */
export function checkedYaml(path: string, text: string, expected: unknown): string {
  const document = parseDocument(text, { uniqueKeys: true });
  const actual = document.errors.length === 0 ? document.toJS() : undefined;
  // as Helm reads it, too (YAML 1.1)
  const asHelm = parseDocument(text, { uniqueKeys: true, version: '1.1' }).toJS();
  if (!isDeepStrictEqual(actual, expected) || !isDeepStrictEqual(asHelm, expected)) {
    throw new BerthError(
      `berth generated YAML that does not read back as the values it was given${document.errors[0] ? ` (${document.errors[0].message})` : ''}.`,
      {
        file: path,
        fix: 'this is a bug in berth: report it with the options you passed.',
      },
    );
  }
  return text;
}
