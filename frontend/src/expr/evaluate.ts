/**
 * The browser interpreter of GreenShelf's condition language (form linkage: show, require,
 * compute). It must give exactly what the server's Python interpreter and SQL compiler give;
 * tests/expr_vectors.json holds the cases all three pass. It never evaluates text as code and
 * never reads the clock: `today` is an argument. Which expressions are valid is decided on the
 * server at save time; here an unknown operator simply throws ExprError.
 */
import { Decimal } from './decimal'
import { DateTimeValue, DateValue, FIRST_DAY, LAST_DAY, parseDate, parseDateTime } from './dates'
import { coerce, type FieldType, hasOwn, jsonNumber, normalise, type Value } from './values'

export { Decimal } from './decimal'
export type { FieldType } from './values'

/** Integers as numbers, decimals as Decimal, dates and datetimes as ISO text. */
export type ExprResult = null | boolean | number | string | string[] | Decimal

export class ExprError extends Error {}

type Handler = (run: Interpreter, args: unknown[]) => Value

const COMPARE_PLACES = 6
const DIVIDE_PLACES = 10

/**
 * The value of `expr` for one record. With `fields` (name -> field type) each data value is
 * read as its declared type first (ISO text becomes a date, a decimal field's number a Decimal).
 */
export function evaluate(
  expr: unknown,
  data: Record<string, unknown>,
  today: string,
  fields?: Record<string, FieldType>,
): ExprResult {
  const day = parseDate(today)
  if (!day) throw new ExprError(`'${today}' is not a date (YYYY-MM-DD)`)
  return exported(new Interpreter(data, day, fields ?? {}).run(expr))
}

/** Truth in a condition: true or a non-empty list (multi-select, 'missing'); null is false. */
export function isTrue(value: unknown): boolean {
  return value === true || (Array.isArray(value) && value.length > 0)
}

function exported(value: Value): ExprResult {
  if (typeof value === 'bigint') return Number(value)
  if (value instanceof DateValue || value instanceof DateTimeValue) return value.toString()
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string')
  return value
}

class Interpreter {
  constructor(
    readonly data: Record<string, unknown>,
    readonly today: DateValue,
    readonly fields: Record<string, FieldType>,
  ) {}

  run(node: unknown): Value {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      return typeof node === 'number' ? jsonNumber(node) : normalise(node)
    }
    const keys = Object.keys(node)
    if (keys.length !== 1) throw new ExprError('An operator is an object with exactly one key')
    const handler = HANDLERS.get(keys[0])
    if (!handler) throw new ExprError(`Unknown operator '${keys[0]}'`)
    const raw = (node as Record<string, unknown>)[keys[0]]
    return handler(this, Array.isArray(raw) ? raw : [raw])
  }

  read(name: unknown): Value {
    if (typeof name !== 'string') return null
    const raw = hasOwn(this.data, name) ? this.data[name] : null
    const type = hasOwn(this.fields, name) ? this.fields[name] : undefined
    return type ? coerce(raw, type) : normalise(raw)
  }

  truthy(node: unknown): boolean {
    return isTrue(this.run(node))
  }
}

function isNumber(value: Value): value is bigint | Decimal {
  return typeof value === 'bigint' || value instanceof Decimal
}

function asDecimal(value: bigint | Decimal): Decimal {
  return typeof value === 'bigint' ? Decimal.fromInteger(value) : value
}

function kind(value: Value): string {
  if (value instanceof DateTimeValue) return 'datetime'
  if (value instanceof DateValue) return 'date'
  if (isNumber(value)) return 'number'
  if (Array.isArray(value)) return 'array'
  return value === null ? 'null' : typeof value
}

/** Both operands as values of one kind (ISO text meeting a date is read as one), or null. */
function reconcile(left: Value, right: Value): [Value, Value] | null {
  const [a, b] = [kind(left), kind(right)]
  if (a === b) return [left, right]
  const parsers: Record<string, (text: string) => Value> = { date: parseDate, datetime: parseDateTime }
  if (a === 'string' && hasOwn(parsers, b)) {
    const parsed = parsers[b](left as string)
    return parsed === null ? null : [parsed, right]
  }
  if (b === 'string' && hasOwn(parsers, a)) {
    const parsed = parsers[a](right as string)
    return parsed === null ? null : [left, parsed]
  }
  return null
}

/** Text order by Unicode code point (JavaScript's own order is by UTF-16 unit). */
function compareText(left: string, right: string): number {
  const a = Array.from(left)
  const b = Array.from(right)
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const difference = (a[i].codePointAt(0) ?? 0) - (b[i].codePointAt(0) ?? 0)
    if (difference) return Math.sign(difference)
  }
  return Math.sign(a.length - b.length)
}

/** -1, 0 or 1; null when either side is null or the two cannot be ordered. */
function compare(left: Value, right: Value): number | null {
  if (left === null || right === null) return null
  const pair = reconcile(left, right)
  if (!pair) return null
  const [a, b] = pair
  if (isNumber(a) && isNumber(b)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0
    return asDecimal(a).round(COMPARE_PLACES).compare(asDecimal(b).round(COMPARE_PLACES))
  }
  if (typeof a === 'string' && typeof b === 'string') return compareText(a, b)
  if (a instanceof DateTimeValue && b instanceof DateTimeValue) {
    return Math.sign(a.day - b.day) || Math.sign(a.micros - b.micros)
  }
  if (a instanceof DateValue && b instanceof DateValue) return Math.sign(a.day - b.day)
  return null
}

