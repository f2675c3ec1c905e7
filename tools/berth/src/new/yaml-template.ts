// Renders a YAML file from a Handlebars layout with every value serialised by the yaml library, then proves the
// result parses back to exactly that data: an option can never add a key, a tag, an anchor or a comment line.
import { isDeepStrictEqual } from 'node:util';
import { parse, stringify } from 'yaml';
import { renderTemplate } from '../templates/file-template';

/** One value as YAML on one line: plain when that reads back as the same value, quoted (with escapes) otherwise. */
export function yamlInline(value: unknown): string {
  const text = stringify(value, {
    blockQuote: false,
    lineWidth: 0,
    collectionStyle: 'flow',
    flowCollectionPadding: false,
  }).trimEnd();
  if (text.includes('\n'))
    throw new Error(`berth bug: ${JSON.stringify(value)} does not serialise to one line of YAML.`);
  return text;
}

type Serialised = string | Serialised[] | { [key: string]: Serialised };

/** The data with every leaf serialised; arrays and mappings stay, so the layout can iterate and reach into them. */
export function serialiseLeaves(value: unknown): Serialised {
  if (Array.isArray(value)) return value.map(serialiseLeaves);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, serialiseLeaves(item)]));
  return yamlInline(value);
}

/**
 * `document` is the file's content as data; `layout` holds only the switches the template branches on. The
 * template places the serialised values and writes the comments around them.
 */
export function renderYamlTemplate(
  dir: string,
  name: string,
  document: Record<string, unknown>,
  layout: Record<string, boolean> = {},
): string {
  const text = renderTemplate(dir, name, { ...(serialiseLeaves(document) as object), layout });
  const written = parse(text) as unknown;
  if (!isDeepStrictEqual(written, document)) {
    throw new Error(
      `berth bug: ${name} does not lay out the data it was given:\n${JSON.stringify(written)}\n${JSON.stringify(document)}`,
    );
  }
  return text;
}
