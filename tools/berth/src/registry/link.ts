// Follows RFC 8288 `Link: <url>; rel="next"` pagination, as the OCI tag list uses it; pure.

/** The next page's absolute URL, resolved against the page that carried the header, or undefined on the last page. */
export function nextPageUrl(linkHeader: string | null | undefined, currentUrl: string): string | undefined {
  if (!linkHeader) return undefined;
  for (const match of linkHeader.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";,]+)"?/i.exec(match[2])?.[1] ?? '';
    if (rel.toLowerCase().split(/\s+/).includes('next')) return new URL(match[1], currentUrl).toString();
  }
  return undefined;
}

/** One spelling per page, so a registry cannot loop berth by reordering query parameters. */
export function pageKey(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.sort();
  parsed.hash = '';
  return parsed.toString();
}
