import { describe, expect, it } from '@jest/globals';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { contextNamespace, kubeConfigFiles } from './kube-context.js';

const FILE_A = `
current-context: dev
contexts:
  - name: dev
    context: { cluster: c, user: u, namespace: games }
  - name: prod
    context: { cluster: c, user: u }
`;
const FILE_B = `
contexts:
  - name: staging
    context: { cluster: c, user: u, namespace: stage }
`;

describe('kubeConfigFiles', () => {
  it.each([
    ['--kubeconfig wins', { kubeconfig: '/k' }, { KUBECONFIG: '/a:/b' }, ['/k']],
    ['$KUBECONFIG, every file', {}, { KUBECONFIG: '/a::/b' }, ['/a', '/b']],
    ['~/.kube/config otherwise', {}, {}, [join(homedir(), '.kube', 'config')]],
  ])('%s', (_name, flags, env, expected) => {
    expect(kubeConfigFiles(flags, env)).toEqual(expected);
  });
});

describe('contextNamespace', () => {
  it.each([
    ['the current context', undefined, 'games'],
    ['--context without a namespace', 'prod', undefined],
    ['--context defined in a later file', 'staging', 'stage'],
    ['an unknown context', 'nope', undefined],
  ])('%s', (_name, context, expected) => {
    expect(contextNamespace([{ text: FILE_A }, { text: FILE_B }], context)).toBe(expected);
  });
});
