/** Shapes of apps, forms, form metadata, records, imports and attachments (see form_engine/schema.py). */

/** A label in both languages; the API also accepts a plain string. */
export type Label = string | { zh?: string; en?: string }

export const FIELD_TYPES = [
  'text',
  'textarea',
  'richtext',
  'integer',
  'decimal',
  'money',
  'percent',
  'date',
  'datetime',
  'time',
  'select',
  'multiselect',
  'radio',
  'checkbox',
  'switch',
  'user',
  'department',
  'relation',
  'subtable',
  'attachment',
  'image',
  'autonumber',
  'formula',
  'phone',
  'email',
  'location',
  'rating',
] as const

export type FieldType = (typeof FIELD_TYPES)[number]

/** An expression of the condition language (JSON, JsonLogic-like). */
export type Expression = unknown

export interface FieldOption {
  value: string | number
  label?: Label
  color?: string
}

export interface FieldValidations {
  min?: number
  max?: number
  min_length?: number
  max_length?: number
  pattern?: string
  scale?: number
}

export type FormulaResult = 'integer' | 'decimal' | 'string' | 'boolean' | 'date'

export interface FieldMeta {
  key: string
  type: FieldType
  label: Label
  help?: Label
  placeholder?: Label
  required?: boolean
  indexed?: boolean
  unique?: boolean
  default?: unknown
  options?: FieldOption[]
  validations?: FieldValidations
  relation?: { form?: string; display?: string }
  fields?: FieldMeta[]
  pattern?: string
  formula?: Expression
  result_type?: FormulaResult
  visible_if?: Expression
  required_if?: Expression
  accept?: string[]
  max_size_mb?: number
  max_files?: number
  max?: number
  currency_symbol?: string
  width?: number
  removed?: boolean
  /** a column the record list computes as it reads (not stored, not edited) */
  computed?: boolean
}

/** What a record page says besides its rows: names for the ids it holds, and its columns. */
export interface RecordPageExtras {
  /** field key -> id -> the user's, department's or related record's name */
  titles?: Record<string, Record<string, string>>
  /** the form's default columns and the columns computed as the list is read */
  list?: { columns: string[]; computed: FieldMeta[] }
}

export interface FormMeta {
  fields: FieldMeta[]
  title_field?: string
  layout?: Record<string, unknown>
}

export interface AppItem {
  id: number
  key: string
  label: Label
  description: string
  icon: string
}

export interface AppInput {
  key?: string
  label: { zh?: string; en?: string }
  description?: string
  icon?: string
}

export interface FormItem {
  id: number
  app_id: number
  key: string
  label: Label
  draft: FormMeta
  table_name: string
  published_version: number | null
  updated_at: string
}

export interface FormVersion {
  id: number
  form_id: number
  version: number
  meta: FormMeta
  changes: string[]
  published_by: number | null
  created_at: string
}

export interface FormDiff {
  added: FieldMeta[]
  removed: FieldMeta[]
  relabelled: { key: string; before: Label; after: Label }[]
  changed: { key: string; label?: Label; properties: string[] }[]
}

export interface PublishPreview {
  version: number
  diff: FormDiff
}

export interface FormSchema {
  version: number
  fields: FieldMeta[]
  json_schema: Record<string, unknown>
}

export type RecordValues = Record<string, unknown>

export interface RecordItem extends RecordValues {
  id: number
  _row_version: number
  _created_at: string
  _updated_at: string
  _created_by: number | null
  _deleted_at: string | null
}

export interface RecordQuery {
  filter?: string
  sort?: string
  page: number
  page_size: number
  fields?: string
  deleted?: boolean
}

export interface Attachment {
  id: number
  name: string
  size: number
  content_type?: string
  sha256?: string
}

export interface Location {
  lat: number | null
  lng: number | null
  address?: string
}

export type ImportStatus = 'queued' | 'running' | 'done' | 'failed'

export interface ImportRowError {
  row: number
  field: string
  message: string
}

export interface ImportJob {
  id: number | string
  filename?: string
  status: ImportStatus
  /** Why a failed import stopped. */
  message?: string
  total: number
  processed: number
  inserted: number
  updated: number
  errors: ImportRowError[]
  error_count: number
}

export interface ImportOptions {
  dry_run: boolean
  mode: 'insert' | 'upsert'
  key_field?: string
}
