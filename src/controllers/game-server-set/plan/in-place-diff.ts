// In-place update eligibility, decided between two REVISION templates (the
// pod's and the update revision's), never against the live pod: API-server
// defaulting makes a live pod differ from its template in fields nobody
// changed (OKG issue #217, an init container's terminationMessagePolicy).
import { jsonEqual } from './canonical-json.js';
import type { ContainerView, PodTemplateView } from './types.js';

export interface ImageChange {
  readonly name: string;
  readonly image: string;
}

/**
 * The containers whose image differs between `from` and `to`, when container
 * images are the only difference; undefined when anything else differs
 * (metadata, any other spec field, init containers, container set or order),
 * which needs a recreate. An empty list means the templates are equal.
 */
export function imageOnlyChanges(from: PodTemplateView, to: PodTemplateView): ImageChange[] | undefined {
  const fromContainers = from.spec.containers;
  const toContainers = to.spec.containers;
  if (fromContainers.length !== toContainers.length) return undefined;
  const changes: ImageChange[] = [];
  for (const [index, target] of toContainers.entries()) {
    const source = fromContainers[index];
    if (source === undefined || source.name !== target.name) return undefined;
    if (source.image !== target.image) {
      if (target.image === undefined) return undefined;
      changes.push({ name: target.name, image: target.image });
    }
  }
  return jsonEqual(withoutImages(from), withoutImages(to)) ? changes : undefined;
}

function withoutImages(template: PodTemplateView): PodTemplateView {
  const strip = (container: ContainerView): ContainerView => ({ ...container, image: undefined });
  return { ...template, spec: { ...template.spec, containers: template.spec.containers.map(strip) } };
}
