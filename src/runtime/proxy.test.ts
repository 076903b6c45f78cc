import { describe, expect, it } from '@jest/globals';
import { agentProxyEnv, ProxyConfigError, supportsAgentProxy } from './proxy.js';

describe('agentProxyEnv', () => {
  it.each<[string, string | undefined, Record<string, string>, unknown]>([
    ['no proxy anywhere', undefined, { PATH: '/bin' }, undefined],
    ['only NO_PROXY: no proxy', undefined, { NO_PROXY: '10.96.0.1' }, undefined],
    ['HTTPS_PROXY with NO_PROXY', undefined, { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '10.96.0.1,.svc', PATH: '/bin' }, { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '10.96.0.1,.svc' }],
    ['lower-case variables', undefined, { https_proxy: 'http://proxy:3128', no_proxy: 'localhost' }, { https_proxy: 'http://proxy:3128', no_proxy: 'localhost' }],
    ['HTTP_PROXY only (an http:// server)', undefined, { HTTP_PROXY: 'http://proxy:3128' }, { HTTP_PROXY: 'http://proxy:3128' }],
    ['an https:// proxy', undefined, { HTTPS_PROXY: 'https://user:secret@proxy:3129' }, { HTTPS_PROXY: 'https://user:secret@proxy:3129' }],
    ['the kubeconfig proxy-url wins over the environment, NO_PROXY included', 'http://kube-proxy:8080', { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '*' }, { HTTPS_PROXY: 'http://kube-proxy:8080', HTTP_PROXY: 'http://kube-proxy:8080' }],
  ])('%s', (_name, proxyUrl, env, expected) => {
    expect(agentProxyEnv(proxyUrl, env, '24.21.0')).toEqual(expected);
  });

  it.each<[string, string | undefined, Record<string, string>, string]>([
    ['a SOCKS proxy-url', 'socks5://proxy:1080', {}, 'the kubeconfig proxy-url socks5://proxy:1080: only http:// and https:// proxies (HTTP CONNECT) are supported, not socks5'],
    ['a SOCKS HTTPS_PROXY', undefined, { HTTPS_PROXY: 'socks5h://proxy:1080' }, 'HTTPS_PROXY socks5h://proxy:1080: only http:// and https://'],
    ['not a URL', undefined, { HTTPS_PROXY: 'not a url' }, 'HTTPS_PROXY "not a url" is not a URL'],
  ])('refuses %s', (_name, proxyUrl, env, message) => {
    expect(() => agentProxyEnv(proxyUrl, env, '24.21.0')).toThrow(ProxyConfigError);
    expect(() => agentProxyEnv(proxyUrl, env, '24.21.0')).toThrow(message);
  });

  it('refuses a proxy on a Node without agent proxy support instead of connecting directly', () => {
    expect(() => agentProxyEnv(undefined, { HTTPS_PROXY: 'http://proxy:3128' }, '24.4.1')).toThrow('Node 24.4.1 cannot tunnel through it');
    expect(agentProxyEnv(undefined, {}, '24.4.1')).toBeUndefined();
  });

  it.each([
    ['24.4.9', false],
    ['24.5.0', true],
    ['24.21.0', true],
    ['25.0.0', true],
    ['22.20.0', false],
  ])('supportsAgentProxy(%s) = %s', (version, expected) => {
    expect(supportsAgentProxy(version)).toBe(expected);
  });
});
