// Checks an Application's values against its chart's values.schema.json the way helm does, once per schema instead of once per chart.
// Batched renders leave the schema out of the scratch charts (helm would compile it again for every subchart) and check here.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BerthError } from '../errors';
import type { HelmRequest } from './argo-rules';
import type { Values } from './values-merge';
import { chartDirOf } from './revisions';
import { explainSchemaErrors, schemaError } from './schema-explain';
import { overlayOf, valueSources } from './value-origins';
import { readYamlMapping } from '../util/yaml-read';

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new Map<string, ValidateFunction>();
/** Parsed chart defaults by content. */
const chartDefaults = new Map<string, Values>();

function validatorFor(schemaText: string, file: string): ValidateFunction {
  const key = createHash('sha256').update(schemaText).digest('hex');
  let validate = validators.get(key);
  if (!validate) {
    try {
      validate = ajv.compile(JSON.parse(schemaText));
    } catch (error) {
      throw new BerthError(`is not a usable JSON schema: ${(error as Error).message}`, { file, cause: error });
    }
    validators.set(key, validate);
  }
  return validate;
}

const isMap = (value: unknown): value is Values => typeof value === 'object' && value !== null && !Array.isArray(value);

/** helm's coalescing: chart defaults under the user's values; a null from the user removes the default. */
export function coalesce(defaults: Values, user: Values): Values {
  const out: Values = { ...defaults };
  for (const [key, value] of Object.entries(user)) {
    if (value === null) delete out[key];
    else out[key] = isMap(value) && isMap(out[key]) ? coalesce(out[key] as Values, value) : value;
  }
  return out;
}

/** What a chart's schema says of an Application's values: the schema, the values helm would check, and each violation. */
export interface SchemaCheck {
  schemaFile: string;
  schema: unknown;
  /** Chart defaults coalesced with the user's values, as helm checks them. */
  values: Values;
  defaults: Values;
  errors: ErrorObject[];
}

/** Checks `user` (what the Application's value files and valuesObject give) against the chart's schema; undefined without one. */
export function valuesSchemaCheck(repoRoot: string, request: HelmRequest, user: Values): SchemaCheck | undefined {
  const chartDir = chartDirOf(repoRoot, request);
  let schemaText: string;
  try {
    schemaText = readFileSync(join(chartDir, 'values.schema.json'), 'utf8');
  } catch {
    return undefined; // a chart without a schema accepts any values
  }
  const schemaFile = `${request.chartPath}/values.schema.json`;
  const validate = validatorFor(schemaText, schemaFile);
  let defaultsText = '';
  try {
    defaultsText = readFileSync(join(chartDir, 'values.yaml'), 'utf8');
  } catch {
    defaultsText = ''; // a chart without defaults
  }
  if (!chartDefaults.has(defaultsText))
    chartDefaults.set(defaultsText, readYamlMapping(defaultsText, `${request.chartPath}/values.yaml`));
  const defaults = chartDefaults.get(defaultsText)!;
  const values = coalesce(defaults, user);
  const errors = validate(values) ? [] : [...(validate.errors ?? [])];
  return { schemaFile, schema: validate.schema, values, defaults, errors };
}

/** Throws when helm would refuse these values; `user` is what the Application's value files and valuesObject give. */
export function checkValuesSchema(repoRoot: string, request: HelmRequest, user: Values): void {
  const check = valuesSchemaCheck(repoRoot, request, user);
  if (check && check.errors.length > 0) throw explainedSchemaError(repoRoot, request, check);
}

/** The error for a failed schema check, naming the file and key path that set each refused value. */
export function explainedSchemaError(
  repoRoot: string,
  request: HelmRequest,
  check: NonNullable<ReturnType<typeof valuesSchemaCheck>>,
  sources = valueSources(repoRoot, request),
  cause?: unknown,
) {
  const problems = explainSchemaErrors({
    errors: check.errors,
    schema: check.schema,
    defaults: check.defaults,
    sources,
    overlay: overlayOf(request),
    chart: request.chartPath,
  });
  return schemaError(problems, `${request.manifest} (Application ${request.application})`, cause);
}
