// Which proxy the process's connections to the API server go through, as
// client-go decides it: a kubeconfig's cluster `proxy-url` for every request
// of that cluster, else HTTPS_PROXY / HTTP_PROXY (by the server's scheme)
// with NO_PROXY exceptions, from the environment.
//
// The tunnelling itself (HTTP CONNECT through an http:// or https:// proxy,
// Proxy-Authorization from the URL's user info, NO_PROXY matching) is Node's
// own: an http(s).Agent built with `proxyEnv` (Node 24.5+). Every agent of
// the KubeClient (requests, watches, pods/exec websockets) gets it.

/** The variables an agent's `proxyEnv` reads (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, and lower-case). */
export type ProxyEnv = Readonly<Record<string, string>>;

export class ProxyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProxyConfigError';
  }
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'] as const;

/**
 * The `proxyEnv` of the agents: `proxyUrl` (a kubeconfig's) for both schemes
 * and no exceptions, else the proxy variables of `env`; undefined when no
 * proxy applies. Refuses a proxy Node cannot tunnel through (SOCKS), and a
 * Node without agent proxy support, rather than connecting directly.
 */
export function agentProxyEnv(proxyUrl: string | undefined, env: Readonly<Record<string, string | undefined>>, nodeVersion = process.versions.node): ProxyEnv | undefined {
  let proxyEnv: ProxyEnv | undefined;
  if (proxyUrl) {
    checkProxyUrl(proxyUrl, 'the kubeconfig proxy-url');
    proxyEnv = { HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl };
  } else {
    const picked: Record<string, string> = {};
    for (const name of PROXY_VARIABLES) {
      const value = env[name];
      if (value) picked[name] = value;
    }
    const proxies = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].filter((name) => picked[name]);
    if (proxies.length === 0) return undefined;
    for (const name of proxies) checkProxyUrl(picked[name]!, name);
    proxyEnv = picked;
  }
  if (!supportsAgentProxy(nodeVersion)) throw new ProxyConfigError(`a proxy is configured but Node ${nodeVersion} cannot tunnel through it: Node 24.5 or later is needed`);
  return proxyEnv;
}

/** Node's http(s).Agent takes `proxyEnv` from 24.5 on. */
export function supportsAgentProxy(nodeVersion: string): boolean {
  const [major = 0, minor = 0] = nodeVersion.split('.').map(Number);
  return major > 24 || (major === 24 && minor >= 5);
}

function checkProxyUrl(value: string, source: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ProxyConfigError(`${source} ${JSON.stringify(value)} is not a URL (e.g. http://proxy.example.com:3128)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProxyConfigError(`${source} ${url.protocol}//${url.host}: only http:// and https:// proxies (HTTP CONNECT) are supported, not ${url.protocol.replace(/:$/, '')}`);
  }
}
