// Turns a failed `helm template` of one Application into a berth error that names the file a person edits: the value
// file and key that set a wrong value, the chart template that stopped, and a fix; never a flag berth does not have.
import { BerthError } from '../errors';
import { editedValueFiles, type HelmRequest } from './argo-rules';
import type { ResolvedRequest } from './revisions';
import type { RenderSession } from './session';
import { schemaError, type ValueProblem } from './schema-explain';
import { mergeValues, type Values } from '../util/values-merge';
import { explainedSchemaError, valuesSchemaCheck } from './values-schema';
import { originOf, overlayOf, valueSources, type ValueSource } from './value-origins';

/** helm's own words without the lines that point at its flags (`Use --debug flag ...`): berth runs helm for you. */
export function helmWords(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/--debug\b/.test(line) && !/^\S.* failed \(exit \d+\)\.$/.test(line))
    .join('\n')
    .replace(/^Error: /gm, '')
    .trim();
}

/** "service-a/charts/common/templates/_pod.tpl" (as helm names it) -> "charts/common/templates/_pod.tpl" (in the repository). */
export function repositoryPath(helmPath: string, chartPath: string): string {
  const sub = /^[^/]+\/charts\/([^/]+)\/(.*)$/.exec(helmPath);
  if (sub) return `charts/${sub[1]}/${sub[2]}`;
  return helmPath.replace(/^[^/]+\//, `${chartPath}/`);
}

/** What a template failure says, parsed: where in which template, the values path it used, and its message. */
export interface TemplateFailure {
  template: string;
  line?: number;
  /** A values path the failure names: `<.Values.image.tag>`, or the subject of a chart's own message (`image.tag is empty`). */
  valuesPath?: string[];
  message: string;
  kind: 'stopped' | 'cannot use' | 'invalid YAML' | 'syntax';
}

export function parseTemplateFailure(words: string, chartPath: string): TemplateFailure | undefined {
  const stopped = /execution error at \(([^:)]+):(\d+):\d+\): ([\s\S]*)/.exec(words);
  if (stopped) {
    const subject = /^([A-Za-z][\w-]*(?:\.[\w-]+)*) (?:is|are|must|needs?) /.exec(stopped[3])?.[1];
    return {
      template: repositoryPath(stopped[1], chartPath),
      line: Number(stopped[2]),
      valuesPath: subject?.split('.'),
      message: stopped[3].trim(),
      kind: 'stopped',
    };
  }
  // helm 3: "template: t.yaml:2:13: executing "t" at <.Values.x>: msg"; helm 4 puts the parts on lines of their own
  const executing = /(?:template: )?([^\s:]+):(\d+):\d+:?\s+executing "[^"]*" at <([^>]*)>:\s+([\s\S]*)/.exec(words);
  if (executing) {
    const values = /\.Values\.([\w.-]+)/.exec(executing[3])?.[1];
    return {
      template: repositoryPath(executing[1], chartPath),
      line: Number(executing[2]),
      valuesPath: values?.split('.'),
      message: executing[4].trim(),
      kind: 'cannot use',
    };
  }
  const yaml = /YAML parse error on ([^:\s]+): ([\s\S]*)/.exec(words);
  if (yaml) {
    const line = /line (\d+)/.exec(yaml[2])?.[1];
    return {
      template: repositoryPath(yaml[1], chartPath),
      line: line ? Number(line) : undefined,
      message: yaml[2].replace(/^error converting YAML to JSON: /, '').trim(),
      kind: 'invalid YAML',
    };
  }
  const syntax = /parse error at \(([^:)]+):(\d+)\): ([\s\S]*)/.exec(words);
  if (syntax)
    return {
      template: repositoryPath(syntax[1], chartPath),
      line: Number(syntax[2]),
      message: syntax[3].trim(),
      kind: 'syntax',
    };
  return undefined;
}

const ACTION = /^(set|remove|add|use|write|quote|rename|give|name|list|pass|make|choose|delete|correct)\b/i;

function userValuesOf(sources: ValueSource[]): Values {
  return sources
    .filter((source) => source.role !== 'chart defaults')
    .map((source) => (source.document ? (source.document.toJS() ?? {}) : source.values) as Values)
    .reduce(mergeValues, {});
}

