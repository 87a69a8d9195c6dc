/** A stored value as text a person reads: list cells, the phone's read-only rows. */
import type { Attachment, FieldMeta, Location } from '@/api/formTypes'
import { labelText } from './labels'

export interface DisplayContext {
  locale: string
  yes: string
  no: string
  rows: (n: number) => string
  /** Name of a user, department or related record by id, when known. */
  refName?: (field: FieldMeta, id: number) => string | undefined
  formatDateTime?: (iso: string) => string
}

export function optionLabel(field: FieldMeta, value: unknown, locale: string): string {
  const option = field.options?.find((o) => String(o.value) === String(value))
  return option ? labelText(option.label, locale, String(option.value)) : String(value)
}

export function displayValue(field: FieldMeta, value: unknown, ctx: DisplayContext): string {
  if (value === null || value === undefined || value === '') return ''
  switch (field.type) {
    case 'select':
    case 'radio':
      return optionLabel(field, value, ctx.locale)
    case 'multiselect':
    case 'checkbox':
      return Array.isArray(value) ? value.map((v) => optionLabel(field, v, ctx.locale)).join(', ') : String(value)
    case 'switch':
      return value ? ctx.yes : ctx.no
    case 'money':
      return `${field.currency_symbol ?? '¥'}${value}`
    case 'percent':
      return `${value}%`
    case 'rating':
      return '★'.repeat(Number(value) || 0)
    case 'datetime':
      return ctx.formatDateTime ? ctx.formatDateTime(String(value)) : String(value)
    case 'attachment':
    case 'image':
      return Array.isArray(value) ? (value as Attachment[]).map((a) => a?.name ?? `#${a?.id ?? a}`).join(', ') : ''
    case 'location': {
      const place = value as Location
      return place.address || (place.lat !== null && place.lng !== null ? `${place.lat}, ${place.lng}` : '')
    }
    case 'subtable':
      return Array.isArray(value) ? ctx.rows(value.length) : ''
    case 'user':
    case 'department':
    case 'relation':
      return ctx.refName?.(field, Number(value)) ?? `#${value}`
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value)
  }
}
