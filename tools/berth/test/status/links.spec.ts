// Commit links from berth.yaml's repoURL, table by table: GitHub and GitLab forms, and no link rather than a wrong one.
import { describe, expect, it } from 'vitest';
import { commitUrl, repositoryWeb } from '../../src/status/links';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('commitUrl(repositoryWeb(repoURL), sha)', () => {
  it.each<[string, string]>([
    // GitHub: https with and without .git or a trailing slash, scp-like and ssh:// forms
    ['https://github.com/acme/platform-gitops.git', `https://github.com/acme/platform-gitops/commit/${SHA}`],
    ['https://github.com/acme/platform-gitops', `https://github.com/acme/platform-gitops/commit/${SHA}`],
    ['https://github.com/acme/platform-gitops/', `https://github.com/acme/platform-gitops/commit/${SHA}`],
    ['git@github.com:acme/platform-gitops.git', `https://github.com/acme/platform-gitops/commit/${SHA}`],
    ['ssh://git@github.com/acme/platform-gitops.git', `https://github.com/acme/platform-gitops/commit/${SHA}`],
    ['ssh://git@ssh.github.com:443/acme/platform-gitops.git', `https://github.com/acme/platform-gitops/commit/${SHA}`],
    ['git://github.com/acme/platform-gitops.git', `https://github.com/acme/platform-gitops/commit/${SHA}`],
    ['  https://GitHub.com/Acme/Platform.Gitops.git\n', `https://github.com/Acme/Platform.Gitops/commit/${SHA}`],
    // credentials in the clone URL never reach the link
    [
      'https://x-access-token:ghp_SECRET@github.com/acme/platform-gitops.git',
      `https://github.com/acme/platform-gitops/commit/${SHA}`,
    ],
    [
      'https://bot:p@ss:w@rd@github.com/acme/platform-gitops.git',
      `https://github.com/acme/platform-gitops/commit/${SHA}`,
    ],
    // GitLab: nested groups, the /-/ route, scp-like and ssh:// forms
    ['https://gitlab.com/group/sub/platform.git', `https://gitlab.com/group/sub/platform/-/commit/${SHA}`],
    ['https://gitlab.com/group/platform', `https://gitlab.com/group/platform/-/commit/${SHA}`],
    ['git@gitlab.com:group/sub/platform.git', `https://gitlab.com/group/sub/platform/-/commit/${SHA}`],
    ['ssh://git@gitlab.com/group/sub/platform.git', `https://gitlab.com/group/sub/platform/-/commit/${SHA}`],
    ['ssh://git@altssh.gitlab.com:443/group/platform.git', `https://gitlab.com/group/platform/-/commit/${SHA}`],
    ['https://oauth2:glpat-SECRET@gitlab.com/group/platform.git', `https://gitlab.com/group/platform/-/commit/${SHA}`],
    // self-hosted GitLab at gitlab.<domain>: an https port stays, an ssh port is not the web server's
    ['https://gitlab.acme.io/platform/gitops.git', `https://gitlab.acme.io/platform/gitops/-/commit/${SHA}`],
    ['https://gitlab.acme.io:8443/platform/gitops.git', `https://gitlab.acme.io:8443/platform/gitops/-/commit/${SHA}`],
    [
      'http://gitlab.internal.acme.io/platform/gitops.git',
      `http://gitlab.internal.acme.io/platform/gitops/-/commit/${SHA}`,
    ],
    ['ssh://git@gitlab.acme.io:2222/platform/gitops.git', `https://gitlab.acme.io/platform/gitops/-/commit/${SHA}`],
    ['git@gitlab.acme.io:platform/team/gitops.git', `https://gitlab.acme.io/platform/team/gitops/-/commit/${SHA}`],
  ])('%s', (repoURL, expected) => expect(commitUrl(repositoryWeb(repoURL), SHA)).toBe(expected));

  it.each<[string, string]>([
    ['unknown host', 'https://bitbucket.org/acme/platform-gitops.git'],
    ['a host that only contains a forge name', 'https://github.com.evil.example/acme/platform-gitops.git'],
    ['a host that only ends in one', 'https://notgithub.com/acme/platform-gitops.git'],
    ['a GitHub URL that is not owner/repository', 'https://github.com/acme/platform/gitops.git'],
    ['a GitHub URL without a repository', 'https://github.com/acme'],
    ['a GitLab project without a group', 'https://gitlab.com/platform.git'],
    ['a GitLab route instead of a project', 'https://gitlab.com/group/-/platform.git'],
    ['a local path', '/srv/git/platform.git'],
    ['a file URL', 'file:///srv/git/platform.git'],
    ['markup in the path', 'https://github.com/acme/"><script>alert(1)</script>'],
    ['a query string', 'https://github.com/acme/platform-gitops.git?ref=main'],
    ['a fragment', 'https://github.com/acme/platform-gitops.git#main'],
    ['an encoded path', 'https://github.com/acme/platform%2Fgitops.git'],
    ['a javascript: URL', 'javascript:alert(1)//github.com/acme/platform-gitops'],
    ['a port that is not one', 'https://gitlab.acme.io:0/platform/gitops.git'],
    ['dots for a segment', 'https://github.com/acme/..'],
    ['empty', ''],
  ])('no link for %s', (_, repoURL) => {
    expect(repositoryWeb(repoURL)).toBeUndefined();
    expect(commitUrl(repositoryWeb(repoURL), SHA)).toBeUndefined();
  });

  it.each<[string, string | null | undefined]>([
    ['a short id', SHA.slice(0, 7)],
    ['upper-case hex', SHA.toUpperCase()],
    ['a ref name', 'main'],
    ['markup', `${SHA}"><b>`],
    ['nothing', null],
  ])('no link for a commit that is %s', (_, sha) =>
    expect(commitUrl(repositoryWeb('https://github.com/acme/platform-gitops.git'), sha)).toBeUndefined(),
  );

  it("links a SHA-256 repository's commits too", () => {
    const sha256 = 'ab'.repeat(32);
    expect(commitUrl(repositoryWeb('https://gitlab.com/group/platform.git'), sha256)).toBe(
      `https://gitlab.com/group/platform/-/commit/${sha256}`,
    );
  });
});