function fromTemplate(
  failure: TemplateFailure,
  request: HelmRequest,
  sources: ValueSource[],
  context: string,
  cause: unknown,
): BerthError {
  const overlay = overlayOf(request);
  const origin = failure.valuesPath ? originOf(sources, failure.valuesPath) : undefined;
  const at = `${failure.template}${failure.line ? ` line ${failure.line}` : ''}`;
  if (failure.kind === 'stopped') {
    const [problem, fix] = failure.message.split(/: (.*)/s);
    const actionable = fix && ACTION.test(fix);
    const field = failure.valuesPath?.join('.');
    // "image.tag is empty" under the field image.tag reads "image.tag: is empty"
    const words = actionable ? problem : failure.message;
    const said = field && words.startsWith(`${field} `) ? words.slice(field.length + 1) : words;
    return new BerthError(`${said}\nthe chart stopped (${at}) when rendering ${context}.`, {
      file: origin?.file ?? overlay,
      line: origin?.line,
      field,
      fix: actionable
        ? fix.replace(/\.?$/, '.')
        : `give ${failure.valuesPath?.join('.') ?? 'the value the message names'} a value in ${origin?.file ?? overlay}.`,
      cause,
    });
  }
  if (failure.kind === 'cannot use' && failure.valuesPath) {
    // the longest part of the path that some file sets is the value the template tripped over
    const path = failure.valuesPath;
    const set = path.map((_, index) => path.slice(0, path.length - index)).find((prefix) => originOf(sources, prefix));
    const found = set ? originOf(sources, set) : undefined;
    const field = (set ?? path).join('.');
    return new BerthError(
      `the template ${at} cannot use ${found ? 'this value' : 'it, as no value file sets it'}: ${failure.message.replace(/\s+/g, ' ')}\nwhen rendering ${context}.`,
      {
        file: found?.file ?? overlay,
        line: found?.line,
        field,
        fix: found
          ? `give ${field} the kind of value the template expects (as ${path.join('.')} uses it), or correct the template at ${at}.`
          : `set ${path.join('.')} in ${overlay}, or make the template at ${at} work without it.`,
        cause,
      },
    );
  }
  if (failure.kind === 'invalid YAML') {
    return new BerthError(`renders invalid YAML (${failure.message}) when rendering ${context}.`, {
      file: failure.template,
      fix: 'a value the template inserts breaks the YAML: insert strings with `| quote` and blocks with `| toYaml | nindent N`, or correct the value in the value files.',
      cause,
    });
  }
  return new BerthError(
    `${failure.kind === 'syntax' ? 'is not a valid template' : 'failed'}${failure.line ? ` at line ${failure.line}` : ''}: ${failure.message}\nwhen rendering ${context}.`,
    {
      file: failure.template,
      line: failure.line,
      fix: 'correct the template at that line.',
      cause,
    },
  );
}

/**
 * The first of helm's schema lines, addressed to the file that sets the value: helm 4 writes
 * "- at '/replicas': got string, want integer", helm 3 "- replicas: Invalid type. Expected: integer, given: string".
 */
export function helmSchemaProblem(words: string, sources: ValueSource[], overlay: string): ValueProblem | undefined {
  const line = /^- (?:at '([^']*)'|([\w.()-]+)): (.*)$/m.exec(words);
  if (!line) return undefined;
  const base =
    line[1] !== undefined ? line[1].split('/').filter(Boolean) : line[2] === '(root)' ? [] : line[2].split('.');
  const extra = /additional propert(?:y|ies) '?([^'\s]+)'? (?:is )?not allowed/i.exec(line[3])?.[1];
  const path = [...base, ...(extra ? [extra] : [])];
  const origin = originOf(sources, path);
  const file = origin?.file ?? overlay;
  return {
    file,
    line: origin?.line,
    field: path.join('.') || '(top level)',
    problem: `${line[3]}.`.replace(/\.\.$/, '.'),
    fix: `correct ${path.join('.') || 'the values'} in ${file}.`,
  };
}

/** The berth error for a failed `helm template` of `request`; anything not from helm passes through unchanged. */
export function explainHelmFailure(session: RenderSession, request: ResolvedRequest, failure: unknown): unknown {
  if (!(failure instanceof BerthError)) return failure;
  const context = `${request.manifest} (Application ${request.application})`;
  const words = helmWords(failure.problem.replace(`${context}: `, ''));
  const sources = valueSources(session.root, request);
  const overlay = overlayOf(request);
  if (/schema/i.test(words)) {
    const check = valuesSchemaCheck(session, request, userValuesOf(sources));
    if (check && check.errors.length) return explainedSchemaError(request, check, sources, failure);
    // helm and ajv disagree (another helm version): helm's own "- at '/path': message" lines still name the key
    const refused = helmSchemaProblem(words, sources, overlay);
    if (refused) return schemaError([refused], context, failure);
  }
  const template = parseTemplateFailure(words, request.chartPath);
  if (template) return fromTemplate(template, request, sources, context, failure);
  return new BerthError(`helm could not render ${context}:\n${words}`, {
    file: overlay,
    fix: `correct what helm names, in ${[...editedValueFiles(request), request.chartPath].join(', ')}.`,
    cause: failure,
  });
}
