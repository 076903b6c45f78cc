// The game.kruise.io/v1alpha1 API: schemas, types, keys and parsers.
export * from './constants.js';
export { celRules, type CelRule } from './cel.js';
export * from './int-or-string.js';
export * from './reserve-ids.js';
export * from './primitives.js';
export * from './object-meta.js';
export * from './pod-template.js';
export * from './game-server.js';
export * from './service-quality.js';
export * from './game-server-set-status.js';
export * from './game-server-set.js';
export * from './parse.js';
