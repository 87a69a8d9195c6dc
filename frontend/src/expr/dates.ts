/**
 * Calendar dates and datetimes of the condition language, as whole day numbers so that date
 * arithmetic is plain integer arithmetic. Only ISO text is read (YYYY-MM-DD and
 * YYYY-MM-DDTHH:MM[:SS[.ffffff]], no time zone), years 1 to 9999, as on the server.
 */

export class DateValue {
  /** `day` counts days from 1970-01-01. */
  constructor(readonly day: number) {}

  toString(): string {
    const [year, month, day] = civilFromDays(this.day)
    return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`
  }
}

export class DateTimeValue {
  /** `micros` counts microseconds since the start of `day`. */
  constructor(
    readonly day: number,
    readonly micros: number,
  ) {}

  toString(): string {
    const seconds = Math.floor(this.micros / 1_000_000)
    const fraction = this.micros % 1_000_000
    const time = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60]
    const text = `${new DateValue(this.day)}T${time.map((part) => pad(part, 2)).join(':')}`
    return fraction ? `${text}.${pad(fraction, 6)}` : text
  }
}

export const FIRST_DAY = daysFromCivil(1, 1, 1)
export const LAST_DAY = daysFromCivil(9999, 12, 31)

const DATE_TEXT = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/
const DATETIME_TEXT =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6}))?)?$/

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0')
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

function validDay(year: number, month: number, day: number): boolean {
  const lengths = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= lengths[month - 1]
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146097 + dayOfEra - 719468
}

export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const dayOfEra = z - era * 146097
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  )
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const shifted = Math.floor((5 * dayOfYear + 2) / 153)
  const day = dayOfYear - Math.floor((153 * shifted + 2) / 5) + 1
  const month = shifted < 10 ? shifted + 3 : shifted - 9
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  return [year, month, day]
}

export function parseDate(text: string): DateValue | null {
  const match = DATE_TEXT.exec(text)
  if (!match) return null
  const [year, month, day] = match.slice(1).map(Number)
  return validDay(year, month, day) ? new DateValue(daysFromCivil(year, month, day)) : null
}

export function parseDateTime(text: string): DateTimeValue | null {
  const match = DATETIME_TEXT.exec(text)
  if (!match) return null
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number)
  const second = Number(match[6] ?? '0')
  const micros = Number((match[7] ?? '').padEnd(6, '0'))
  if (!validDay(year, month, day) || hour > 23 || minute > 59 || second > 59) return null
  const inDay = ((hour * 60 + minute) * 60 + second) * 1_000_000 + micros
  return new DateTimeValue(daysFromCivil(year, month, day), inDay)
}
