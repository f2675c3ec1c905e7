// A values.schema.json is compiled once per machine and kept as ajv's standalone code: the validator read back from
// the cache must judge values exactly as a freshly compiled one, and a damaged cache entry must only cost a compile.
import Ajv from 'ajv';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compiledValidator, schemaCacheDir } from '../../src/render/compiled-schemas';

const SCHEMA = JSON.stringify({
  type: 'object',
  properties: {
    replicas: { type: 'integer', minimum: 1 },
    image: {
      type: 'object',
      properties: { tag: { type: 'string', pattern: '^[\\w][\\w.-]{0,127}$' } },
      required: ['tag'],
      additionalProperties: false,
    },
    kind: { enum: ['stateless', 'stateful', 'scheduled'] },
  },
  required: ['image'],
});

const VALUES = [
  { image: { tag: '1.2.3' }, replicas: 2, kind: 'stateless' },
  { image: { tag: '' }, replicas: 0, kind: 'daemon' },
  { image: { tag: '1.0', extra: true } },
  { replicas: 'three' },
];

describe('compiledValidator', () => {
  let cache: string;
  const previous = process.env.BERTH_CACHE_DIR;
  beforeEach(() => {
    cache = mkdtempSync(join(tmpdir(), 'berth-schemas-'));
    process.env.BERTH_CACHE_DIR = cache;
  });
  afterEach(() => {
    if (previous === undefined) delete process.env.BERTH_CACHE_DIR;
    else process.env.BERTH_CACHE_DIR = previous;
    rmSync(cache, { recursive: true, force: true });
  });

  const judge = (validate: ReturnType<typeof compiledValidator>) =>
    VALUES.map((values) => (validate(values) ? [] : validate.errors));

  it('judges values from the cache exactly as a fresh compile does', () => {
    const fresh = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(SCHEMA));
    const expected = VALUES.map((values) => (fresh(values) ? [] : fresh.errors));
    expect(judge(compiledValidator(SCHEMA))).toEqual(expected);
    expect(readdirSync(schemaCacheDir())).toHaveLength(1); // written on the first compile
    expect(judge(compiledValidator(SCHEMA))).toEqual(expected); // read back
    expect(expected.filter((errors) => errors && errors.length > 0)).toHaveLength(3);
  });

  it('compiles again over a damaged cache entry', () => {
    compiledValidator(SCHEMA);
    const [entry] = readdirSync(schemaCacheDir());
    writeFileSync(join(schemaCacheDir(), entry), 'module.exports = {');
    const validate = compiledValidator(SCHEMA);
    expect(validate({ image: { tag: '1' } })).toBe(true);
    expect(validate({ image: {} })).toBe(false);
    expect(compiledValidator(SCHEMA)({ image: {} })).toBe(false); // the entry was replaced with working code
  });

  it('throws for a schema ajv cannot compile, and caches nothing', () => {
    expect(() => compiledValidator(JSON.stringify({ type: 'no-such-type' }))).toThrow();
    expect(readdirSync(cache)).toEqual([]);
  });
});
