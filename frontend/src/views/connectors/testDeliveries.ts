/** Deliveries made by "test connection": shown as tests in the log, tried again by testing, never replayed. */
import type { Delivery } from '@/api/connectors'

/** The action the server gives a connection test's delivery. */
export const TEST_ACTION = 'test_connection'

export function isTest(delivery: Delivery): boolean {
  return delivery.action === TEST_ACTION
}

export function canReplay(delivery: Delivery): boolean {
  return delivery.status === 'dead' && !isTest(delivery)
}
