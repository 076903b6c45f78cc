// Kubernetes-Ingress: per game server, a ClusterIP Service selecting its pod
// and an Ingress routing the game server's own paths (`<id>` = its id) to
// it, both named like the game server and rewritten when the conf changes.
// No network isolation (OKG).
import { objectLabels, objectOwner, podSelector } from '../owners.js';
import { publishNotReady } from '../allow-not-ready.js';
import type { DesiredObject, NetworkPlugin, NetworkPortStatus, ObservedObjects, PodNetworkStatus, ServerFacts } from '../types.js';
import { parseIngressConf, withId, type IngressConf } from './parse-conf.js';

export const INGRESS_NETWORK = 'Kubernetes-Ingress';

export const ingressPlugin: NetworkPlugin<IngressConf> = {
  networkType: INGRESS_NETWORK,
  supportsNetworkDisabled: false,
  parse: (conf) => parseIngressConf(conf),
  desiredObjects: (conf, server) => [ingressService(conf, server), ingress(conf, server)],
  computeStatus: ingressStatus,
};

function metadata(conf: IngressConf, server: ServerFacts, annotations: Record<string, string> = {}) {
  return { name: server.name, namespace: server.namespace, labels: objectLabels(server), annotations, ownerReferences: [objectOwner(server, conf.fixed)] };
}

export function ingressService(conf: IngressConf, server: ServerFacts): DesiredObject {
  const ports = [...new Set(conf.ports)];
  return {
    kind: 'Service',
    manifest: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(conf, server),
      spec: {
        type: 'ClusterIP',
        selector: podSelector(server),
        ports: ports.map((port) => ({ name: String(port), port, protocol: 'TCP', targetPort: port })),
        ...(publishNotReady(server) ? { publishNotReadyAddresses: true } : {}),
      },
    },
  };
}

/** The rule's paths: path i takes path type i and port i, or the first ones (OKG consIngress). */
export function ingressPaths(conf: IngressConf, server: ServerFacts): { path: string; pathType: string; port: number }[] {
  return conf.paths.map((path, i) => ({
    path: withId(path, server.ordinal),
    pathType: conf.pathTypes[i] ?? conf.pathTypes[0] ?? 'ImplementationSpecific',
    port: conf.ports[i] ?? conf.ports[0] ?? 80,
  }));
}

export function ingress(conf: IngressConf, server: ServerFacts): DesiredObject {
  const tls = conf.tlsHosts !== undefined || conf.tlsSecretName !== undefined;
  return {
    kind: 'Ingress',
    manifest: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: metadata(conf, server, { ...conf.annotations }),
      spec: {
        ...(conf.ingressClassName !== undefined ? { ingressClassName: conf.ingressClassName } : {}),
        rules: [
          {
            ...(conf.host !== undefined && conf.host !== '' ? { host: withId(conf.host, server.ordinal) } : {}),
            http: {
              paths: ingressPaths(conf, server).map(({ path, pathType, port }) => ({
                path,
                pathType,
                backend: { service: { name: server.name, port: { number: port } } },
              })),
            },
          },
        ],
        ...(tls
          ? { tls: [{ ...(conf.tlsHosts !== undefined ? { hosts: [...conf.tlsHosts] } : {}), ...(conf.tlsSecretName !== undefined ? { secretName: conf.tlsSecretName } : {}) }] }
          : {}),
      },
    },
  };
}

interface IngressView {
  spec?: { rules?: { host?: string; http?: { paths?: { path?: string; backend?: { service?: { port?: { number?: number } } } }[] } }[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

function ingressStatus(_conf: IngressConf, server: ServerFacts, observed: ObservedObjects): PodNetworkStatus {
  const found = observed.Ingress as IngressView | undefined;
  const podIP = server.pod.status?.podIP;
  if (!found || !observed.Service || !podIP) return { networkType: INGRESS_NETWORK, currentNetworkState: 'NotReady' };
  const rule = found.spec?.rules?.[0];
  const ports: NetworkPortStatus[] = (rule?.http?.paths ?? []).map((p) => ({ name: p.path ?? '', port: p.backend?.service?.port?.number ?? 0, protocol: 'TCP' }));
  const balancer = found.status?.loadBalancer?.ingress?.[0];
  const endPoint = rule?.host ?? balancer?.hostname;
  return {
    networkType: INGRESS_NETWORK,
    currentNetworkState: 'Ready',
    internalAddresses: [{ ip: podIP, ports }],
    externalAddresses: [{ ip: balancer?.ip ?? '', ports, ...(endPoint ? { endPoint } : {}) }],
  };
}
