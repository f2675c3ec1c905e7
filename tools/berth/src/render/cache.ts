// Remembers what each rendered file was made from, so a second render with nothing changed runs no helm at all.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { HelmRequest } from './argo-rules';
import { readChartInfo, type ChartInfo } from './stage';
import { Memo } from '../util/memo';
import { COMMIT_ID } from '../workspace/overlay';
import { assertInside, realRoot } from '../workspace/inside';

export class InputHasher {
  private readonly fileHashes = new Map<string, string>();
  private readonly chartHashes = new Map<string, string>();
  private readonly realRepoRoot: string;

  constructor(
    private readonly repoRoot: string,
    private readonly toolVersion: string,
    /** Chart.yaml files already read (a render session's), shared so nothing is read twice. */
    private readonly charts = new Memo<string, ChartInfo>(),
  ) {
    this.realRepoRoot = realRoot(repoRoot);
  }

  private file(path: string): string {
    let hash = this.fileHashes.get(path);
    if (hash === undefined) {
      let content: Buffer | string;
      try {
        content = readFileSync(path);
      } catch {
        content = '<missing>';
      }
      hash = createHash('sha256').update(content).digest('hex');
      this.fileHashes.set(path, hash);
    }
    return hash;
  }

  private tree(dir: string): string {
    const hash = createHash('sha256');
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const entry of entries) {
      if (entry.name === 'charts' || entry.name === 'Chart.lock') continue;
      const path = join(dir, entry.name);
      // helm follows links: a template or a .Files.Get file linked out of the repository would render outside content
      if (entry.isSymbolicLink()) assertInside(this.repoRoot, path, this.realRepoRoot);
      const isDirectory = entry.isSymbolicLink() ? statSync(path).isDirectory() : entry.isDirectory();
      hash.update(`${entry.name}\0${isDirectory ? this.tree(path) : this.file(path)}\0`);
    }
    return hash.digest('hex');
  }

  /** A chart and, recursively, the file:// charts it depends on. */
  chart(dir: string): string {
    let hash = this.chartHashes.get(dir);
    if (hash === undefined) {
      assertInside(this.repoRoot, dir, this.realRepoRoot);
      const dependencies = readChartInfo(this.charts, dir)
        .dependencies.filter((dependency) => dependency.repository?.startsWith('file://'))
        .map((dependency) => this.chart(resolve(dir, dependency.repository!.slice('file://'.length))));
      hash = createHash('sha256').update(this.tree(dir)).update(dependencies.join()).digest('hex');
      this.chartHashes.set(dir, hash);
    }
    return hash;
  }

  /**
   * A request pinned to a commit deploys that commit's charts/, which the commit id already names; hashing the working
   * tree's chart instead would call it changed by every chart edit it does not deploy. The key describes what is
   * rendered, from the Application alone: where this checkout found the chart (a resolved request's chartDir) is no part.
   * `helm` names the helm that renders it (its version; diff, which runs none, the environment's Argo CD version).
   */
  request(request: HelmRequest, helm: string): string {
    return createHash('sha256')
      .update(this.toolVersion)
      .update(`helm ${helm}\0`)
      .update(JSON.stringify({ ...request, chartDir: undefined, helm: undefined })) // JSON leaves an undefined field out
      .update(
        // a third-party chart is named by its reference and digest, which the request (thirdParty) already holds
        request.chart
          ? 'third-party chart'
          : COMMIT_ID.test(request.revision)
            ? `commit ${request.revision}`
            : this.chart(join(this.repoRoot, request.chartPath)),
      )
      .update(request.valueFiles.map((file) => this.file(join(this.repoRoot, file))).join())
      .digest('hex');
  }
}
