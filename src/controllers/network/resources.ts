// The API resources the network plugins write.
import type { ResourceDescriptor } from '../../runtime/resource.js';
import type { ObjectKind } from './types.js';

export const SERVICES: ResourceDescriptor = Object.freeze({ group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true });

export const INGRESSES: ResourceDescriptor = Object.freeze({
  group: 'networking.k8s.io',
  version: 'v1',
  plural: 'ingresses',
  kind: 'Ingress',
  namespaced: true,
});

export const RESOURCE_OF: Readonly<Record<ObjectKind, ResourceDescriptor>> = { Service: SERVICES, Ingress: INGRESSES };
