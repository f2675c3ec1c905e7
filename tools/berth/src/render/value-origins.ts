// Which file sets a value of an Application: its value files in order (the last that sets a key wins), its
// valuesObject (from env.yaml), then the chart's defaults; with the line and the text as the user wrote it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Document, LineCounter } from 'yaml';
import { paths } from '../workspace/model';
import { HELM_SCALARS, loadYaml } from '../util/yaml-read';
import { editedValueFiles, type HelmRequest } from './argo-rules';
import type { ResolvedRequest } from './revisions';

/** One place values come from, in helm's order; `document` is absent for the valuesObject, which is no file. */
export interface ValueSource {
  /** The file a person edits to change it. */
  file: string;
  document?: Document;
  lines?: LineCounter;
  /** The file's text, to quote a scalar exactly as written. */
  text?: string;
  /** For sources without a document: the values themselves. */
  values?: unknown;
  role: 'chart defaults' | 'value file' | 'env.yaml';
}

/** Where a value is set: the file, the line (1-based, when known) and the scalar exactly as written (`1.10`, `"three"`). */
export interface ValueOrigin {
  file: string;
  role: ValueSource['role'];
  line?: number;
  /** The value after YAML read it (1.10 reads as the number 1.1). */
  value: unknown;
  /** The source text of a scalar, when the file has one there. */
  text?: string;
  /** 'PLAIN', 'QUOTE_DOUBLE', ... for a scalar. */
  style?: string;
}

/** A source read from text (a file, or a test's table). */
export function textSource(file: string, role: ValueSource['role'], text: string | undefined): ValueSource | undefined {
  if (text === undefined) return undefined;
  // the yaml package is loaded here, when an error is explained, not by every render
  const { LineCounter, parseDocument } = loadYaml();
  const lines = new LineCounter();
  return {
    file,
    role,
    document: parseDocument(text, { ...HELM_SCALARS, lineCounter: lines, uniqueKeys: false }),
    lines,
    text,
  };
}

const readText = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** Where a value nobody sets belongs: the service's overlay (the Application's last value file), else the chart's defaults. */
export const overlayOf = (request: HelmRequest): string =>
  editedValueFiles(request).at(-1) ?? `${request.chartPath}/values.yaml`;

/**
 * The sources of a request, weakest first: chart defaults, each value file, then valuesObject (which env.yaml gives).
 * An Application that carries its values has them from its value files and env.yaml's block (`environment`).
 */
export function valueSources(repoRoot: string, request: ResolvedRequest): ValueSource[] {
  const chartDefaults = `${request.chartPath}/values.yaml`;
  const fromEnvYaml =
    request.valuesFrom && request.extraValues ? { environment: request.extraValues.environment } : request.extraValues;
  return [
    textSource(chartDefaults, 'chart defaults', readText(join(request.chartDir, 'values.yaml'))),
    ...editedValueFiles(request).map((file) => textSource(file, 'value file', readText(join(repoRoot, file)))),
    fromEnvYaml ? { file: paths.env(request.environment), role: 'env.yaml' as const, values: fromEnvYaml } : undefined,
  ].filter((source): source is ValueSource => source !== undefined);
}

const at = (values: unknown, path: (string | number)[]): { found: boolean; value?: unknown } => {
  let current = values;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !(String(key) in (current as object)))
      return { found: false };
    current = (current as Record<string, unknown>)[String(key)];
  }
  return { found: true, value: current };
};

/** The strongest source that sets `path` (helm's "last one wins"), or undefined when none does. Pure over the sources. */
export function originOf(sources: ValueSource[], path: (string | number)[]): ValueOrigin | undefined {
  for (const source of [...sources].reverse()) {
    if (!source.document) {
      const hit = at(source.values, path);
      if (hit.found) return { file: source.file, role: source.role, value: hit.value };
      continue;
    }
    if (path.length > 0 && !source.document.hasIn(path)) continue;
    const node = path.length > 0 ? source.document.getIn(path, true) : source.document.contents;
    const origin: ValueOrigin = {
      file: source.file,
      role: source.role,
      value: path.length > 0 ? at(source.document.toJS(), path).value : source.document.toJS(),
    };
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (range && source.lines) origin.line = source.lines.linePos(range[0]).line;
    if (loadYaml().isScalar(node) && range) {
      origin.text = source.text?.slice(range[0], range[1]);
      origin.style = node.type;
    }
    return origin;
  }
  return undefined;
}
