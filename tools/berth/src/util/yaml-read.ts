// Fast reads of machine-written YAML (Application manifests, helm output): js-yaml parses these several times
// faster than the comment-preserving `yaml` package, which berth keeps for files people edit.
import { loadAll } from 'js-yaml';

/** Every non-empty document of a multi-document YAML text, as plain objects. */
export function readDocuments(text: string): Record<string, any>[] {
  const documents: Record<string, any>[] = [];
  loadAll(text, (document) => {
    if (document && typeof document === 'object') documents.push(document as Record<string, any>);
  });
  return documents;
}
