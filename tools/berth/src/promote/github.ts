// Pull requests on GitHub: which repository a git remote names, the page that opens a request, and the REST call.
import { BerthError } from '../errors';

export interface GitHubRepository {
  /** github.com, or a GitHub Enterprise host named by GITHUB_SERVER_URL. */
  host: string;
  owner: string;
  repo: string;
}

const hostOf = (url: string | undefined) => {
  try {
    return url ? new URL(url).host.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Reads owner/repo from a GitHub remote URL: https (with or without credentials), ssh://, or scp-like git@host:owner/repo.
 * Undefined for any other host, so the caller falls back to naming the branch.
 */
export function parseGitHubRemote(
  url: string,
  serverUrl = process.env.GITHUB_SERVER_URL,
): GitHubRepository | undefined {
  const hosts = new Set(['github.com', hostOf(serverUrl)].filter(Boolean));
  const match =
    /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.trim()) ??
    /^(?:[^@/]+@)?([^/:]+):([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.trim());
  if (!match || !hosts.has(match[1].toLowerCase())) return undefined;
  return { host: match[1].toLowerCase(), owner: match[2], repo: match[3] };
}

/** The page where a person opens the pull request by hand. */
export function compareUrl(repository: GitHubRepository, base: string, branch: string): string {
  return `https://${repository.host}/${repository.owner}/${repository.repo}/compare/${base}...${branch}?expand=1`;
}

export function apiUrl(repository: GitHubRepository, configured = process.env.GITHUB_API_URL): string {
  if (configured) return configured.replace(/\/+$/, '');
  return repository.host === 'github.com' ? 'https://api.github.com' : `https://${repository.host}/api/v3`;
}

export interface PullRequestRequest {
  title: string;
  head: string;
  base: string;
  body: string;
}

export interface OpenedPullRequest {
  url: string;
  number: number;
}

/** POST /repos/{owner}/{repo}/pulls. A refusal becomes an error with GitHub's status and words; the token never appears. */
export async function openPullRequest(
  repository: GitHubRepository,
  token: string,
  request: PullRequestRequest,
  api = apiUrl(repository),
): Promise<OpenedPullRequest> {
  const endpoint = `${api}/repos/${repository.owner}/${repository.repo}/pulls`;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'user-agent': 'berth',
        'x-github-api-version': '2022-11-28',
      },
      body: JSON.stringify(request),
    });
  } catch (error) {
    const cause = (error as Error).cause as { code?: string; message?: string } | undefined;
    const detail = cause?.code ?? cause?.message;
    throw new BerthError(
      `could not reach the GitHub API at ${endpoint}: ${(error as Error).message}${detail ? ` (${detail})` : ''}.`,
      { fix: 'check GITHUB_API_URL and the network.', cause: error },
    );
  }
  const text = await response.text();
  let body: {
    html_url?: unknown;
    number?: unknown;
    message?: unknown;
    errors?: Array<{ message?: string; code?: string; field?: string }>;
  } = {};
  try {
    body = JSON.parse(text);
  } catch {
    // a proxy's HTML error page: reported by status below
  }
  if (response.status === 201 && typeof body.html_url === 'string')
    return { url: body.html_url, number: Number(body.number) };
  const details = (body.errors ?? [])
    .map((error) => error.message ?? [error.field, error.code].filter(Boolean).join(' '))
    .filter(Boolean);
  const message = [
    typeof body.message === 'string' ? body.message : text.slice(0, 200).trim() || response.statusText,
    ...details,
  ].join(': ');
  throw new BerthError(`GitHub refused to open the pull request (HTTP ${response.status}): ${message}.`, {
    fix:
      response.status === 401 || response.status === 403
        ? 'give GITHUB_TOKEN pull-requests: write on the repository (in GitHub Actions, also allow Actions to create pull requests).'
        : "read GitHub's message above.",
  });
}
