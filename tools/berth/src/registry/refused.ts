// The registry error that stops a whole image-update pass: berth's credentials were refused or cannot be read.
// Every other registry failure (unreachable, slow, lying, a missing repository) costs only the services it serves.
import { BerthError } from '../errors';

/** Credentials refused or unusable: one wrong role or config file usually hits every service, so berth stops. */
export class AccessRefused extends BerthError {}
