/**
 * The 27 field types as the designer and the renderers see them: palette group, renderer
 * family, type in the expression language, and a factory making a new field that the
 * server accepts as it is (form_engine/fields/*.py holds the authoritative rules).
 */
import { FIELD_TYPES, type FieldMeta, type FieldType, type FieldOption } from '@/api/formTypes'
import zhCN from '@/i18n/locales/zh-CN'
import en from '@/i18n/locales/en'

export type PaletteGroup = 'basic' | 'choice' | 'datetime' | 'people' | 'advanced'

/** How a renderer draws the field: one input component per family. */
export type FieldFamily = 'text' | 'number' | 'date' | 'choice' | 'reference' | 'file' | 'computed' | 'location' | 'subtable'

/** The field's type in the expression language (null: conditions cannot use it). */
export type ExprKind = 'string' | 'integer' | 'decimal' | 'date' | 'datetime' | 'boolean' | 'array'

export interface FieldTypeInfo {
  group: PaletteGroup
  family: FieldFamily
  expr: ExprKind | null
}

export const FIELD_TYPE_INFO: Record<FieldType, FieldTypeInfo> = {
  text: { group: 'basic', family: 'text', expr: 'string' },
  textarea: { group: 'basic', family: 'text', expr: 'string' },
  richtext: { group: 'basic', family: 'text', expr: 'string' },
  integer: { group: 'basic', family: 'number', expr: 'integer' },
  decimal: { group: 'basic', family: 'number', expr: 'decimal' },
  money: { group: 'basic', family: 'number', expr: 'decimal' },
  percent: { group: 'basic', family: 'number', expr: 'decimal' },
  phone: { group: 'basic', family: 'text', expr: 'string' },
  email: { group: 'basic', family: 'text', expr: 'string' },
  select: { group: 'choice', family: 'choice', expr: 'string' },
  multiselect: { group: 'choice', family: 'choice', expr: 'array' },
  radio: { group: 'choice', family: 'choice', expr: 'string' },
  checkbox: { group: 'choice', family: 'choice', expr: 'array' },
  switch: { group: 'choice', family: 'choice', expr: 'boolean' },
  rating: { group: 'choice', family: 'number', expr: 'integer' },
  date: { group: 'datetime', family: 'date', expr: 'date' },
  datetime: { group: 'datetime', family: 'date', expr: 'datetime' },
  time: { group: 'datetime', family: 'date', expr: null },
  user: { group: 'people', family: 'reference', expr: 'integer' },
  department: { group: 'people', family: 'reference', expr: 'integer' },
  relation: { group: 'people', family: 'reference', expr: 'integer' },
  subtable: { group: 'advanced', family: 'subtable', expr: null },
  attachment: { group: 'advanced', family: 'file', expr: null },
  image: { group: 'advanced', family: 'file', expr: null },
  autonumber: { group: 'advanced', family: 'computed', expr: 'string' },
  formula: { group: 'advanced', family: 'computed', expr: 'decimal' },
  location: { group: 'advanced', family: 'location', expr: null },
}

export const PALETTE_GROUPS: PaletteGroup[] = ['basic', 'choice', 'datetime', 'people', 'advanced']

export function typesOfGroup(group: PaletteGroup): FieldType[] {
  return FIELD_TYPES.filter((type) => FIELD_TYPE_INFO[type].group === group)
}

export const CHOICE_TYPES: FieldType[] = ['select', 'multiselect', 'radio', 'checkbox']
export const MULTI_CHOICE_TYPES: FieldType[] = ['multiselect', 'checkbox']
export const DECIMAL_TYPES: FieldType[] = ['decimal', 'money', 'percent']
export const TEXT_RULE_TYPES: FieldType[] = ['text', 'textarea', 'richtext']
export const NUMBER_RULE_TYPES: FieldType[] = ['integer', 'decimal', 'money', 'percent']
export const FILE_TYPES: FieldType[] = ['attachment', 'image']

export function hasOptions(type: FieldType): boolean {
  return CHOICE_TYPES.includes(type)
}

export function isComputed(type: FieldType): boolean {
  return type === 'autonumber' || type === 'formula'
}

/** The expression type of a concrete field (a formula's depends on its result type). */
export function exprKind(field: FieldMeta): ExprKind | null {
  if (field.type === 'formula') {
    const result = field.result_type ?? 'decimal'
    return result === 'string' ? 'string' : result
  }
  return FIELD_TYPE_INFO[field.type]?.expr ?? null
}

export const KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/

/** Keys the platform keeps for its own columns (form_engine/schema.py RESERVED). */
export const RESERVED_KEYS = new Set([
  'id',
  'tenant_id',
  'created_by',
  'created_at',
  'updated_at',
  'row_version',
  'form_version',
  'flow_instance_id',
  'deleted_at',
  'owner_department_id',
  'parent_id',
  'position',
])

/** `base_1`, `base_2`, ...: the first key not taken. */
export function uniqueKey(base: string, taken: Iterable<string>): string {
  const used = new Set(taken)
  for (let n = 1; ; n += 1) {
    const key = `${base}_${n}`
    if (!used.has(key)) return key
  }
}

function typeLabel(type: FieldType): { zh: string; en: string } {
  return { zh: zhCN.fieldTypes[type], en: en.fieldTypes[type] }
}

export function newOption(taken: FieldOption[]): FieldOption {
  const value = uniqueKey('option', taken.map((o) => String(o.value)))
  const n = value.slice('option_'.length)
  return {
    value,
    label: { zh: zhCN.designer.optionN.replace('{n}', n), en: en.designer.optionN.replace('{n}', n) },
  }
}

/** Settings a new field of each type starts with, beyond key, type and label. */
function typeDefaults(type: FieldType): Partial<FieldMeta> {
  switch (type) {
    case 'select':
    case 'multiselect':
    case 'radio':
    case 'checkbox': {
      const first = newOption([])
      return { options: [first, newOption([first])] }
    }
    case 'money':
      return { currency_symbol: '¥', validations: { scale: 2 } }
    case 'decimal':
      return { validations: { scale: 2 } }
    case 'percent':
      return { validations: { scale: 2, min: 0, max: 100 } }
    case 'rating':
      return { max: 5 }
    case 'relation':
      return { relation: {} }
    case 'subtable':
      return { fields: [createField('text')] }
    case 'attachment':
      return { max_files: 5, max_size_mb: 20 }
    case 'image':
      return { max_files: 9, max_size_mb: 10, accept: ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] }
    case 'autonumber':
      return { pattern: 'NO-{YYYYMMDD}-{seq:4}' }
    case 'formula':
      return { formula: { '+': [0] }, result_type: 'decimal' }
    default:
      return {}
  }
}

/**
 * A new field of `type`, named after its type. It has no key yet: saving the draft gives
 * it one made from the label the person typed (app/keys.py), so nobody types a key.
 */
export function createField(type: FieldType): FieldMeta {
  return { key: '', type, label: typeLabel(type), ...typeDefaults(type) }
}
