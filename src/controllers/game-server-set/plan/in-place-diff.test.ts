import { describe, expect, it } from '@jest/globals';
import { imageOnlyChanges } from './in-place-diff.js';
import type { PodTemplateView } from './types.js';

const base: PodTemplateView = {
  metadata: { labels: { app: 'game' }, annotations: { note: 'a' } },
  spec: {
    initContainers: [{ name: 'init', image: 'init:1' }],
    containers: [
      { name: 'app', image: 'app:1', ports: [{ containerPort: 7777 }] },
      { name: 'sidecar', image: 'side:1' },
    ],
    terminationGracePeriodSeconds: 30,
  },
};

const withSpec = (spec: Partial<PodTemplateView['spec']>): PodTemplateView => ({ ...base, spec: { ...base.spec, ...spec } });
const containers = (app: string, sidecar: string) => [
  { name: 'app', image: app, ports: [{ containerPort: 7777 }] },
  { name: 'sidecar', image: sidecar },
];

describe('imageOnlyChanges', () => {
  it.each([
    { name: 'identical templates: no change', to: base, expected: [] },
    {
      name: 'key order does not matter',
      to: { spec: { terminationGracePeriodSeconds: 30, containers: base.spec.containers, initContainers: base.spec.initContainers }, metadata: { annotations: { note: 'a' }, labels: { app: 'game' } } },
      expected: [],
    },
    { name: 'one image', to: withSpec({ containers: containers('app:1', 'side:2') }), expected: [{ name: 'sidecar', image: 'side:2' }] },
    {
      name: 'two images',
      to: withSpec({ containers: containers('app:2', 'side:2') }),
      expected: [
        { name: 'app', image: 'app:2' },
        { name: 'sidecar', image: 'side:2' },
      ],
    },
    { name: 'image and another container field', to: withSpec({ containers: [{ name: 'app', image: 'app:2' }, { name: 'sidecar', image: 'side:1' }] }), expected: undefined },
    { name: 'a pod spec field', to: withSpec({ terminationGracePeriodSeconds: 5 }), expected: undefined },
    { name: 'an init container image', to: withSpec({ initContainers: [{ name: 'init', image: 'init:2' }] }), expected: undefined },
    { name: 'a container added', to: withSpec({ containers: [...containers('app:1', 'side:1'), { name: 'extra', image: 'x:1' }] }), expected: undefined },
    { name: 'containers reordered', to: withSpec({ containers: [...containers('app:1', 'side:1')].reverse() }), expected: undefined },
    { name: 'a container renamed', to: withSpec({ containers: [{ name: 'app', image: 'app:1', ports: [{ containerPort: 7777 }] }, { name: 'side', image: 'side:1' }] }), expected: undefined },
    { name: 'an image removed', to: withSpec({ containers: [{ name: 'app', ports: [{ containerPort: 7777 }] }, { name: 'sidecar', image: 'side:1' }] }), expected: undefined },
    { name: 'a template label', to: { ...base, metadata: { labels: { app: 'game', v: '2' }, annotations: { note: 'a' } } }, expected: undefined },
    { name: 'a template annotation', to: { ...base, metadata: { labels: { app: 'game' }, annotations: { note: 'b' } } }, expected: undefined },
  ])('$name', ({ to, expected }) => {
    expect(imageOnlyChanges(base, to)).toEqual(expected);
  });
});
