import { readFile, writeFile } from 'node:fs/promises';
import type { Pki } from './pki.js';

const b64 = async (file: string) => (await readFile(file)).toString('base64');

/** Writes an admin kubeconfig with the certificates embedded, so it can be copied anywhere. */
export async function writeAdminKubeconfig(path: string, server: string, pki: Pki): Promise<void> {
  const text = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: gamekeeper-local',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${await b64(pki.caCert)}`,
    'users:',
    '- name: gamekeeper-admin',
    '  user:',
    `    client-certificate-data: ${await b64(pki.cert)}`,
    `    client-key-data: ${await b64(pki.key)}`,
    'contexts:',
    '- name: gamekeeper-local',
    '  context:',
    '    cluster: gamekeeper-local',
    '    user: gamekeeper-admin',
    'current-context: gamekeeper-local',
    '',
  ].join('\n');
  await writeFile(path, text, { mode: 0o600 });
}
