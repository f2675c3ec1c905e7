// Web links to commits, derived from berth.yaml's repoURL for GitHub and GitLab: pure, and null rather than a guess.
//
// Credentials in the URL never reach a link; a host berth does not know gets no link, never a broken one.

export type Forge = 'github' | 'gitlab';

/** Where a repository's pages live on the web: `https://github.com/acme/platform-gitops` and which forge serves it. */
export interface RepositoryWeb {
  forge: Forge;
  base: string;
}

/** One path segment of an owner, group or repository: what GitHub and GitLab allow, nothing that needs escaping. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;
const COMMIT = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;

/** The ssh endpoints GitHub and GitLab offer on port 443 serve the same repositories as the main host. */
const SSH_ALIASES: Record<string, string> = { 'ssh.github.com': 'github.com', 'altssh.gitlab.com': 'gitlab.com' };

function forgeOf(host: string): Forge | undefined {
  if (host === 'github.com') return 'github';
  // gitlab.com and self-hosted GitLab, which by convention runs at gitlab.<domain>
  if (host === 'gitlab.com' || host.startsWith('gitlab.')) return 'gitlab';
  return undefined;
}

interface Parts {
  scheme: string;
  host: string;
  /** The web port, when the clone URL is the web server's own (http/https) and names one. */
  port?: string;
  path: string;
}

/** scheme://[user[:password]@]host[:port]/path, or scp-like user@host:path; undefined for anything else. */
function splitCloneUrl(repoURL: string): Parts | undefined {
  const url = /^(https?|ssh|git\+ssh|git):\/\/(?:[^/?#]*@)?([^/:?#@]+)(?::(\d+))?(\/[^?#]*)$/i.exec(repoURL);
  if (url) {
    const scheme = url[1].toLowerCase();
    const web = scheme === 'http' || scheme === 'https';
    return { scheme: web ? scheme : 'https', host: url[2].toLowerCase(), port: web ? url[3] : undefined, path: url[4] };
  }
  // scp-like syntax: no scheme, a colon after the host, and a path that does not start with a slash
  const scp = /^(?:[^@/:]+@)?([^/:]+):(?!\/)([^?#]+)$/.exec(repoURL);
  if (scp) return { scheme: 'https', host: scp[1].toLowerCase(), path: `/${scp[2]}` };
  return undefined;
}

/** The web home of the repository Argo CD clones; undefined when the URL is not one of a known forge. */
export function repositoryWeb(repoURL: string): RepositoryWeb | undefined {
  const parts = splitCloneUrl(repoURL.trim());
  if (!parts) return undefined;
  const host = SSH_ALIASES[parts.host] ?? parts.host;
  const forge = forgeOf(host);
  if (!forge || !HOST.test(host)) return undefined;
  if (parts.port !== undefined && !/^[1-9]\d{0,4}$/.test(parts.port)) return undefined;
  const segments = parts.path
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .split('/')
    .slice(1);
  if (!segments.every((segment) => SEGMENT.test(segment) && !segment.endsWith('.git'))) return undefined;
  // GitHub: exactly owner/repository; GitLab: a group path of any depth, then the project ("-" marks its own routes)
  if (forge === 'github' ? segments.length !== 2 : segments.length < 2 || segments.includes('-')) return undefined;
  const origin = `${parts.scheme}://${host}${parts.port ? `:${parts.port}` : ''}`;
  return { forge, base: `${origin}/${segments.join('/')}` };
}

/** The page of one commit; undefined without a known forge or for anything that is not a full commit id. */
export function commitUrl(web: RepositoryWeb | undefined, sha: string | null | undefined): string | undefined {
  if (!web || !sha || !COMMIT.test(sha)) return undefined;
  return web.forge === 'github' ? `${web.base}/commit/${sha}` : `${web.base}/-/commit/${sha}`;
}
