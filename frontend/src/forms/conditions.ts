/**
 * The visual condition builder's model and its translation to and from the expression
 * language: rows of (field, operator, value) combined with all / any. Used for linkage
 * (visible_if, required_if) and for record list filters, so both speak the same JSON.
 */
import type { Expression, FieldMeta } from '@/api/formTypes'
import { exprKind, type ExprKind } from './fieldTypes'

export type ConditionOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'contains' | 'empty' | 'not_empty'
export type Combinator = 'all' | 'any'

export interface ConditionRow {
  field: string
  op: ConditionOperator
  /** A plain value; a list for `in`; ignored for `empty` / `not_empty`. */
  value: unknown
}

export interface ConditionGroup {
  combinator: Combinator
  rows: ConditionRow[]
}

const COMPARISONS = ['==', '!=', '<', '<=', '>', '>='] as const
const ORDERED: ExprKind[] = ['integer', 'decimal', 'date', 'datetime']

/** What a field of each expression type can be tested with (form_engine/expr/check.py). */
export function operatorsFor(kind: ExprKind | null): ConditionOperator[] {
  switch (kind) {
    case 'string':
      return ['==', '!=', 'in', 'contains', 'empty', 'not_empty']
    case 'integer':
    case 'decimal':
      return ['==', '!=', '<', '<=', '>', '>=', 'in', 'empty', 'not_empty']
    case 'date':
    case 'datetime':
      return ['==', '!=', '<', '<=', '>', '>=', 'empty', 'not_empty']
    case 'boolean':
      return ['==', '!=', 'empty', 'not_empty']
    case 'array':
      return ['contains', 'empty', 'not_empty']
    default:
      return []
  }
}

const OPERATOR_NAMES: Record<ConditionOperator, string> = {
  '==': 'eq',
  '!=': 'ne',
  '<': 'lt',
  '<=': 'le',
  '>': 'gt',
  '>=': 'ge',
  in: 'in',
  contains: 'contains',
  empty: 'empty',
  not_empty: 'notEmpty',
}

/** The operator's name in messages (`conditions.ops.<name>`) and test ids. */
export function operatorName(op: ConditionOperator): string {
  return OPERATOR_NAMES[op]
}

/** Fields a condition may name: those with a type in the expression language. */
export function conditionFields(fields: FieldMeta[]): FieldMeta[] {
  return fields.filter((f) => !f.removed && exprKind(f) !== null)
}

export function emptyGroup(combinator: Combinator = 'all'): ConditionGroup {
  return { combinator, rows: [] }
}

function variable(field: string) {
  return { var: field }
}

export function rowToExpression(row: ConditionRow): Expression {
  switch (row.op) {
    case 'empty':
      return { missing: [row.field] }
    case 'not_empty':
      return { '!': { missing: [row.field] } }
    case 'in':
      return { in: [variable(row.field), Array.isArray(row.value) ? row.value : [row.value]] }
    case 'contains':
      return { contains: [variable(row.field), row.value] }
    default:
      return { [row.op]: [variable(row.field), row.value] }
  }
}

/**
 * The expression for a group; null when it has no rows (no condition). The rows are always
 * wrapped in and / or so the result is a true/false condition even for a lone "is empty".
 */
export function toExpression(group: ConditionGroup): Expression | null {
  if (!group.rows.length) return null
  return { [group.combinator === 'any' ? 'or' : 'and']: group.rows.map(rowToExpression) }
}

function asObject(node: unknown): [string, unknown[]] | null {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return null
  const entries = Object.entries(node)
  if (entries.length !== 1) return null
  const [op, args] = entries[0]
  return [op, Array.isArray(args) ? args : [args]]
}

function varName(node: unknown): string | null {
  const found = asObject(node)
  if (!found || found[0] !== 'var' || found[1].length !== 1) return null
  return typeof found[1][0] === 'string' ? found[1][0] : null
}

function isPlain(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value)
}

/** One row from an expression node, or null when the node is not something a row can say. */
export function rowFromExpression(node: unknown): ConditionRow | null {
  const found = asObject(node)
  if (!found) return null
  const [op, args] = found
  if (op === 'missing' && args.length === 1 && typeof args[0] === 'string') {
    return { field: args[0], op: 'empty', value: null }
  }
  if (op === '!' && args.length === 1) {
    const inner = rowFromExpression(args[0])
    return inner?.op === 'empty' ? { field: inner.field, op: 'not_empty', value: null } : null
  }
  if (args.length !== 2) return null
  const field = varName(args[0])
  if (field === null) return null
  if (op === 'in') {
    return Array.isArray(args[1]) && args[1].every(isPlain) ? { field, op: 'in', value: [...args[1]] } : null
  }
  if (op === 'contains' || (COMPARISONS as readonly string[]).includes(op)) {
    return isPlain(args[1]) ? { field, op: op as ConditionOperator, value: args[1] } : null
  }
  return null
}

/**
 * The builder's view of an expression, or null when the expression says more than the
 * builder can show (then it is edited as raw JSON). A lone row counts as an "all" group.
 */
export function fromExpression(expr: unknown): ConditionGroup | null {
  if (expr === null || expr === undefined) return emptyGroup()
  const found = asObject(expr)
  if (found && (found[0] === 'and' || found[0] === 'or')) {
    const rows = found[1].map(rowFromExpression)
    if (rows.some((r) => r === null)) return null
    return { combinator: found[0] === 'or' ? 'any' : 'all', rows: rows as ConditionRow[] }
  }
  const row = rowFromExpression(expr)
  return row ? { combinator: 'all', rows: [row] } : null
}

/** Whether a row is complete enough to send (a field, and a value where one is needed). */
export function rowIsComplete(row: ConditionRow): boolean {
  if (!row.field) return false
  if (row.op === 'empty' || row.op === 'not_empty') return true
  if (row.op === 'in') return Array.isArray(row.value) && row.value.length > 0
  return row.value !== undefined && row.value !== null && row.value !== ''
}

/** The value a new row starts with for a field of this kind and operator. */
export function initialValue(kind: ExprKind | null, op: ConditionOperator): unknown {
  if (op === 'in') return []
  if (op === 'empty' || op === 'not_empty') return null
  if (kind === 'boolean') return true
  return ORDERED.includes(kind as ExprKind) && kind !== 'date' && kind !== 'datetime' ? null : ''
}
