import { describe, expect, it, jest } from '@jest/globals';
import { HttpMethod, KubeConfig, type RequestContext } from '@kubernetes/client-node';
import { KubeClient } from './kube-client.js';

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/** A kubeconfig whose authentication builds a new dispatcher per request, as client-node's does. */
class FreshDispatcherKubeConfig extends KubeConfig {
  readonly built: { close: jest.Mock<() => Promise<void>> }[] = [];

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    const dispatcher = { close: jest.fn(async () => undefined) };
    this.built.push(dispatcher);
    context.setDispatcher(dispatcher as unknown as Dispatcher);
  }
}

function kubeConfig(): FreshDispatcherKubeConfig {
  const config = new FreshDispatcherKubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:6443', skipTLSVerify: false }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return config;
}

describe('KubeClient', () => {
  it('sends every request through the first dispatcher and closes the ones client-node builds later', async () => {
    const config = kubeConfig();
    const client = new KubeClient({ kubeConfig: config });
    const build = (client as unknown as { context(method: HttpMethod, path: string, options: object): Promise<RequestContext> }).context.bind(client);
    const contexts = await Promise.all([build(HttpMethod.GET, '/api', {}), build(HttpMethod.GET, '/api', {}), build(HttpMethod.POST, '/api', {})]);
    expect(config.built).toHaveLength(3);
    for (const context of contexts) expect(context.getDispatcher()).toBe(config.built[0]);
    expect(config.built[0]!.close).not.toHaveBeenCalled();
    expect(config.built[1]!.close).toHaveBeenCalled();
    expect(config.built[2]!.close).toHaveBeenCalled();
  });
});
