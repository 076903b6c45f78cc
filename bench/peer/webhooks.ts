// The peer's admission webhooks, registered as they are in a cluster but
// served on 127.0.0.1: OpenKruise's two configurations rendered from its
// config/webhook the way its kustomization does (name prefix "kruise-",
// namespace kruise-system, patch_manifests.yaml merged by webhook name), which
// OpenKruise itself then points at https://WEBHOOK_HOST:WEBHOOK_PORT; and
// OKG's two, which its manager would register for its in-cluster Service,
// pointed here at a URL on 127.0.0.1 with the given CA.
import { loadAll } from 'js-yaml';

const KINDS = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'] as const;
type Kind = (typeof KINDS)[number];

type Webhook = { name: string; clientConfig?: { service?: { name?: string; namespace?: string; path?: string }; url?: string; caBundle?: string } } & Record<string, unknown>;

export interface WebhookConfiguration {
  apiVersion: 'admissionregistration.k8s.io/v1';
  kind: Kind;
  metadata: { name: string };
  webhooks: Webhook[];
}

export class WebhookManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookManifestError';
  }
}

/** The names OpenKruise looks its configurations up by (pkg/webhook/util/configuration). */
export const KRUISE_WEBHOOK_CONFIGURATIONS: Readonly<Record<Kind, string>> = {
  MutatingWebhookConfiguration: 'kruise-mutating-webhook-configuration',
  ValidatingWebhookConfiguration: 'kruise-validating-webhook-configuration',
};
/** The names OKG registers its configurations under (pkg/webhook/webhook.go). */
export const OKG_WEBHOOK_CONFIGURATIONS: Readonly<Record<Kind, string>> = {
  MutatingWebhookConfiguration: 'kruise-game-mutating-webhook',
  ValidatingWebhookConfiguration: 'kruise-game-validating-webhook',
};
export const KRUISE_NAMESPACE = 'kruise-system';

function documents(text: string, source: string): Map<Kind, Webhook[]> {
  const byKind = new Map<Kind, Webhook[]>();
  for (const doc of loadAll(text)) {
    if (!doc || typeof doc !== 'object') continue;
    const { kind, webhooks } = doc as { kind?: string; webhooks?: unknown };
    if (!(KINDS as readonly string[]).includes(kind ?? '')) continue;
    if (!Array.isArray(webhooks)) throw new WebhookManifestError(`${source}: a ${kind} without webhooks`);
    byKind.set(kind as Kind, [...(byKind.get(kind as Kind) ?? []), ...(webhooks as Webhook[])]);
  }
  return byKind;
}

/** OpenKruise's configurations from its manifests.yaml and patch_manifests.yaml (the patch adds selectors by webhook name). */
export function kruiseWebhookConfigurations(manifests: string, patch: string): WebhookConfiguration[] {
  const base = documents(manifests, 'manifests.yaml');
  const patches = documents(patch, 'patch_manifests.yaml');
  return KINDS.map((kind) => {
    const webhooks = base.get(kind);
    if (!webhooks) throw new WebhookManifestError(`manifests.yaml: no ${kind}`);
    const byName = new Map((patches.get(kind) ?? []).map((p) => [p.name, p]));
    for (const name of byName.keys()) {
      if (!webhooks.some((w) => w.name === name)) throw new WebhookManifestError(`patch_manifests.yaml: ${kind} patches an unknown webhook ${name}`);
    }
    return {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind,
      metadata: { name: KRUISE_WEBHOOK_CONFIGURATIONS[kind] },
      webhooks: webhooks.map((webhook) => {
        const merged = { ...webhook, ...(byName.get(webhook.name) ?? {}) };
        const service = webhook.clientConfig?.service;
        if (!service?.path) throw new WebhookManifestError(`manifests.yaml: webhook ${webhook.name} has no service path`);
        return { ...merged, clientConfig: { service: { ...service, name: 'kruise-webhook-service', namespace: KRUISE_NAMESPACE } } };
      }),
    };
  });
}

/** OKG's configurations from its manifests.yaml, served at https://127.0.0.1:`port` and trusted through `caBundle` (base64 PEM). */
export function okgWebhookConfigurations(manifests: string, port: number, caBundle: string): WebhookConfiguration[] {
  const base = documents(manifests, 'manifests.yaml');
  return KINDS.map((kind) => {
    const webhooks = base.get(kind);
    if (!webhooks) throw new WebhookManifestError(`manifests.yaml: no ${kind}`);
    return {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind,
      metadata: { name: OKG_WEBHOOK_CONFIGURATIONS[kind] },
      webhooks: webhooks.map((webhook) => {
        const path = webhook.clientConfig?.service?.path;
        if (!path) throw new WebhookManifestError(`manifests.yaml: webhook ${webhook.name} has no service path`);
        return { ...webhook, clientConfig: { url: `https://127.0.0.1:${port}${path}`, caBundle } };
      }),
    };
  });
}
