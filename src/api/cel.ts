// CEL rules (`x-kubernetes-validations`) attached to zod schemas as metadata,
// so the API server enforces them. Each rule has a zod refinement twin next to
// it (zod cannot run CEL): the shared bad-spec table checks both agree.

/** One entry of `x-kubernetes-validations` (apiextensions.k8s.io/v1 ValidationRule). */
export interface CelRule {
  /** The CEL expression; `self` is the value of the field, `oldSelf` its previous value. */
  readonly rule: string;
  /** Error message shown when the rule is false. */
  readonly message: string;
  /** JSON path, relative to the field, that the error names (e.g. `.rollingUpdate`). */
  readonly fieldPath?: string;
  readonly reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
}

/** Metadata for `.meta()`: the rules the API server evaluates on this field. */
export function celRules(...rules: CelRule[]): { 'x-kubernetes-validations': CelRule[] } {
  return { 'x-kubernetes-validations': rules };
}
