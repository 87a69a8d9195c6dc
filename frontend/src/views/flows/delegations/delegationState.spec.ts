import { describe, expect, it } from 'vitest'
import type { FlowDelegation } from '@/api/flowsDelegations'
import { canRevoke, delegateName, delegationState, todayIn } from './delegationState'

function delegation(starts_on: string, ends_on: string, extra: Partial<FlowDelegation> = {}): FlowDelegation {
  return {
    id: 1,
    user_id: 7,
    user_name: 'Me',
    delegate_id: 8,
    delegate_name: 'Colleague',
    definition_id: null,
    starts_on,
    ends_on,
    reason: '',
    cancelled: false,
    created_at: '2026-05-01T08:00:00Z',
    ...extra,
  }
}

describe('a delegation on a given day', () => {
  it.each([
    ['2026-05-01', '2026-05-03', '2026-05-01', 'active'],
    ['2026-05-01', '2026-05-03', '2026-05-03', 'active'],
    ['2026-05-02', '2026-05-03', '2026-05-01', 'upcoming'],
    ['2026-04-01', '2026-04-30', '2026-05-01', 'ended'],
  ])('from %s to %s on %s is %s', (starts, ends, today, state) => {
    expect(delegationState(delegation(starts, ends), today)).toBe(state)
  })

  it('is cancelled once revoked, whatever the days', () => {
    expect(delegationState(delegation('2026-05-01', '2026-05-03', { cancelled: true }), '2026-05-02')).toBe('cancelled')
  })

  it('can be revoked only by the one who set it, until it ends', () => {
    const mine = delegation('2026-05-01', '2026-05-03')
    expect(canRevoke(mine, 7, '2026-05-02')).toBe(true)
    expect(canRevoke(mine, 7, '2026-04-20')).toBe(true)
    expect(canRevoke(mine, 8, '2026-05-02')).toBe(false)
    expect(canRevoke(mine, 7, '2026-05-04')).toBe(false)
    expect(canRevoke({ ...mine, cancelled: true }, 7, '2026-05-02')).toBe(false)
  })

  it('names its delegate, or #id when the delegate has no name', () => {
    expect(delegateName(delegation('2026-05-01', '2026-05-03'))).toBe('Colleague')
    expect(delegateName(delegation('2026-05-01', '2026-05-03', { delegate_name: '' }))).toBe('#8')
  })
})

describe('today in the tenant time zone', () => {
  const lateUtc = new Date('2026-05-01T20:30:00Z')

  it('follows the zone across midnight', () => {
    expect(todayIn('UTC', lateUtc)).toBe('2026-05-01')
    expect(todayIn('Asia/Shanghai', lateUtc)).toBe('2026-05-02')
  })

  it('falls back to the browser zone for an unknown zone name', () => {
    expect(todayIn('Not/AZone', lateUtc)).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })
})
