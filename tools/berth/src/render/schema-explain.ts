// Explains a chart schema's verdict on an Application's values as a person needs it: the file and key that set the
// value, what is wrong with it, and the fix (the nearest known key, quotes around a YAML number). Pure over its inputs.
import type { ErrorObject } from 'ajv';
import { BerthError } from '../errors';
import { nearestName } from '../util/nearest-name';
import { originOf, type ValueOrigin, type ValueSource } from './value-origins';

/** One wrong value, addressed to the file that sets it. */
export interface ValueProblem {
  file: string;
  /** The key path, dotted: image.tag, secrets.items.0.key. */
  field: string;
  line?: number;
  problem: string;
  fix: string;
}

type Schema = Record<string, unknown>;
type Path = (string | number)[];

/** JSON pointer "#/properties/image/type" -> that part of the schema. */
export function schemaAt(schema: unknown, pointer: string): Schema | undefined {
  const segments = pointer
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((segment) => decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = schema;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Schema)[segment];
  }
  return node && typeof node === 'object' ? (node as Schema) : undefined;
}

const pathOf = (instancePath: string): Path =>
  instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
const dotted = (path: Path) => path.join('.') || '(top level)';
const parentPointer = (schemaPath: string) => schemaPath.replace(/\/[^/]+$/, '');

/** The keys a mapping may have there: the schema's properties and the chart defaults' keys. */
function knownKeys(schema: unknown, error: ErrorObject, defaults: unknown, parent: Path): string[] {
  const properties = schemaAt(schema, parentPointer(error.schemaPath))?.properties;
  let atDefaults: unknown = defaults;
  for (const key of parent)
    atDefaults = atDefaults && typeof atDefaults === 'object' ? (atDefaults as Schema)[String(key)] : undefined;
  return [
    ...(properties && typeof properties === 'object' ? Object.keys(properties) : []),
    ...(atDefaults && typeof atDefaults === 'object' && !Array.isArray(atDefaults) ? Object.keys(atDefaults) : []),
  ];
}

/** A short list is printed; a long one is where the schema lists it. */
function knownList(known: string[], chart: string): string {
  const keys = [...new Set(known)].sort();
  return keys.length && keys.length <= 12 ? keys.join(', ') : `see the properties in ${chart}/values.schema.json`;
}

const typeOf = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value === 'object' ? 'mapping' : typeof value;
const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping (key: value pairs)',
  array: 'a list',
  null: 'null',
};

function typeProblem(
  field: string,
  key: string,
  expected: string[],
  origin: ValueOrigin,
  fallback: unknown,
): { problem: string; fix: string } {
  const want = expected.map((type) => TYPE_WORDS[type] ?? type).join(' or ');
  const value = origin.value;
  const written = origin.text ?? JSON.stringify(value);
  if (value === null) {
    return {
      problem: `is null, which removes the chart's default; it must be ${want}.`,
      fix: `set ${field} to ${want}, or delete the line.`,
    };
  }
  if (
    expected.includes('string') &&
    origin.style === 'PLAIN' &&
    (typeof value === 'number' || typeof value === 'boolean')
  ) {
    return {
      problem: `must be a string, but YAML reads \`${key}: ${written}\` as the ${typeOf(value)} ${String(value)}.`,
      fix: `quote it as "${written}": write ${key}: "${written}".`,
    };
  }
  if ((expected.includes('integer') || expected.includes('number')) && typeof value === 'string') {
    const numeric =
      /^-?\d+(\.\d+)?$/.test(value.trim()) && (expected.includes('number') || /^-?\d+$/.test(value.trim()));
    const example = typeof fallback === 'number' ? fallback : 1;
    return {
      problem: `must be ${want} (found the string ${JSON.stringify(value)}).`,
      fix: numeric ? `remove the quotes: write ${key}: ${value.trim()}.` : `write ${want}, e.g. ${key}: ${example}.`,
    };
  }
  if (expected.includes('boolean') && typeof value === 'string' && /^(true|false)$/i.test(value)) {
    return {
      problem: `must be true or false (found the string ${JSON.stringify(value)}).`,
      fix: `remove the quotes: write ${key}: ${value.toLowerCase()}.`,
    };
  }
  return { problem: `must be ${want} (found ${typeOf(value)} ${written}).`, fix: `write ${want} for ${field}.` };
}

/** Wrappers (if/then, anyOf, allOf) repeat what their inner errors say; keep them only when nothing else explains. */
const WRAPPERS = new Set(['if', 'anyOf', 'oneOf', 'allOf', 'not', 'then', 'else']);

