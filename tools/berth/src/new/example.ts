// The example platform (--example) in a new repository: its services moved to the new environments and registry.
import { parseDocument } from 'yaml';
import { diskFiles } from '../workspace/files';
import { paths } from '../workspace/model';
import { EXAMPLE_SERVICES, chartFiles, type Assets } from './assets';
import { ecrRegistry, retargetEcrImages } from './aws';
import { retitle, tierOf } from './environments';
import type { NewRepository } from './options';

export function exampleFiles(repo: NewRepository, assets: Assets): Map<string, string> {
  const files = new Map<string, string>();
  const examples = diskFiles(assets.root);
  const registry = ecrRegistry(repo.account, repo.region);
  for (const service of EXAMPLE_SERVICES) {
    const app = parseDocument(examples.read(paths.app(service))!);
    const environments = app.createNode(repo.environments);
    environments.flow = true;
    app.set('environments', environments);
    files.set(paths.app(service), app.toString({ flowCollectionPadding: false }));
    for (const path of chartFiles(assets.root, service, { withSchema: false })) {
      const text = examples.read(path)!;
      files.set(path, path.endsWith('/values.yaml') ? retargetEcrImages(text, registry) : text);
    }
    repo.environments.forEach((env, index) => {
      const tier = tierOf(index, repo.environments.length);
      files.set(paths.overlay(env, service), retitle(examples.read(paths.overlay(tier, service))!, tier, env));
    });
  }
  return files;
}
