import { describe, expect, it } from '@jest/globals';
import { kruiseWebhookConfigurations, okgWebhookConfigurations, WebhookManifestError } from './webhooks.js';

const KRUISE_MANIFESTS = `
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: mutating-webhook-configuration
webhooks:
- name: mpod.kb.io
  clientConfig:
    service: { name: webhook-service, namespace: system, path: /mutate-pod }
  failurePolicy: Fail
  rules: [{ apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods] }]
- name: mstatefulset.kb.io
  clientConfig:
    service: { name: webhook-service, namespace: system, path: /mutate-apps-kruise-io-v1beta1-statefulset }
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: validating-webhook-configuration
webhooks:
- name: vpod.kb.io
  clientConfig:
    service: { name: webhook-service, namespace: system, path: /validate-pod }
`;
const KRUISE_PATCH = `
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: mutating-webhook-configuration
webhooks:
- name: mpod.kb.io
  namespaceSelector:
    matchExpressions: [{ key: control-plane, operator: DoesNotExist }]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: validating-webhook-configuration
webhooks:
- name: vpod.kb.io
  namespaceSelector:
    matchExpressions: [{ key: control-plane, operator: DoesNotExist }]
`;

describe('kruiseWebhookConfigurations', () => {
  it('renders both configurations under the names OpenKruise looks up, with the patch merged by webhook name', () => {
    const [mutating, validating] = kruiseWebhookConfigurations(KRUISE_MANIFESTS, KRUISE_PATCH);
    expect(mutating!.metadata.name).toBe('kruise-mutating-webhook-configuration');
    expect(validating!.metadata.name).toBe('kruise-validating-webhook-configuration');
    expect(mutating!.webhooks.map((w) => w.name)).toEqual(['mpod.kb.io', 'mstatefulset.kb.io']);
    expect(mutating!.webhooks[0]).toMatchObject({
      failurePolicy: 'Fail',
      namespaceSelector: { matchExpressions: [{ key: 'control-plane', operator: 'DoesNotExist' }] },
      clientConfig: { service: { name: 'kruise-webhook-service', namespace: 'kruise-system', path: '/mutate-pod' } },
    });
    expect(mutating!.webhooks[1]).not.toHaveProperty('namespaceSelector');
    expect(validating!.webhooks[0]!.clientConfig?.service?.path).toBe('/validate-pod');
  });

  it('refuses a patch of a webhook the manifests lack', () => {
    const patch = KRUISE_PATCH.replace('- name: vpod.kb.io', '- name: vnothing.kb.io');
    expect(() => kruiseWebhookConfigurations(KRUISE_MANIFESTS, patch)).toThrow(WebhookManifestError);
  });

  it('refuses manifests without one of the two kinds', () => {
    const mutatingOnly = KRUISE_MANIFESTS.split('---\napiVersion: admissionregistration.k8s.io/v1\nkind: Validating')[0]!;
    expect(() => kruiseWebhookConfigurations(mutatingOnly, '')).toThrow(/no ValidatingWebhookConfiguration/);
  });
});

describe('okgWebhookConfigurations', () => {
  const OKG_MANIFESTS = `
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: { name: mutating-webhook }
webhooks:
- name: mgameserverset.kb.io
  clientConfig:
    service: { name: webhook-service, namespace: kruise-game-system, path: /mutate-v1-pod }
  objectSelector:
    matchExpressions: [{ key: game.kruise.io/owner-gss, operator: Exists }]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: { name: validating-webhook }
webhooks:
- name: vgameserverset.kb.io
  clientConfig:
    service: { name: webhook-service, namespace: kruise-game-system, path: /validate-v1alpha1-gss }
`;

  it('points every webhook at 127.0.0.1 on the given port, trusted through the given CA', () => {
    const [mutating, validating] = okgWebhookConfigurations(OKG_MANIFESTS, 9443, 'Q0E=');
    expect(mutating!.metadata.name).toBe('kruise-game-mutating-webhook');
    expect(validating!.metadata.name).toBe('kruise-game-validating-webhook');
    expect(mutating!.webhooks[0]).toMatchObject({
      clientConfig: { url: 'https://127.0.0.1:9443/mutate-v1-pod', caBundle: 'Q0E=' },
      objectSelector: { matchExpressions: [{ key: 'game.kruise.io/owner-gss', operator: 'Exists' }] },
    });
    expect(mutating!.webhooks[0]!.clientConfig).not.toHaveProperty('service');
    expect(validating!.webhooks[0]!.clientConfig?.url).toBe('https://127.0.0.1:9443/validate-v1alpha1-gss');
  });
});
