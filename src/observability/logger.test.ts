import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { createLogger } from './logger.js';

function capture(format: 'json' | 'text') {
  const lines: string[] = [];
  const stream = new PassThrough();
  stream.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
  return { logger: createLogger({ format, stream }), lines };
}

describe('createLogger', () => {
  it('writes JSON with errors serialized (message, code, cause)', async () => {
    const { logger, lines } = capture('json');
    logger.error('reconcile failed', { controller: 'gss', err: new Error('outer', { cause: new Error('inner') }) });
    await new Promise((resolve) => setImmediate(resolve));
    const entry = JSON.parse(lines[0]!) as { message: string; controller: string; err: { message: string; cause: { message: string } } };
    expect(entry).toMatchObject({ message: 'reconcile failed', controller: 'gss', err: { message: 'outer', cause: { message: 'inner' } } });
  });

  it('writes one readable line per entry in text format', async () => {
    const { logger, lines } = capture('text');
    logger.info('created pods', { gss: 'default/minecraft', count: 3, note: 'two words' });
    logger.warn('retrying', { err: new Error('conflict') });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} info {2}created pods gss=default\/minecraft count=3 note="two words"$/);
    expect(lines[1]).toMatch(/ warn {2}retrying err="conflict"$/);
  });
});
