// Argument handling: what commander accepts and refuses, before any request.
import { describe, expect, it } from '@jest/globals';
import { buildProgram, runCli } from './main.js';
import { ApiError } from '../runtime/errors.js';
import { RequestFailedError } from '../runtime/kube-client.js';
import { CliError, describeFailure, type CliIo } from './cli-io.js';

function io(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env: {},
    now: () => 0,
    interactive: false,
    connect: () => Promise.reject(new Error('no cluster in unit tests')),
  };
}

describe('runCli argument errors', () => {
  it.each([
    ['unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['bad -o', ['list', '-o', 'table'], /argument 'table' is invalid\. Allowed choices are wide, json, yaml, name/],
    ['negative priority', ['set', 'web-0', '--deletion-priority', '-1'], /'--deletion-priority <n>' argument '-1' is invalid\. want a non-negative integer/],
    ['describe without a room', ['describe'], /missing required argument 'room'/],
    ['release without --image', ['release', 'web'], /required option '--image <container=image>' not specified/],
    ['release with a bad timeout', ['release', 'web', '--image', 'g=i', '--timeout', 'soon'], /invalid duration "soon"/],
    ['release with zero new rooms', ['release', 'web', '--image', 'g=i', '--new-rooms', '0'], /want a positive integer/],
    ['reserve without ids', ['reserve', 'web'], /missing required argument 'ids'/],
    ['unknown flag', ['list', '--frob'], /unknown option '--frob'/],
  ])('%s: exit 1, message on stderr, nothing on stdout', async (_name, argv, message) => {
    const streams = io();
    expect(await runCli(argv, streams)).toBe(1);
    expect(streams.err.join('')).toMatch(message);
    expect(streams.out.join('')).toBe('');
  });

  it('no arguments: usage on stderr, exit 1', async () => {
    const streams = io();
    expect(await runCli([], streams)).toBe(1);
    expect(streams.err.join('')).toMatch(/Usage: kubectl gs/);
  });

  it('--help: usage on stdout, exit 0', async () => {
    const streams = io();
    expect(await runCli(['--help'], streams)).toBe(0);
    expect(streams.out.join('')).toMatch(/Usage: kubectl gs \[options\] \[command\][\s\S]*release/);
  });

  it('errors after parsing (here: connecting) go to stderr as kubectl words them, exit 1', async () => {
    const streams = io();
    expect(await runCli(['list'], streams)).toBe(1);
    expect(streams.err.join('')).toBe('error: no cluster in unit tests\n');
  });
});

describe('global flags', () => {
  it.each([
    ['before the command', ['-n', 'games', '--context', 'prod', 'list'], { namespace: 'games', context: 'prod' }],
    ['after the command', ['list', '--namespace=games', '--kubeconfig', '/k'], { namespace: 'games', kubeconfig: '/k' }],
    ['-A on list', ['list', '-A'], { allNamespaces: true }],
  ])('%s', async (_name, argv, expected) => {
    let seen: unknown;
    const program = buildProgram(io(), async (_action, flags) => {
      seen = flags;
    });
    await program.parseAsync(argv, { from: 'user' });
    expect(seen).toMatchObject(expected);
  });
});

describe('describeFailure', () => {
  it.each([
    ['an API error, as kubectl words it', new ApiError(404, 'x', JSON.stringify({ kind: 'Status', reason: 'NotFound', message: 'gameservers.game.kruise.io "a" not found' }), {}), 'Error from server (NotFound): gameservers.game.kruise.io "a" not found'],
    ['no server', new RequestFailedError('GET', '/api', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') }), 'Unable to connect to the server: connect ECONNREFUSED 127.0.0.1:1'],
    ['a usage error', new CliError('no ids given'), 'error: no ids given'],
  ])('%s', (_name, error, text) => {
    expect(describeFailure(error)).toBe(text);
  });
});
