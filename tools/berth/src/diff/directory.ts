// Root Applications (app of apps): Argo CD applies their folder's manifests as they are, so no helm is needed.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { readDocuments } from '../util/yaml-read';

const BOOTSTRAP_DIR = 'argocd/bootstrap';
/** The files Argo CD's directory source reads. */
const MANIFEST = /\.(ya?ml|json)$/;

export interface DirectoryApplication {
  environment: string;
  application: string;
  /** The folder it applies, relative to the repository root. */
  path: string;
  recurse: boolean;
  /** Its manifest files, relative to the repository root. */
  files: string[];
  /** A hash of the source and of every file's name and content. */
  key: string;
}

function manifestFiles(root: string, dir: string, recurse: boolean): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir))
    .sort()
    .flatMap((entry) => {
      const path = posix.join(dir, entry);
      if (statSync(join(root, path)).isDirectory()) return recurse ? manifestFiles(root, path, recurse) : [];
      return MANIFEST.test(entry) ? [path] : [];
    });
}

/** The directory-source Applications under argocd/bootstrap/, each with the files it applies. */
export function directoryApplications(root: string): DirectoryApplication[] {
  const found: DirectoryApplication[] = [];
  for (const entry of existsSync(join(root, BOOTSTRAP_DIR)) ? readdirSync(join(root, BOOTSTRAP_DIR)).sort() : []) {
    if (!MANIFEST.test(entry)) continue;
    const manifest = posix.join(BOOTSTRAP_DIR, entry);
    const documents = readDocuments(readFileSync(join(root, manifest), 'utf8'), manifest, {
      fix: 'run `npx nx sync` to regenerate it.',
    });
    for (const application of documents) {
      const source = application?.spec?.source;
      if (
        application?.kind !== 'Application' ||
        !application.metadata?.name ||
        typeof source?.path !== 'string' ||
        source.helm ||
        source.chart
      )
        continue;
      const path = posix.normalize(source.path);
      const recurse = Boolean(source.directory?.recurse);
      const files = manifestFiles(root, path, recurse);
      const hash = createHash('sha256').update(JSON.stringify(source));
      for (const file of files)
        hash
          .update(`${file}\0`)
          .update(readFileSync(join(root, file)))
          .update('\0');
      found.push({
        environment: application.metadata.labels?.['berth.dev/environment'] ?? entry.replace(MANIFEST, ''),
        application: String(application.metadata.name),
        path,
        recurse,
        files,
        key: hash.digest('hex'),
      });
    }
  }
  return found;
}

/** The objects a root Application applies: every document of its files. */
export function directoryObjects(root: string, application: DirectoryApplication): Record<string, any>[] {
  return application.files.flatMap((file) =>
    readDocuments(readFileSync(join(root, file), 'utf8'), file, { fix: 'run `npx nx sync` to regenerate it.' }),
  );
}
