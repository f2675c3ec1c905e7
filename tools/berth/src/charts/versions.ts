// The versions a chart repository offers: an https repository's index entries or an OCI chart's tags, as SemVer.
import { registryFor } from '../registry';
import { fetchIndex } from './helm-index';
import { isChartVersion, ociChartRepository, repoKind, versionOfOciTag, type ChartRef } from './reference';

export interface OfferedVersions {
  versions: string[];
  /** Listed but refused (not SemVer, no digest, a URL berth will not follow): reported, never written. */
  refused: string[];
}

export async function offeredVersions(
  chart: Pick<ChartRef, 'repo' | 'name'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<OfferedVersions> {
  if (repoKind(chart.repo) === 'oci') {
    const tags = await registryFor(ociChartRepository({ ...chart, version: '0.0.0' }), { env }).listTags(
      ociChartRepository({ ...chart, version: '0.0.0' }),
    );
    const versions = tags.map((tag) => versionOfOciTag(tag.tag));
    return { versions: versions.filter(isChartVersion), refused: versions.filter((version) => !isChartVersion(version)) };
  }
  const index = await fetchIndex(chart.repo, env);
  return {
    versions: (index.entries.get(chart.name) ?? []).map((entry) => entry.version),
    refused: index.refused.get(chart.name) ?? [],
  };
}
