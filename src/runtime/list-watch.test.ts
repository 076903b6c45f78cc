import { describe, expect, it } from '@jest/globals';
import { readJsonLines, type RawWatchEvent } from './list-watch.js';

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function linesOf(chunks: Uint8Array[]): Promise<RawWatchEvent[]> {
  const events: RawWatchEvent[] = [];
  await readJsonLines(streamOf(chunks), (event) => events.push(event));
  return events;
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('readJsonLines', () => {
  it('emits every line of a chunk, carries an unfinished one over and emits a last line without newline', async () => {
    const events = await linesOf([bytes('{"type":"ADDED","object":1}\n{"type":"MOD'), bytes('IFIED","object":2}\n\n{"type":"DELETED"'), bytes(',"object":3}')]);
    expect(events).toEqual([
      { type: 'ADDED', object: 1 },
      { type: 'MODIFIED', object: 2 },
      { type: 'DELETED', object: 3 },
    ]);
  });

  it('decodes a multi-byte character split across chunks', async () => {
    const encoded = bytes('{"type":"ADDED","object":"é✓"}\n');
    const split = encoded.indexOf(0xe2) + 1;
    const events = await linesOf([encoded.slice(0, split), encoded.slice(split)]);
    expect(events).toEqual([{ type: 'ADDED', object: 'é✓' }]);
  });
});
