// The API resources the two controllers read and write.
import { GAME_SERVER_KIND, GAME_SERVER_PLURAL, GAME_SERVER_SET_KIND, GAME_SERVER_SET_PLURAL, GROUP, VERSION } from '../../api/constants.js';
import type { ResourceDescriptor } from '../../runtime/resource.js';

export { NODES, PODS } from '../../runtime/resource.js';

export const GAME_SERVER_SETS: ResourceDescriptor = Object.freeze({
  group: GROUP,
  version: VERSION,
  plural: GAME_SERVER_SET_PLURAL,
  kind: GAME_SERVER_SET_KIND,
  namespaced: true,
});

export const GAME_SERVERS: ResourceDescriptor = Object.freeze({
  group: GROUP,
  version: VERSION,
  plural: GAME_SERVER_PLURAL,
  kind: GAME_SERVER_KIND,
  namespaced: true,
});

export const CONTROLLER_REVISIONS: ResourceDescriptor = Object.freeze({
  group: 'apps',
  version: 'v1',
  plural: 'controllerrevisions',
  kind: 'ControllerRevision',
  namespaced: true,
});

export const PERSISTENT_VOLUME_CLAIMS: ResourceDescriptor = Object.freeze({
  group: '',
  version: 'v1',
  plural: 'persistentvolumeclaims',
  kind: 'PersistentVolumeClaim',
  namespaced: true,
});
