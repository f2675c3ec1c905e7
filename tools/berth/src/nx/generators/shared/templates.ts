// Handlebars file templates for the generators: strict (a missing value is an error) and never HTML-escaped.
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const handlebars = Handlebars.create();
handlebars.registerHelper('join', (items: string[]) => items.join(', '));

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
