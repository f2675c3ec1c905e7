// One run of rendering: the workspace, its requests resolved once, and what the run has read of charts and value files.
// Everything read is kept here rather than in modules, so a long-lived process (the Nx daemon, a test run) that opens
// a session per command never sees a chart or value file as it was in an earlier run.
import type { ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { diskFiles, type WorkspaceFiles } from '../workspace/files';
import { assertInside, realRoot } from '../workspace/inside';
import { loadWorkspace } from '../workspace/load';
import type { Workspace } from '../workspace/model';
import type { Values } from '../util/values-merge';
import { loadHelmRequests, type Selection } from './applications';
import { resolveRequests, type ResolvedRequest } from './revisions';
import type { ChartInfo, TemplateFacts } from './stage';
import { Memo } from '../util/memo';
import { resolveHelm, type HelmBinary } from '../helm/binary';
import { DEFAULT_ARGOCD_VERSION } from '../helm/versions';

export class RenderSession {
  /** Chart.yaml of each chart folder. */
  readonly charts = new Memo<string, ChartInfo>();
  /** Template names each chart folder defines, and whether its templates may read .Chart.Dependencies. */
  readonly templates = new Memo<string, TemplateFacts>();
  /** Files read by absolute path (undefined: none there). */
  readonly texts = new Memo<string, string | undefined>();
  /** Parsed value files and chart defaults, by content: one environment values.yaml serves a hundred Applications. */
  readonly parsedValues = new Memo<string, Values>();
  /** Compiled values.schema.json, by content (see compiled-schemas.ts). */
  readonly schemas = new Memo<string, ValidateFunction>();
  /** values.schema.json as data, by content, for explaining what it refused. */
  readonly parsedSchemas = new Memo<string, unknown>();
  /** Files found inside the repository (see assertInside), each checked once. */
  private readonly insideChecked = new Memo<string, true>();
  private realRootDir?: string;

  constructor(
    readonly root: string,
    readonly files: WorkspaceFiles,
    readonly workspace: Workspace,
  ) {}

  /** Throws when `file` (relative to the root) leads outside the repository; see workspace/inside.ts. */
  assertInside(file: string): void {
    this.insideChecked.get(file, () => {
      assertInside(this.root, file, (this.realRootDir ??= realRoot(this.root)));
      return true;
    });
  }

  /** Loads the workspace at `root` from disk. */
  static open(root: string): RenderSession {
    const files = diskFiles(root);
    return new RenderSession(root, files, loadWorkspace(files));
  }

  /** A file's text, read once per session; undefined when it cannot be read. */
  text(path: string): string | undefined {
    return this.texts.get(path, () => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    });
  }

  /** The selected Applications as helm requests, each with its chart found (pinned revisions unpacked). */
  async requests(selection: Selection = {}): Promise<ResolvedRequest[]> {
    return this.resolve(loadHelmRequests(this.files, this.workspace, selection));
  }

  resolve(requests: Parameters<typeof resolveRequests>[1]): Promise<ResolvedRequest[]> {
    return resolveRequests(this.root, requests, this.workspace.settings.revision, this.charts, (environment) =>
      this.helmFor(environment),
    );
  }

  /** The helm an environment renders with: the one its Argo CD runs (env.yaml argocd.version). */
  helmFor(environment: string): HelmBinary {
    const version = this.workspace.environments.find((env) => env.name === environment)?.argocd.version;
    return resolveHelm(version ?? DEFAULT_ARGOCD_VERSION);
  }
}
