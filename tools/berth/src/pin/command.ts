// `berth pin` / `berth unpin`: hold a service at a version in one environment, as a commit everyone sees.
import { parseDocument } from 'yaml';
import { BerthError } from '../errors';
import { transact, type Transaction } from '../git/transact';
import { commitMessage } from '../git/trailers';
import { readImageVersion, writeImageVersion, OCI_TAG } from '../image-update/writeback';
import { diskFiles } from '../workspace/files';
import { loadWorkspace } from '../workspace/load';
import { serviceIn } from '../workspace/lookup';
import { paths, type Service } from '../workspace/model';

export interface PinOptions {
  root: string;
  service: string;
  env: string;
  version?: string;
  reason?: string;
  push?: boolean;
  remote?: string;
  /** The moment recorded as `since`; a parameter so tests are repeatable. */
  now?: Date;
}

export interface PinResult {
  changed: boolean;
  version: string;
  message: string;
}

function findService(root: string, name: string, env: string): Service {
  return serviceIn(loadWorkspace(diskFiles(root)), name, env, 'pin it').service;
}

/** Sets or removes pins.<env> in app.yaml, keeping its comments. */
export function editPin(text: string, env: string, pin: Record<string, string> | undefined): string {
  const document = parseDocument(text);
  if (pin) document.setIn(['pins', env], document.createNode(pin));
  else {
    document.deleteIn(['pins', env]);
    const pins = document.get('pins') as { items?: unknown[] } | undefined;
    if (pins && pins.items?.length === 0) document.delete('pins');
  }
  return document.toString({ flowCollectionPadding: false }); // keep [a, b] as people write it
}

export function pin(options: PinOptions): Promise<Transaction<PinResult>> {
  const { root, env } = options;
  if (options.version !== undefined && (!OCI_TAG.test(options.version) || options.version === 'latest')) {
    throw new BerthError(`--version ${JSON.stringify(options.version)} is not a pinned image tag.`, { fix: 'pass a version tag such as 1.4.2.' });
  }
  return transact<PinResult>(root, options, async () => {
    const service = findService(root, options.service, env);
    const overlay = paths.overlay(env, service.name);
    const overlayText = diskFiles(root).read(overlay) ?? '';
    const current = readImageVersion(overlayText, overlay);
    const version = options.version ?? current.tag;
    if (!version) throw new BerthError('has no image.tag to pin at.', { file: overlay, fix: 'pass --version.' });
    const record = { version, ...(options.reason ? { reason: options.reason } : {}), since: (options.now ?? new Date()).toISOString() };
    const existing = service.pins[env];
    if (existing && existing.version === version && existing.reason === options.reason && current.tag === version) {
      return { result: { changed: false, version, message: `${service.name} is already pinned at ${version} in ${env}` }, commits: [] };
    }
    const app = paths.app(service.name);
    const writes = new Map([[app, editPin(diskFiles(root).read(app)!, env, record)]]);
    // a pin at another version moves the overlay there; a digest of the old version no longer applies
    if (current.tag !== version) writes.set(overlay, writeImageVersion(overlayText, overlay, { tag: version, digest: current.digest ? null : undefined }));
    const message = commitMessage(`chore(${env}): pin ${service.name} at ${version}`, [{ service: service.name, env, action: 'pin', from: current.tag, to: version, reason: options.reason }]);
    return { result: { changed: true, version, message: `pinned ${service.name} at ${version} in ${env}` }, commits: [{ writes, message }] };
  });
}

export function unpin(options: Omit<PinOptions, 'version' | 'reason'>): Promise<Transaction<PinResult>> {
  const { root, env } = options;
  return transact<PinResult>(root, options, async () => {
    const service = findService(root, options.service, env);
    const existing = service.pins[env];
    if (!existing) throw new BerthError(`${service.name} is not pinned in ${env}.`, { file: paths.app(service.name), field: `pins.${env}`, fix: 'nothing to release.' });
    const app = paths.app(service.name);
    const writes = new Map([[app, editPin(diskFiles(root).read(app)!, env, undefined)]]);
    const version = existing.version ?? '';
    const message = commitMessage(`chore(${env}): unpin ${service.name}`, [{ service: service.name, env, action: 'unpin', from: version }]);
    return { result: { changed: true, version, message: `unpinned ${service.name} in ${env}; image updates move it again` }, commits: [{ writes, message }] };
  });
}
