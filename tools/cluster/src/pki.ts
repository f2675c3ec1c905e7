// Makes the cluster's certificates and keys with openssl: a CA, the API server's serving certificate, one client
// certificate per identity, and the service-account signing key. Made once per dist/cluster/pki and reused.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProgram } from './process';

const OPENSSL_FIX = 'install openssl (Debian: apt-get install openssl) and run "npm run cluster -- up" again.';
const DAYS = '365';
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** The client identities the components and the user authenticate as (CN = user, O = group). */
export const CLIENTS = {
  admin: { user: 'berth-admin', group: 'system:masters' },
  'kube-controller-manager': { user: 'system:kube-controller-manager' },
  'kube-scheduler': { user: 'system:kube-scheduler' },
} as const;
export type Client = keyof typeof CLIENTS;

/** Where the service IP range puts the kubernetes Service, which the serving certificate must name too. */
export const SERVICE_CIDR = '10.96.0.0/16';
const KUBERNETES_SERVICE_IP = '10.96.0.1';

export interface Pki {
  ca: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  serviceAccountKey: string;
  serviceAccountPublicKey: string;
  client: (name: Client) => { cert: string; key: string };
}

export function pkiFiles(dir: string): Pki {
  return {
    ca: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    serverCert: join(dir, 'apiserver.crt'),
    serverKey: join(dir, 'apiserver.key'),
    serviceAccountKey: join(dir, 'service-account.key'),
    serviceAccountPublicKey: join(dir, 'service-account.pub'),
    client: (name) => ({ cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) }),
  };
}

function openssl(args: string[]): void {
  runProgram('openssl', args, { fix: OPENSSL_FIX });
}

function signedCertificate(pki: Pki, dir: string, name: string, subject: string, extensions: string[]): void {
  const csr = join(dir, `${name}.csr`);
  const extfile = join(dir, `${name}.ext`);
  writeFileSync(extfile, `${extensions.join('\n')}\n`);
  openssl(['req', '-new', ...EC_KEY, '-keyout', join(dir, `${name}.key`), '-subj', subject, '-out', csr]);
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    pki.ca,
    '-CAkey',
    pki.caKey,
    '-days',
    DAYS,
    '-sha256',
    '-set_serial',
    `0x${randomBytes(16).toString('hex')}`,
    '-extfile',
    extfile,
    '-out',
    join(dir, `${name}.crt`),
  ]);
}

/** Makes what is missing in `dir` (all of it on the first up) and returns the file names. */
export function ensurePki(dir: string): Pki {
  const pki = pkiFiles(dir);
  if (existsSync(pki.serviceAccountPublicKey)) return pki; // written last: its presence means the set is complete
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  openssl([
    'req',
    '-x509',
    '-new',
    ...EC_KEY,
    '-keyout',
    pki.caKey,
    '-out',
    pki.ca,
    '-days',
    DAYS,
    '-subj',
    '/CN=berth-cluster-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const leaf = ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment'];
  signedCertificate(pki, dir, 'apiserver', '/CN=kube-apiserver', [
    ...leaf,
    'extendedKeyUsage=serverAuth',
    `subjectAltName=IP:127.0.0.1,IP:${KUBERNETES_SERVICE_IP},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,` +
      'DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local',
  ]);
  for (const [name, identity] of Object.entries(CLIENTS)) {
    const group = 'group' in identity ? `/O=${identity.group}` : '';
    signedCertificate(pki, dir, name, `${group}/CN=${identity.user}`, [...leaf, 'extendedKeyUsage=clientAuth']);
  }
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', pki.serviceAccountKey]);
  openssl(['pkey', '-in', pki.serviceAccountKey, '-pubout', '-out', pki.serviceAccountPublicKey]);
  return pki;
}
