import { describe, expect, it } from 'vitest'
import type { Delivery } from '@/api/connectors'
import { TEST_ACTION, canReplay, isTest } from './testDeliveries'

function delivery(action: string, status: Delivery['status']): Delivery {
  return {
    id: 1,
    connector_id: 2,
    connector_key: 'erp',
    connector_label: { zh: 'ERP' },
    connector_deleted: false,
    action,
    test: action === TEST_ACTION,
    inputs: {},
    idempotency_key: 'k',
    status,
    attempts: 1,
    max_attempts: 1,
    last_error: null,
    response_status: null,
    response_excerpt: null,
    latency_ms: null,
    next_attempt_at: null,
    created_at: '2026-11-26T09:00:00Z',
    finished_at: null,
  }
}

describe('connection tests in the delivery log', () => {
  it('are told apart from other deliveries by their action', () => {
    expect(isTest(delivery(TEST_ACTION, 'succeeded'))).toBe(true)
    expect(isTest(delivery('send_text', 'succeeded'))).toBe(false)
  })

  it('are tested again rather than replayed; other dead letters are replayed', () => {
    expect(canReplay(delivery(TEST_ACTION, 'dead'))).toBe(false)
    expect(canReplay(delivery('send_text', 'dead'))).toBe(true)
    expect(canReplay(delivery('send_text', 'retrying'))).toBe(false)
  })
})
