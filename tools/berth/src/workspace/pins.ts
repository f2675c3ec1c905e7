// app.yaml's pins (pins.<env>: version, reason, since): the one module that checks, makes, edits and explains them.
// A pin holds a service in one environment; image updates and promotions leave it there until `berth unpin`.
import { loadYaml } from '../util/yaml-read';
import type { Pin } from './model';

/** What readPins needs of the app.yaml reader (workspace/load.ts FieldReader): a mapping field, and a failure. */
export interface PinFields {
  mapping(field: string): Record<string, unknown>;
  fail(field: string, problem: string, fix: string): never;
}

/** pins: checked as app.yaml is loaded; a pin in an environment the service does not run in is an error. */
export function readPins(fields: PinFields, service: string, environments: string[]): Record<string, Pin> {
  const pins = fields.mapping('pins');
  for (const [env, pin] of Object.entries(pins)) {
    if (!environments.includes(env))
      fields.fail(
        `pins.${env}`,
        `pins the service in ${env}, where it does not run.`,
        `remove it with berth unpin ${service} --env ${env}.`,
      );
    if (!pin || typeof pin !== 'object' || Array.isArray(pin))
      fields.fail(`pins.${env}`, 'must be a mapping (version, reason, since).', 'let berth pin write it.');
  }
  return pins as Record<string, Pin>;
}

/** A new pin at `version`, recorded as made at `now`; no reason key when none is given. */
export function newPin(version: string, reason: string | undefined, now: Date): Pin {
  return { version, ...(reason ? { reason } : {}), since: now.toISOString() };
}

/** Sets or removes pins.<env> in app.yaml's text, keeping its comments; an emptied `pins:` goes too. */
export function editPin(text: string, env: string, pin: Pin | undefined): string {
  const document = loadYaml().parseDocument(text);
  if (pin) document.setIn(['pins', env], document.createNode(pin));
  else {
    document.deleteIn(['pins', env]);
    const pins = document.get('pins') as { items?: unknown[] } | undefined;
    if (pins && pins.items?.length === 0) document.delete('pins');
  }
  return document.toString({ flowCollectionPadding: false }); // keep [a, b] as people write it
}

/** Why a pinned service does not move: the version it is held at (the running one when the pin names none). */
export function pinnedReason(pin: Pin, running: string, service: string, env: string): string {
  const why = pin.reason ? `: ${pin.reason}` : '';
  return `pinned at ${pin.version ?? running}${why} (berth unpin ${service} --env ${env} releases it)`;
}
