// Checks an Application's values against its chart's values.schema.json the way helm does, once per schema instead of once per chart.
// Batched renders leave the schema out of the scratch charts (helm would compile it again for every subchart) and check here.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { join } from 'node:path';
import { BerthError } from '../errors';
import { compiledValidator } from './compiled-schemas';
import { coalesce, type Values } from '../util/values-merge';
import { readHelmValues } from '../util/yaml-read';
import type { ResolvedRequest } from './revisions';
import { explainSchemaErrors, schemaError } from './schema-explain';
import type { RenderSession } from './session';
import { overlayOf, valueSources, type ValueSource } from './value-origins';

function validatorFor(session: RenderSession, schemaText: string, file: string): ValidateFunction {
  return session.schemas.get(schemaText, () => {
    try {
      return compiledValidator(schemaText);
    } catch (error) {
      throw new BerthError(`is not a usable JSON schema: ${(error as Error).message}`, { file, cause: error });
    }
  });
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
export function valuesSchemaCheck(
  session: RenderSession,
  request: ResolvedRequest,
  user: Values,
): SchemaCheck | undefined {
  const schemaText = session.text(join(request.chartDir, 'values.schema.json'));
  if (schemaText === undefined) return undefined; // a chart without a schema accepts any values
  const schemaFile = `${request.chartPath}/values.schema.json`;
  const validate = validatorFor(session, schemaText, schemaFile);
  const defaultsText = session.text(join(request.chartDir, 'values.yaml')) ?? ''; // '': a chart without defaults
  const defaults = session.parsedValues.get(defaultsText, () =>
    readHelmValues(defaultsText, `${request.chartPath}/values.yaml`),
  );
  const values = coalesce(defaults, user);
  const errors = validate(values) ? [] : [...(validate.errors ?? [])];
  const schema = session.parsedSchemas.get(schemaText, () => JSON.parse(schemaText));
  return { schemaFile, schema, values, defaults, errors };
}

/** Throws when helm would refuse these values; `user` is what the Application's value files and valuesObject give. */
export function checkValuesSchema(session: RenderSession, request: ResolvedRequest, user: Values): void {
  const check = valuesSchemaCheck(session, request, user);
  if (check && check.errors.length > 0) throw explainedSchemaError(request, check, valueSources(session.root, request));
}

/** The error for a failed schema check, naming the file and key path that set each refused value. */
export function explainedSchemaError(
  request: ResolvedRequest,
  check: SchemaCheck,
  sources: ValueSource[],
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
