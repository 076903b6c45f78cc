// What a TLS connection per exec costs the client's malloc heap, with and
// without one shared TLS context (src/runtime/kube-client.ts):
//   node_modules/.bin/node --import tsx bench/tls-churn.ts [--shared] [--seconds=40]
// A local wss server answers every upgrade as pods/exec does (stdout, then
// a Success status, then close); 64 clients open one websocket each at a
// time, about 50 connections per second in all, each a new TLS connection
// through one keep-alive agent. Prints RSS, the V8 heap and the main malloc
// heap ([heap] in /proc/self/smaps) every 10 s. Needs the openssl command
// (for a throwaway certificate). Without --shared the agent gets the CA as
// `ca`, and node builds a context per connection.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { Agent, createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import WebSocket, { WebSocketServer } from 'ws';

const shared = process.argv.includes('--shared');
const seconds = Number(/--seconds=(\d+)/.exec(process.argv.join(' '))?.[1] ?? 40);
const dir = mkdtempSync(join(tmpdir(), 'tls-churn-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
const cert = readFileSync(join(dir, 'cert.pem'));
const key = readFileSync(join(dir, 'key.pem'));

const server = createServer({ cert, key });
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on('connection', (socket) => {
  socket.send(Buffer.from([1, 111, 107]));
  socket.send(Buffer.concat([Buffer.from([3]), Buffer.from('{"status":"Success"}')]));
  socket.close();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as { port: number };

const agent = new Agent({ keepAlive: true, maxFreeSockets: 1, ...(shared ? { secureContext: createSecureContext({ ca: cert }) } : { ca: cert }) });
const mallocHeapMb = (): number => {
  const smaps = readFileSync('/proc/self/smaps', 'utf8');
  const at = smaps.indexOf('[heap]');
  if (at < 0) return 0;
  const rss = /\nRss:\s+(\d+) kB/.exec(smaps.slice(at))?.[1];
  return Number(rss ?? 0) / 1024;
};
let done = 0;
const report = () => {
  const { rss, heapTotal } = process.memoryUsage();
  process.stdout.write(`${done} connections: RSS ${(rss / 2 ** 20).toFixed(0)} MB, V8 heap ${(heapTotal / 2 ** 20).toFixed(0)} MB, malloc heap ${mallocHeapMb().toFixed(0)} MB\n`);
};
const end = Date.now() + seconds * 1000;
const once = () =>
  new Promise<void>((resolve) => {
    const socket = new WebSocket(`wss://127.0.0.1:${port}/exec`, ['v5.channel.k8s.io'], { agent, perMessageDeflate: false });
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
const client = async () => {
  while (Date.now() < end) {
    await once();
    done++;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
};
process.stdout.write(`${shared ? 'one shared TLS context' : 'a TLS context per connection'}, ${seconds} s\n`);
report();
const timer = setInterval(report, 10_000);
await Promise.all(Array.from({ length: 64 }, client));
clearInterval(timer);
report();
agent.destroy();
wss.close();
server.close();
