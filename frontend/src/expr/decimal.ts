/**
 * Exact decimal numbers for the condition language, on BigInt: a value is units / 10^scale.
 * Mirrors Python's Decimal as the server uses it, so + − × are exact, ÷ keeps 10 places and
 * rounding is half away from zero. Never uses floating point for arithmetic.
 */

const TEN = 10n

function power(exponent: number): bigint {
  return TEN ** BigInt(exponent)
}

function sign(value: bigint): -1 | 0 | 1 {
  return value < 0n ? -1 : value > 0n ? 1 : 0
}

/** units / divisor rounded half away from zero. */
function divideRounded(units: bigint, divisor: bigint): bigint {
  const quotient = units / divisor
  const remainder = units % divisor
  const twice = 2n * (remainder < 0n ? -remainder : remainder)
  const magnitude = divisor < 0n ? -divisor : divisor
  if (twice < magnitude) return quotient
  return quotient + BigInt(sign(units) * sign(divisor))
}

const NUMBER_TEXT = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/
const LARGEST_EXPONENT = 1000

export class Decimal {
  constructor(
    readonly units: bigint,
    readonly scale: number,
  ) {}

  /** Decimal text such as "-12.3456" or "1e-7"; null when it is not a finite number. */
  static parse(text: string): Decimal | null {
    const match = NUMBER_TEXT.exec(text.trim())
    if (!match) return null
    const [, minus, whole, fraction = '', exponentText = '0'] = match
    if (!whole && !fraction) return null
    const exponent = Number(exponentText)
    if (Math.abs(exponent) > LARGEST_EXPONENT) return null
    let units = BigInt((whole || '0') + fraction)
    let scale = fraction.length - exponent
    if (scale < 0) {
      units *= power(-scale)
      scale = 0
    }
    return new Decimal(minus === '-' ? -units : units, scale)
  }

  static fromInteger(value: bigint): Decimal {
    return new Decimal(value, 0)
  }

  /** A JSON number as a decimal, read through its shortest text like Python's repr(). */
  static fromNumber(value: number): Decimal | null {
    return Number.isFinite(value) ? Decimal.parse(String(value)) : null
  }

  private aligned(other: Decimal): [bigint, bigint, number] {
    const scale = Math.max(this.scale, other.scale)
    return [this.units * power(scale - this.scale), other.units * power(scale - other.scale), scale]
  }

  add(other: Decimal): Decimal {
    const [a, b, scale] = this.aligned(other)
    return new Decimal(a + b, scale)
  }

  sub(other: Decimal): Decimal {
    const [a, b, scale] = this.aligned(other)
    return new Decimal(a - b, scale)
  }

  mul(other: Decimal): Decimal {
    return new Decimal(this.units * other.units, this.scale + other.scale)
  }

  /** this ÷ other with `places` fractional digits; null when other is zero. */
  div(other: Decimal, places: number): Decimal | null {
    if (other.units === 0n) return null
    const numerator = this.units * power(other.scale + places)
    const denominator = other.units * power(this.scale)
    return new Decimal(divideRounded(numerator, denominator), places)
  }

  /** Rounded half away from zero to `places` fractional digits. */
  round(places: number): Decimal {
    if (this.scale <= places) return this
    return new Decimal(divideRounded(this.units, power(this.scale - places)), places)
  }

  compare(other: Decimal): -1 | 0 | 1 {
    const [a, b] = this.aligned(other)
    return sign(a - b)
  }

  toString(): string {
    const digits = (this.units < 0n ? -this.units : this.units).toString().padStart(this.scale + 1, '0')
    const whole = digits.slice(0, digits.length - this.scale)
    const fraction = this.scale ? '.' + digits.slice(digits.length - this.scale) : ''
    return (this.units < 0n ? '-' : '') + whole + fraction
  }

  toNumber(): number {
    return Number(this.toString())
  }
}
