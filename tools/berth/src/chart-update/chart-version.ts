// A service chart's dependencies[i].version, edited byte for byte (an add-on's berth.chartVersion is workspace/overlay's).
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { BerthError } from '../errors';
import { isChartVersion } from '../charts/reference';
import { parseYamlMappingDocument } from '../util/yaml-read';

const at = (text: string, file: string, path: (string | number)[]): Node | undefined =>
  parseYamlMappingDocument(text, file, { keepSourceTokens: true }).getIn(path, true) as Node | undefined;

/** The scalar at `path` replaced by `version`, quoted, leaving every other byte as it was. */
function replaceScalar(text: string, file: string, path: (string | number)[], version: string): string {
  if (!isChartVersion(version))
    throw new BerthError(`"${version}" is not a chart version.`, { file, field: path.join('.') });
  const node = at(text, file, path);
  if (!isScalar(node) || !node.range)
    throw new BerthError('is not set as a plain value.', {
      file,
      field: path.join('.'),
      fix: `write ${path.join('.')}: "<version>" in it.`,
    });
  const [start, end] = node.range;
  return text.slice(0, start) + JSON.stringify(version) + text.slice(end);
}

/** Chart.yaml with dependencies[index].version set to `version`. */
export function writeDependencyVersion(text: string, file: string, index: number, version: string): string {
  const dependencies = at(text, file, ['dependencies']);
  if (!isSeq(dependencies) || !isMap(dependencies.items[index]))
    throw new BerthError(`has no dependency ${index}.`, { file, field: 'dependencies' });
  return replaceScalar(text, file, ['dependencies', index, 'version'], version);
}
