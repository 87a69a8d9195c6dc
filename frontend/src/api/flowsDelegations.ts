/** Out-of-office delegations: while I am away, my new flow tasks go to someone else. */
import { http } from './http'
import type { ItemList } from './types'

export interface FlowDelegation {
  id: number
  user_id: number
  user_name: string
  delegate_id: number
  delegate_name: string
  /** One flow; null: every flow. */
  definition_id: number | null
  /** Whole days (YYYY-MM-DD) in the tenant's time zone. */
  starts_on: string
  ends_on: string
  reason: string
  cancelled: boolean
  created_at: string
}

export interface FlowDelegationInput {
  delegate_id: number
  starts_on: string
  ends_on: string
  definition_id?: number | null
  reason?: string
}

export const delegationsApi = {
  /** My delegations and those that name me as the delegate, newest first. */
  list: () => http.get<ItemList<FlowDelegation>>('/flow-delegations'),
  create: (input: FlowDelegationInput) => http.post<FlowDelegation>('/flow-delegations', input),
  /** Ends one of my delegations now. */
  revoke: (id: number) => http.delete<FlowDelegation>(`/flow-delegations/${id}`),
}
