/**
 * Linkage in the browser: which fields are shown (visible_if), which are required
 * (required / required_if) and what formulas give, using the expression interpreter in
 * src/expr with each field read as its declared type (as the server does).
 */
import type { FieldMeta, RecordValues } from '@/api/formTypes'
import { evaluate, isTrue, type FieldType as ExprFieldType } from '@/expr/evaluate'
import { exprKind } from './fieldTypes'

export type ExprTypes = Record<string, ExprFieldType>

/** Today in the tenant's time zone as YYYY-MM-DD (the date conditions compare with). */
export function todayIn(timeZone?: string, now: Date = new Date()): string {
  try {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now)
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
    return `${get('year')}-${get('month')}-${get('day')}`
  } catch {
    return now.toISOString().slice(0, 10)
  }
}

/** The expression-language type of every field conditions may read. */
export function expressionTypes(fields: FieldMeta[]): ExprTypes {
  const types: ExprTypes = {}
  for (const field of fields) {
    const kind = exprKind(field)
    if (kind && !field.removed) types[field.key] = kind
  }
  return types
}

/** Evaluates a condition; an expression the interpreter refuses counts as not holding. */
export function holds(condition: unknown, data: RecordValues, today: string, types?: ExprTypes): boolean {
  if (typeof condition === 'boolean') return condition
  if (condition === null || condition === undefined) return false
  try {
    return isTrue(evaluate(condition, data, today, types))
  } catch {
    return false
  }
}

export function isVisible(field: FieldMeta, data: RecordValues, today: string, types?: ExprTypes): boolean {
  return field.visible_if === undefined || field.visible_if === null || holds(field.visible_if, data, today, types)
}

export function isRequired(field: FieldMeta, data: RecordValues, today: string, types?: ExprTypes): boolean {
  if (!isVisible(field, data, today, types)) return false
  if (field.required_if !== undefined && field.required_if !== null) return holds(field.required_if, data, today, types)
  return field.required === true
}

/** A formula's value for display (decimals as exact text); null when it cannot be computed. */
export function formulaValue(field: FieldMeta, data: RecordValues, today: string, types?: ExprTypes): unknown {
  if (field.formula === undefined) return null
  try {
    const value = evaluate(field.formula, data, today, types)
    if (value === undefined) return null
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? String(value) : value
  } catch {
    return null
  }
}
