/** Editing helpers for field metadata: optional settings are removed rather than left empty. */
import type { FieldMeta } from '@/api/formTypes'

type Settable = Record<string, unknown>

/** Sets `key`, or deletes it when the value is empty (undefined, null, '', false, {} or []). */
export function setProp(target: object, key: string, value: unknown): void {
  const record = target as Settable
  const empty =
    value === undefined ||
    value === null ||
    value === '' ||
    value === false ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0)
  if (empty) delete record[key]
  else record[key] = value
}

/** Sets one of the field's validations, dropping the object when nothing is left. */
export function setValidation(field: FieldMeta, key: string, value: unknown): void {
  const rules = { ...(field.validations ?? {}) } as Settable
  setProp(rules, key, typeof value === 'number' && !Number.isFinite(value) ? undefined : value)
  setProp(field as unknown as Settable, 'validations', rules)
}
