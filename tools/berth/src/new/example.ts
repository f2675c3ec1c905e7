// The example platform (--example) in a new repository: its services moved to the new environments and registry.
import { visit } from 'yaml';
import { parseYamlMappingDocument } from '../util/yaml-read';
import { diskFiles } from '../workspace/files';
import { paths } from '../workspace/model';
import { readDeployedVersion, writeDeployedVersion } from '../workspace/overlay';
import { EXAMPLE_SERVICES, chartFiles, type Assets } from './assets';
import { ecrRegistry, retargetEcrImage } from './aws';
import { retitle, tierOf } from './environments';
import type { NewRepository } from './options';

/** A values file with its private ECR images in the new registry, edited as YAML so comments and layout stay. */
function retargetValues(text: string, file: string, registry: string): string {
  const document = parseYamlMappingDocument(text, file);
  let changed = false;
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string') return;
      const value = retargetEcrImage(node.value, registry);
      if (value !== node.value) [node.value, changed] = [value, true];
    },
  });
  return changed ? document.toString({ flowCollectionPadding: false, lineWidth: 0 }) : text;
}

/** An overlay without a chart revision: that commit is this repository's, which the new one does not have. */
function withoutChartRevision(text: string, file: string): string {
  const version = readDeployedVersion(text, file);
  return version.chartRevision ? writeDeployedVersion(text, file, { tag: version.tag, chartRevision: null }) : text;
}

export function exampleFiles(repo: NewRepository, assets: Assets): Map<string, string> {
  const files = new Map<string, string>();
  const examples = diskFiles(assets.root);
  const registry = ecrRegistry(repo.account, repo.region);
  for (const service of EXAMPLE_SERVICES) {
    const app = parseYamlMappingDocument(examples.read(paths.app(service))!, paths.app(service));
    const environments = app.createNode(repo.environments);
    environments.flow = true;
    app.set('environments', environments);
    // pins hold this repository's incidents and reasons, not the new one's
    app.delete('pins');
    files.set(paths.app(service), app.toString({ flowCollectionPadding: false }));
    for (const path of chartFiles(assets.root, service, { withSchema: false })) {
      const text = examples.read(path)!;
      files.set(path, path.endsWith('/values.yaml') ? retargetValues(text, path, registry) : text);
    }
    repo.environments.forEach((env, index) => {
      const tier = tierOf(index, repo.environments.length);
      const overlay = paths.overlay(env, service);
      files.set(
        overlay,
        retitle(withoutChartRevision(examples.read(paths.overlay(tier, service))!, overlay), tier, env),
      );
    });
  }
  return files;
}
