// values.schema.json compiled to a validator once per machine: ajv's standalone JavaScript for each schema is kept on
// disk by content, as register.js keeps compiled TypeScript, so a render loads a validator instead of loading ajv and
// compiling the schema (a fifth of a cold render's own work for a hundred services sharing one schema).
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../util/fs';
import { layerCacheDir } from '../util/layer-binary';

/** How berth compiles: the options every cached validator was made with, part of its key. */
const OPTIONS = { allErrors: true, strict: false, code: { optimize: false, source: true } } as const;

const ajvPackage = require.resolve('ajv/package.json');
const ajvVersion = (JSON.parse(readFileSync(ajvPackage, 'utf8')) as { version: string }).version;

/** BERTH_CACHE_DIR/schemas, else node_modules/.cache/berth/schemas beside ajv. */
export const schemaCacheDir = (): string => join(layerCacheDir(dirname(ajvPackage)), 'schemas');

const cacheFile = (schemaText: string) =>
  join(
    schemaCacheDir(),
    `${createHash('sha256').update(ajvVersion).update(JSON.stringify(OPTIONS)).update(schemaText).digest('hex')}.js`,
  );

/**
 * Runs standalone code with this module's `require`, so the ajv runtime helpers it names resolve from berth's own
 * node_modules wherever the cache folder is.
 */
function loadStandalone(code: string): ValidateFunction {
  const module = { exports: {} as { default?: ValidateFunction } };
  new Function('require', 'module', 'exports', code)(require, module, module.exports);
  const validate = module.exports.default;
  if (typeof validate !== 'function') throw new Error('the cached code exports no validator');
  return validate;
}

/** ajv itself, loaded only when a schema is compiled for the first time on this machine; one per schema, so no two
 * schemas meet in one compiler (two charts' schemas may share an $id). */
function newCompiler(): Ajv {
  const { default: Compiler } = require('ajv') as typeof import('ajv');
  return new Compiler(OPTIONS);
}

/**
 * A validator for `schemaText` (JSON), from the cache or compiled and then cached. Throws what ajv throws for a schema
 * it cannot compile. A cache entry that cannot be read or run is compiled again and replaced.
 */
export function compiledValidator(schemaText: string): ValidateFunction {
  const file = cacheFile(schemaText);
  try {
    return loadStandalone(readFileSync(file, 'utf8'));
  } catch {
    // not cached yet, or unreadable: compile below
  }
  const compiler = newCompiler();
  const validate = compiler.compile(JSON.parse(schemaText));
  try {
    const { default: standaloneCode } = require('ajv/dist/standalone') as typeof import('ajv/dist/standalone');
    writeFileAtomic(file, standaloneCode(compiler, validate));
  } catch {
    // a read-only cache, or a schema standalone code cannot express: this run compiled it, the next will again
  }
  return validate;
}
