// helm's two value merges, pure: repeated --values files merge key by key, and the result coalesces over chart defaults.

export type Values = Record<string, unknown>;

/** A YAML mapping once parsed: what helm merges key by key (lists and scalars are replaced whole). */
export const isMap = (value: unknown): value is Values =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Maps merge key by key; anything else in `override` replaces what `base` has. `nullDeletes`: a null removes the key. */
function merge(base: Values, override: Values, nullDeletes: boolean): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (nullDeletes && value === null) delete out[key];
    else out[key] = isMap(value) && isMap(out[key]) ? merge(out[key] as Values, value, nullDeletes) : value;
  }
  return out;
}

/** helm's merge of repeated --values files (and valuesObject after them): the later file wins, a null is kept. */
export const mergeValues = (base: Values, override: Values): Values => merge(base, override, false);

/** helm's coalescing of the user's values over the chart's defaults: a null from the user removes the default. */
export const coalesce = (defaults: Values, user: Values): Values => merge(defaults, user, true);
