// Asks a component's health endpoint, with the admin's client certificate where the endpoint needs one.
import { readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet, type RequestOptions } from 'node:https';

export interface HealthAuth {
  ca: string;
  cert: string;
  key: string;
}

/** Resolves to the status code (0 when nothing answers) within `timeoutMs`. */
export function probe(url: string, auth: HealthAuth | undefined, timeoutMs = 3000): Promise<number> {
  return new Promise((done) => {
    const tls: RequestOptions = auth
      ? { ca: readFileSync(auth.ca), cert: readFileSync(auth.cert), key: readFileSync(auth.key) }
      : { rejectUnauthorized: false }; // the components' own serving certificates are self-signed
    const request = (url.startsWith('https:') ? httpsGet : httpGet)(url, { ...tls, timeout: timeoutMs }, (response) => {
      response.resume();
      done(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => done(0));
  });
}
