import { describe, expect, it } from '@jest/globals';
import { parseHostPortConf } from './host-port/parse-conf.js';
import { parseIngressConf } from './ingress/parse-conf.js';
import { parseNodePortConf } from './node-port/parse-conf.js';
import { describeProblems, resolveNetwork } from './plugins.js';
import type { NetworkConfParam, ParsedConf } from './types.js';

const context = { containerNames: ['game', 'sidecar'] };
const conf = (...pairs: [string, string][]): NetworkConfParam[] => pairs.map(([name, value]) => ({ name, value }));
const problems = <C>(parsed: ParsedConf<C>): string => (parsed.ok ? '' : describeProblems(parsed.problems));

describe('Kubernetes-HostPort ContainerPorts', () => {
  it.each([
    ['one port, TCP by default', conf(['ContainerPorts', 'game:7777']), [{ container: 'game', containerPort: 7777, protocol: 'TCP' }]],
    [
      'several ports and protocols',
      conf(['ContainerPorts', 'game:7777/UDP,8080/TCP']),
      [
        { container: 'game', containerPort: 7777, protocol: 'UDP' },
        { container: 'game', containerPort: 8080, protocol: 'TCP' },
      ],
    ],
    ['SameAsHost and TCPUDP', conf(['ContainerPorts', 'game:SameAsHost/TCPUDP']), [{ container: 'game', containerPort: undefined, protocol: 'TCPUDP' }]],
    [
      'two containers',
      conf(['ContainerPorts', 'game:7777'], ['ContainerPorts', 'sidecar:9090/TCP']),
      [
        { container: 'game', containerPort: 7777, protocol: 'TCP' },
        { container: 'sidecar', containerPort: 9090, protocol: 'TCP' },
      ],
    ],
  ])('%s', (_name, input, mappings) => {
    expect(parseHostPortConf(input, context)).toEqual({ ok: true, conf: { mappings } });
  });

  it.each([
    ['missing', conf(), 'ContainerPorts: is required: containerName:port/PROTOCOL,...'],
    ['no container', conf(['ContainerPorts', '7777']), 'ContainerPorts: "7777" is not containerName:port/PROTOCOL,...'],
    ['unknown container', conf(['ContainerPorts', 'web:80']), 'ContainerPorts: container "web" is not in the gameServerTemplate'],
    ['bad port', conf(['ContainerPorts', 'game:abc']), 'ContainerPorts: "abc" is not a port number (1-65535)'],
    ['port out of range', conf(['ContainerPorts', 'game:70000']), 'ContainerPorts: "70000" is not a port number (1-65535)'],
    ['lowercase protocol', conf(['ContainerPorts', 'game:80/udp']), 'ContainerPorts: protocol "udp" is not one of TCP, UDP, SCTP, TCPUDP'],
  ])('refuses %s', (_name, input, message) => {
    expect(problems(parseHostPortConf(input, context))).toBe(message);
  });
});

describe('Kubernetes-NodePort', () => {
  it.each([
    ['ports, not fixed', conf(['PortProtocols', '7777/UDP,80']), { ports: [{ port: 7777, protocol: 'UDP' }, { port: 80, protocol: 'TCP' }], fixed: false }],
    ['fixed', conf(['PortProtocols', '80'], ['Fixed', 'true']), { ports: [{ port: 80, protocol: 'TCP' }], fixed: true }],
    ['same port, two protocols', conf(['PortProtocols', '80/TCP,80/UDP']), { ports: [{ port: 80, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }], fixed: false }],
  ])('%s', (_name, input, expected) => {
    expect(parseNodePortConf(input)).toEqual({ ok: true, conf: expected });
  });

  it.each([
    ['no PortProtocols', conf(['Fixed', 'true']), 'PortProtocols: is required: port/PROTOCOL,...'],
    ['bad Fixed', conf(['PortProtocols', '80'], ['Fixed', 'yes']), 'Fixed: "yes" is not true or false'],
    ['duplicate', conf(['PortProtocols', '80,80/TCP']), 'PortProtocols: 80/TCP is listed twice'],
    ['bad port', conf(['PortProtocols', 'http']), 'PortProtocols: "http" is not a port number (1-65535)'],
  ])('refuses %s', (_name, input, message) => {
    expect(problems(parseNodePortConf(input))).toBe(message);
  });
});

describe('Kubernetes-Ingress', () => {
  it('reads OKG documented example', () => {
    const parsed = parseIngressConf(
      conf(
        ['IngressClassName', 'nginx'],
        ['Port', '80'],
        ['Path', '/game<id>(/|$)(.*)'],
        ['Path', '/test-<id>'],
        ['Host', 'test.example.com'],
        ['PathType', 'ImplementationSpecific'],
        ['TlsHosts', 'a.example.com,b.example.com'],
        ['TlsSecretName', 'tls'],
        ['Annotation', 'nginx.ingress.kubernetes.io/rewrite-target: /$2'],
        ['Annotation', 'nginx.ingress.kubernetes.io/random: xxx'],
      ),
    );
    expect(parsed).toEqual({
      ok: true,
      conf: {
        paths: ['/game<id>(/|$)(.*)', '/test-<id>'],
        pathTypes: ['ImplementationSpecific'],
        ports: [80],
        host: 'test.example.com',
        ingressClassName: 'nginx',
        tlsHosts: ['a.example.com', 'b.example.com'],
        tlsSecretName: 'tls',
        annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2', 'nginx.ingress.kubernetes.io/random': 'xxx' },
        fixed: false,
      },
    });
  });

  it.each([
    ['no Port (OKG paramsError)', conf(['Path', '/g<id>'], ['PathType', 'Prefix']), 'Port: is required'],
    ['no Path', conf(['Port', '80'], ['PathType', 'Prefix']), 'Path: is required'],
    ['bad PathType', conf(['Path', '/g'], ['Port', '80'], ['PathType', 'Regex']), 'PathType: "Regex" is not one of Exact, Prefix, ImplementationSpecific'],
    ['two <id>', conf(['Path', '/<id>/<id>'], ['Port', '80'], ['PathType', 'Prefix']), 'Path: "/<id>/<id>" holds <id> more than once'],
    ['annotation without ": "', conf(['Path', '/g'], ['Port', '80'], ['PathType', 'Prefix'], ['Annotation', 'a=b']), 'Annotation: "a=b" is not "key: value"'],
  ])('refuses %s', (_name, input, message) => {
    expect(problems(parseIngressConf(input))).toBe(message);
  });
});

describe('resolveNetwork', () => {
  it('no network → none; unknown type → named problem', () => {
    expect(resolveNetwork(undefined, context)).toEqual({ kind: 'none' });
    const unknown = resolveNetwork({ networkType: 'AlibabaCloud-SLB', networkConf: [] }, context);
    expect(unknown.kind === 'invalid' && unknown.reason).toBe('UnknownNetworkType');
  });
});