function relevant(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((error) => !WRAPPERS.has(error.keyword));
  const chosen = specific.length ? specific : errors;
  const seen = new Set<string>();
  return chosen.filter((error) => {
    const key = `${error.instancePath} ${error.keyword} ${JSON.stringify(error.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface ExplainInput {
  errors: ErrorObject[];
  schema: unknown;
  /** Chart defaults, for the keys a mapping may have and example values. */
  defaults: unknown;
  /** The Application's value sources, weakest first (valueSources). */
  sources: ValueSource[];
  /** Where a missing value belongs: the service's overlay, the last value file. */
  overlay: string;
  /** charts/<service>, for messages. */
  chart: string;
}

export function explainSchemaErrors(input: ExplainInput): ValueProblem[] {
  return relevant(input.errors).map((error) => explainOne(input, error));
}

function explainOne(input: ExplainInput, error: ErrorObject): ValueProblem {
  const base = pathOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const node = schemaAt(input.schema, parentPointer(error.schemaPath));
  const description = typeof node?.description === 'string' ? `: ${node.description}` : '';

  if (error.keyword === 'additionalProperties') {
    const key = String(params.additionalProperty);
    const path = [...base, key];
    const origin = originOf(input.sources, path);
    const known = knownKeys(input.schema, error, input.defaults, base);
    const suggestion = nearestName(key, known);
    const target = [...base, suggestion ?? ''].join('.').replace(/\.$/, '');
    return {
      file: origin?.file ?? input.overlay,
      field: dotted(path),
      line: origin?.line,
      problem: `is not a value ${input.chart} knows${suggestion ? `; did you mean ${target}?` : ''}`,
      fix: suggestion
        ? `rename ${key} to ${suggestion}${origin?.line ? ` on line ${origin.line}` : ''}.`
        : `remove it, or use a key ${input.chart} knows: ${knownList(known, input.chart)}.`,
    };
  }
  if (error.keyword === 'required') {
    const key = String(params.missingProperty);
    const path = [...base, key];
    const removed = originOf(input.sources, path);
    const parentOrigin = base.length ? originOf(input.sources, base) : undefined;
    return {
      file: removed?.file ?? (parentOrigin?.role === 'value file' ? parentOrigin.file : input.overlay),
      field: dotted(path),
      line: removed?.line,
      problem: removed
        ? `is null here, which removes the value ${input.chart} requires.`
        : `is required by ${input.chart}, but no value file sets it.`,
      fix: `set ${dotted(path)}${removed ? ' to a value, or delete the null' : ` in ${parentOrigin?.role === 'value file' ? parentOrigin.file : input.overlay}`}.`,
    };
  }
  const origin = originOf(input.sources, base) ?? {
    file: input.overlay,
    role: 'value file' as const,
    value: undefined,
  };
  const key = String(base[base.length - 1] ?? '');
  const located = { file: origin.file, field: dotted(base), line: origin.line };
  const written = origin.text ?? JSON.stringify(origin.value);
  const defaultValue = originOf(
    input.sources.filter((source) => source.role === 'chart defaults'),
    base,
  )?.value;
  switch (error.keyword) {
    case 'type':
      return {
        ...located,
        ...typeProblem(
          dotted(base),
          key,
          ([] as string[]).concat(params.type as string | string[]),
          origin,
          defaultValue,
        ),
      };
    case 'enum':
    case 'const': {
      const allowed = (error.keyword === 'enum' ? (params.allowedValues as unknown[]) : [params.allowedValue]).map(
        String,
      );
      const suggestion = typeof origin.value === 'string' ? nearestName(origin.value, allowed) : undefined;
      return {
        ...located,
        problem: `must be ${allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`} (found ${written})${suggestion ? `; did you mean ${suggestion}?` : '.'}`,
        fix: `write ${key}: ${suggestion ?? allowed[0]}${suggestion || allowed.length === 1 ? '' : ` (or ${allowed.slice(1).join(', ')})`}.`,
      };
    }
    case 'pattern':
    case 'format':
      return {
        ...located,
        problem: `${written} is not ${error.keyword === 'format' ? `a ${String(params.format)}` : `of the form the chart expects (${String(params.pattern)})`}${description}.`,
        fix: `write it in that form${defaultValue !== undefined ? `, like the chart default ${JSON.stringify(defaultValue)}` : ''}.`,
      };
    default:
      return {
        ...located,
        problem: `${error.message ?? 'is not allowed'} (found ${written})${description}.`,
        fix: `change ${dotted(base)} in ${origin.file}.`,
      };
  }
}

/** One error for all of an Application's wrong values: the first addressed as the error, the others listed after it. */
export function schemaError(problems: ValueProblem[], context: string, cause?: unknown): BerthError {
  const [first, ...others] = problems;
  const also = others
    .map(
      (problem) =>
        `\nalso ${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.field}: ${problem.problem} (fix: ${problem.fix.replace(/\.$/, '')})`,
    )
    .join('');
  return new BerthError(
    `${first.problem}\nthe chart's values.schema.json refuses these values when rendering ${context}.${also}`,
    { file: first.file, line: first.line, field: first.field, fix: first.fix, cause },
  );
}