/** Null-safe equality: null equals only null. */
function equal(left: Value, right: Value): boolean {
  if (left === null || right === null) return left === null && right === null
  if (typeof left === 'boolean' || typeof right === 'boolean') return left === right
  if (Array.isArray(left) || Array.isArray(right)) {
    return (
      Array.isArray(left) &&
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item, index) => item === right[index])
    )
  }
  return compare(left, right) === 0
}

function ordered(test: (order: number) => boolean): Handler {
  return (run, args) => {
    const operands = args.map((arg) => run.run(arg))
    for (let i = 0; i + 1 < operands.length; i += 1) {
      const order = compare(operands[i], operands[i + 1])
      if (order === null || !test(order)) return false
    }
    return true
  }
}

function contains(haystack: Value, needle: Value): boolean {
  if (typeof needle !== 'string') return false
  if (Array.isArray(haystack)) return haystack.includes(needle)
  return typeof haystack === 'string' && haystack.includes(needle)
}

const INTEGER_STEPS = {
  '+': (a: bigint, b: bigint) => a + b,
  '-': (a: bigint, b: bigint) => a - b,
  '*': (a: bigint, b: bigint) => a * b,
}

const DECIMAL_STEPS = {
  '+': (a: Decimal, b: Decimal) => a.add(b),
  '-': (a: Decimal, b: Decimal) => a.sub(b),
  '*': (a: Decimal, b: Decimal) => a.mul(b),
}

function arithmetic(op: '+' | '-' | '*' | '/'): Handler {
  return (run, args) => {
    const operands = args.map((arg) => run.run(arg))
    if (!operands.every(isNumber)) return null
    const numbers: (bigint | Decimal)[] = operands
    if (op === '/') return asDecimal(numbers[0]).div(asDecimal(numbers[1]), DIVIDE_PLACES)
    if (op === '-' && numbers.length === 1) numbers.unshift(0n)
    if (numbers.every((value): value is bigint => typeof value === 'bigint')) {
      return numbers.reduce(INTEGER_STEPS[op])
    }
    return numbers.map(asDecimal).reduce(DECIMAL_STEPS[op])
  }
}

function asDate(value: Value): DateValue | null {
  if (typeof value === 'string') value = parseDate(value) ?? parseDateTime(value)
  if (value instanceof DateTimeValue) return new DateValue(value.day)
  return value instanceof DateValue ? value : null
}

function daysBetween(later: Value, earlier: Value): Value {
  const [a, b] = [asDate(later), asDate(earlier)]
  return a && b ? BigInt(a.day - b.day) : null
}

function addDays(run: Interpreter, args: unknown[]): Value {
  const day = asDate(run.run(args[0]))
  const days = run.run(args[1])
  if (!day || typeof days !== 'bigint') return null
  const moved = BigInt(day.day) + days
  if (moved < BigInt(FIRST_DAY) || moved > BigInt(LAST_DAY)) return null
  return new DateValue(Number(moved))
}

function choose(run: Interpreter, args: unknown[]): Value {
  for (let i = 0; i + 1 < args.length; i += 2) {
    if (run.truthy(args[i])) return run.run(args[i + 1])
  }
  return run.run(args[args.length - 1])
}

function isEmpty(value: Value): boolean {
  return value === null || value === '' || (Array.isArray(value) && value.length === 0)
}

const HANDLERS = new Map<string, Handler>([
  [
    'var',
    (run, args) => {
      const value = run.read(args[0])
      if (value !== null || args.length < 2) return value
      const name = String(args[0])
      const fallback = run.run(args[1])
      return hasOwn(run.fields, name) ? coerce(fallback, run.fields[name]) : fallback
    },
  ],
  ['missing', (run, args) => args.filter((name) => isEmpty(run.read(name))) as string[]],
  ['==', (run, args) => equal(run.run(args[0]), run.run(args[1]))],
  ['!=', (run, args) => !equal(run.run(args[0]), run.run(args[1]))],
  ['<', ordered((order) => order < 0)],
  ['<=', ordered((order) => order <= 0)],
  ['>', ordered((order) => order > 0)],
  ['>=', ordered((order) => order >= 0)],
  [
    'between',
    (run, args) => {
      const [value, low, high] = args.map((arg) => run.run(arg))
      const [below, above] = [compare(low, value), compare(value, high)]
      return below !== null && above !== null && below <= 0 && above <= 0
    },
  ],
  ['and', (run, args) => args.every((arg) => run.truthy(arg))],
  ['or', (run, args) => args.some((arg) => run.truthy(arg))],
  ['!', (run, args) => !run.truthy(args[0])],
  ['!!', (run, args) => run.truthy(args[0])],
  [
    'in',
    (run, args) => {
      const needle = run.run(args[0])
      if (needle === null) return false
      if (Array.isArray(args[1])) return args[1].some((item) => equal(needle, run.run(item)))
      return contains(run.run(args[1]), needle)
    },
  ],
  ['contains', (run, args) => contains(run.run(args[0]), run.run(args[1]))],
  [
    'starts_with',
    (run, args) => {
      const [text, prefix] = [run.run(args[0]), run.run(args[1])]
      return typeof text === 'string' && typeof prefix === 'string' && text.startsWith(prefix)
    },
  ],
  ['+', arithmetic('+')],
  ['-', arithmetic('-')],
  ['*', arithmetic('*')],
  ['/', arithmetic('/')],
  ['if', choose],
  ['today', (run) => run.today],
  ['days_until', (run, args) => daysBetween(run.run(args[0]), run.today)],
  ['date_diff', (run, args) => daysBetween(run.run(args[0]), run.run(args[1]))],
  ['add_days', addDays],
  // A record's level under a warning rule is read from the platform's alerts, in SQL only:
  // the browser, like Python, sees the record's data alone, where every record is green.
  ['alert_level', () => 'green'],
])
