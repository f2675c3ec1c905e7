// Sits in front of a real registry: pages its tag lists with Link headers the way Distribution v3 does (2.8 does not
// page), holds every request for `latencyMs`, and counts how many were in flight at once.
import { delay, startServer, type TestServer } from './http-server';

export interface ProxyOptions {
  latencyMs?: number;
}

export async function startPagingProxy(upstream: string, options: ProxyOptions = {}): Promise<TestServer> {
  return startServer(async (request, response, body) => {
    if (options.latencyMs) await delay(options.latencyMs);
    const url = new URL(request.url ?? '/', upstream);
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)),
    ) as Record<string, string>;
    const tagsList = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
    const target = new URL(url.pathname, upstream);
    if (!tagsList) target.search = url.search;
    const answer = await fetch(target, {
      method: request.method,
      headers,
      body: ['GET', 'HEAD'].includes(request.method ?? 'GET') ? undefined : body,
      redirect: 'manual',
    });
    const answerHeaders = Object.fromEntries(
      [...answer.headers].filter(
        ([name]) => !['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(name),
      ),
    );
    const bytes = Buffer.from(await answer.arrayBuffer());
    if (!tagsList || answer.status !== 200) {
      response.writeHead(answer.status, answerHeaders);
      return void response.end(request.method === 'HEAD' ? undefined : bytes);
    }
    const all = (JSON.parse(bytes.toString()) as { name: string; tags: string[] }).tags.slice().sort();
    const n = Number(url.searchParams.get('n') ?? all.length);
    const last = url.searchParams.get('last');
    const start = last === null ? 0 : all.findIndex((tag) => tag > last);
    const page = start < 0 ? [] : all.slice(start, start + n);
    if (start >= 0 && start + n < all.length) {
      answerHeaders.link = `</v2/${tagsList[1]}/tags/list?last=${encodeURIComponent(page[page.length - 1])}&n=${n}>; rel="next"`;
    }
    response.writeHead(200, { ...answerHeaders, 'content-type': 'application/json' });
    response.end(JSON.stringify({ name: tagsList[1], tags: page }));
  });
}
