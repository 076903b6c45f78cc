// The control plane's certificates, made with openssl: a CA, one certificate
// that serves the API server and kwok and authenticates the components as
// system:masters (as kwokctl does), and a service-account signing key.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Pki {
  readonly dir: string;
  readonly caCert: string;
  readonly caKey: string;
  readonly cert: string;
  readonly key: string;
  readonly serviceAccountKey: string;
}

export async function createPki(dir: string): Promise<Pki> {
  await mkdir(dir, { recursive: true });
  const pki: Pki = {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    cert: join(dir, 'admin.crt'),
    key: join(dir, 'admin.key'),
    serviceAccountKey: join(dir, 'sa.key'),
  };
  const ext = join(dir, 'admin.ext');
  await writeFile(
    ext,
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth,clientAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local',
    ].join('\n'),
  );
  const openssl = (...args: string[]) => run('openssl', args);
  await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', pki.caKey, '-out', pki.caCert, '-days', '3650', '-subj', '/CN=gamekeeper-local-ca');
  await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', pki.key, '-out', join(dir, 'admin.csr'), '-subj', '/O=system:masters/CN=gamekeeper-admin');
  await openssl('x509', '-req', '-in', join(dir, 'admin.csr'), '-CA', pki.caCert, '-CAkey', pki.caKey, '-CAcreateserial', '-out', pki.cert, '-days', '3650', '-extfile', ext);
  await openssl('genrsa', '-out', pki.serviceAccountKey, '2048');
  return pki;
}
