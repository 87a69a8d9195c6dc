/** Which fields of a form fit each picker of the rule designer, and labels of stored choice values. */
import type { FieldMeta, FieldType } from '@/api/formTypes'
import { exprKind, hasOptions, type ExprKind } from '@/forms/fieldTypes'
import { labelText } from '@/forms/labels'

export const DATE_KINDS: ExprKind[] = ['date', 'datetime']
export const NUMBER_KINDS: ExprKind[] = ['integer', 'decimal']
export const SCALAR_KINDS: ExprKind[] = ['string', 'integer', 'decimal', 'date', 'datetime', 'boolean']

export function fieldsOfKinds(fields: FieldMeta[], kinds: ExprKind[]): FieldMeta[] {
  return fields.filter((f) => !f.removed && kinds.includes(exprKind(f) as ExprKind))
}

export function fieldsOfTypes(fields: FieldMeta[], types: FieldType[]): FieldMeta[] {
  return fields.filter((f) => !f.removed && types.includes(f.type))
}

/** Stored value -> label of every choice field's options ("east" -> "华东仓"). */
export function choiceLabels(fields: FieldMeta[], locale: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const field of fields) {
    if (!hasOptions(field.type)) continue
    for (const option of field.options ?? []) {
      const value = String(option.value)
      if (!out.has(value)) out.set(value, labelText(option.label, locale, value))
    }
  }
  return out
}

/** Options of one field as {value, label}, for a filter select. */
export function fieldOptions(field: FieldMeta | undefined, locale: string): { value: string; label: string }[] {
  if (!field || !hasOptions(field.type)) return []
  return (field.options ?? []).map((o) => ({ value: String(o.value), label: labelText(o.label, locale, String(o.value)) }))
}
