/** Where a delegation stands on a given day, who it names, and the day "today" in the tenant's time zone. */
import type { FlowDelegation } from '@/api/flowsDelegations'

export type DelegationState = 'active' | 'upcoming' | 'ended' | 'cancelled'

/** Days are YYYY-MM-DD strings, so they compare as text. */
export function delegationState(d: Pick<FlowDelegation, 'starts_on' | 'ends_on' | 'cancelled'>, today: string): DelegationState {
  if (d.cancelled) return 'cancelled'
  if (d.ends_on < today) return 'ended'
  if (d.starts_on > today) return 'upcoming'
  return 'active'
}

/** Only the person who set it may revoke it, and only while it has not ended. */
export function canRevoke(d: FlowDelegation, myId: number | undefined, today: string): boolean {
  const state = delegationState(d, today)
  return d.user_id === myId && (state === 'active' || state === 'upcoming')
}

/** The delegate as shown to people: the name, or #id when the user has none. */
export function delegateName(d: Pick<FlowDelegation, 'delegate_id' | 'delegate_name'>): string {
  return d.delegate_name || `#${d.delegate_id}`
}

/** Today as YYYY-MM-DD in ``timeZone`` (the browser's when none or unknown). */
export function todayIn(timeZone?: string, now: Date = new Date()): string {
  const format = (zone?: string) =>
    new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: zone }).format(now)
  try {
    return format(timeZone)
  } catch {
    return format(undefined)
  }
}
