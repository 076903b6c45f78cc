// Which API resource a watcher, an informer or a raw request is about, and
// the REST paths that follow from it.

/** An API resource: group ('' for core), version, plural, kind, and whether it lives in namespaces. */
export interface ResourceDescriptor {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/** `v1` for the core group, `group/version` otherwise. */
export function apiVersionOf(resource: ResourceDescriptor): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

/**
 * REST path of a collection (no name) or an object. A namespaced resource
 * without a namespace gives the all-namespaces collection.
 */
export function resourcePath(resource: ResourceDescriptor, namespace?: string, name?: string, subresource?: string): string {
  const prefix = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
  const scope = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const object = name ? `/${encodeURIComponent(name)}` : '';
  const sub = name && subresource ? `/${subresource}` : '';
  return `${prefix}${scope}/${resource.plural}${object}${sub}`;
}

/** `plural.group` (or `plural` for core), as RBAC and kubectl name it. */
export function resourceName(resource: ResourceDescriptor): string {
  return resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
}

export const PODS: ResourceDescriptor = Object.freeze({ group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true });
export const NODES: ResourceDescriptor = Object.freeze({ group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false });
export const CONFIG_MAPS: ResourceDescriptor = Object.freeze({ group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true });
export const EVENTS: ResourceDescriptor = Object.freeze({ group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true });
export const LEASES: ResourceDescriptor = Object.freeze({
  group: 'coordination.k8s.io',
  version: 'v1',
  plural: 'leases',
  kind: 'Lease',
  namespaced: true,
});
export const NAMESPACES: ResourceDescriptor = Object.freeze({ group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false });
