// Helm's merge of repeated --values files: maps merge key by key, anything else is replaced by the later file.

export type Values = Record<string, unknown>;

const isMap = (value: unknown): value is Values => typeof value === 'object' && value !== null && !Array.isArray(value);

export function mergeValues(base: Values, override: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    out[key] = isMap(value) && isMap(out[key]) ? mergeValues(out[key] as Values, value) : value;
  }
  return out;
}
