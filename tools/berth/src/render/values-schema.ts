// Checks an Application's values against its chart's values.schema.json the way helm does, once per schema instead of once per chart.
// Batched renders leave the schema out of the scratch charts (helm would compile it again for every subchart) and check here.
import Ajv, { type ValidateFunction } from 'ajv';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BerthError } from '../errors';
import type { HelmRequest } from './argo-rules';
import type { Values } from './values-merge';
import { chartDirOf } from './revisions';
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
function coalesce(defaults: Values, user: Values): Values {
  const out: Values = { ...defaults };
  for (const [key, value] of Object.entries(user)) {
    if (value === null) delete out[key];
    else out[key] = isMap(value) && isMap(out[key]) ? coalesce(out[key] as Values, value) : value;
  }
  return out;
}

/** Throws when helm would refuse these values; `user` is what the Application's value files and valuesObject give. */
export function checkValuesSchema(repoRoot: string, request: HelmRequest, user: Values): void {
  const chartDir = chartDirOf(repoRoot, request);
  let schemaText: string;
  try {
    schemaText = readFileSync(join(chartDir, 'values.schema.json'), 'utf8');
  } catch {
    return; // a chart without a schema accepts any values
  }
  const schemaFile = `${request.chartPath}/values.schema.json`;
  const validate = validatorFor(schemaText, schemaFile);
  let defaultsText = '';
  try {
    defaultsText = readFileSync(join(chartDir, 'values.yaml'), 'utf8');
  } catch {
    defaultsText = ''; // a chart without defaults
  }
  if (!chartDefaults.has(defaultsText)) chartDefaults.set(defaultsText, readYamlMapping(defaultsText, `${request.chartPath}/values.yaml`));
  const values = coalesce(chartDefaults.get(defaultsText)!, user);
  if (validate(values)) return;
  const problems = (validate.errors ?? []).map((error) => `${error.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(top level)'} ${error.message}${error.params && 'additionalProperty' in error.params ? ` (${error.params.additionalProperty})` : ''}`);
  throw new BerthError(`the values of Application ${request.application} do not match ${schemaFile}: ${problems.join('; ')}.`, {
    file: request.manifest,
    field: 'spec.sources[].helm.valueFiles',
    fix: `correct the named values in ${request.valueFiles.join(' or ')}.`,
  });
}
