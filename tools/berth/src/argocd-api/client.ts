// The one place berth talks to Argo CD's API server: GET requests with the API token (failures.ts says what failed).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BerthError } from '../errors';
import { refused, unreachable } from './failures';
import { parseApplication, parseApplicationList, type LiveApplication } from './application';
import type { ArgoConnection } from './connection';

const TIMEOUT_MS = 30_000;
const MAX_BODY = 32 * 1024 * 1024;

/** GET a path of the API as JSON. */
export function getJson(connection: ArgoConnection, path: string, what: string): Promise<unknown> {
  const url = new URL(`${connection.baseUrl}${path}`);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const call = request(
      url,
      {
        method: 'GET',
        headers: { accept: 'application/json', authorization: `Bearer ${connection.token}`, 'user-agent': 'berth' },
        timeout: TIMEOUT_MS,
        ...(url.protocol === 'https:' ? { rejectUnauthorized: !connection.insecure } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) call.destroy(new Error(`the answer is larger than ${MAX_BODY} bytes`));
          else chunks.push(chunk);
        });
        response.on('error', (error) => reject(unreachable(connection, error)));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          if (status !== 200) return reject(refused(connection, what, status, text));
          try {
            resolve(JSON.parse(text));
          } catch (error) {
            reject(
              new BerthError(`Argo CD at ${connection.baseUrl} answered GET ${what} with something other than JSON.`, {
                fix: 'check that ARGOCD_SERVER is the API server (argocd-server) and not a proxy page in front of it.',
                cause: error,
              }),
            );
          }
        });
      },
    );
    call.on('timeout', () =>
      call.destroy(Object.assign(new Error(`no answer in ${TIMEOUT_MS / 1000}s`), { code: 'ETIMEDOUT' })),
    );
    call.on('error', (error) => reject(error instanceof BerthError ? error : unreachable(connection, error)));
    call.end();
  });
}

/**
 * GET /api/v1/applications/{name}?appNamespace=...: one Application with its status. `refresh: 'normal'` asks Argo CD
 * to compare it with git now (as `argocd app get --refresh`); the server answers once the controller has.
 */
export async function getApplication(
  connection: ArgoConnection,
  name: string,
  appNamespace: string,
  options: { refresh?: 'normal' | 'hard' } = {},
): Promise<LiveApplication> {
  const what = `Application ${appNamespace}/${name}`;
  const refresh = options.refresh ? `&refresh=${options.refresh}` : '';
  const path = `/api/v1/applications/${encodeURIComponent(name)}?appNamespace=${encodeURIComponent(appNamespace)}${refresh}`;
  return parseApplication(await getJson(connection, path, what), `Argo CD at ${connection.baseUrl} (${what})`);
}

/** GET /api/v1/applications?selector=...&appNamespace=...: the Applications whose labels match `selector`. */
export async function listApplications(
  connection: ArgoConnection,
  selector: string,
  appNamespace: string,
): Promise<LiveApplication[]> {
  const what = `Applications ${selector} in ${appNamespace}`;
  const path = `/api/v1/applications?selector=${encodeURIComponent(selector)}&appNamespace=${encodeURIComponent(appNamespace)}`;
  return parseApplicationList(await getJson(connection, path, what), `Argo CD at ${connection.baseUrl} (${what})`);
}
