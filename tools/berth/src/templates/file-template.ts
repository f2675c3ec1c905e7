// Handlebars file templates for berth new and the Nx generators: strict (a missing value is an error) and never
// HTML-escaped.
// Templates give layout and comments; values reach YAML only through the `yaml` and `list` helpers, serialised by
// the yaml library, so an option is always data (see yaml-values.ts).
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { yamlList, yamlValue } from './yaml-values';

const handlebars = Handlebars.create();
handlebars.registerHelper('join', (items: string[]) => items.join(', '));
handlebars.registerHelper('yaml', (value: unknown) => yamlValue(value));
/** A string always in double quotes (image tags, schedules: what a reader expects quoted). */
handlebars.registerHelper('quoted', (value: unknown) => JSON.stringify(String(value)));
/** {{list items flow}}: the sequence after its key, " [a, b]" or one "- item" line each (two-space indent at depth 1). */
handlebars.registerHelper('list', (items: unknown[], flow: unknown, options: Handlebars.HelperOptions) =>
  yamlList(items, Boolean(flow), typeof options.hash.indent === 'string' ? options.hash.indent : ''),
);

const compiled = new Map<string, HandlebarsTemplateDelegate>();

export function renderTemplate(dir: string, name: string, data: object): string {
  const path = join(dir, name);
  let template = compiled.get(path);
  if (!template) {
    template = handlebars.compile(readFileSync(path, 'utf8'), { noEscape: true, strict: true });
    compiled.set(path, template);
  }
  return template(data);
}
