/** The choices the designers offer for a node: approval modes, empty-approver policies, actions, buttons, delays. */

/** any = or-sign, all = countersign, ratio = countersign by share, sequential = one after another. */
export const APPROVAL_MODES = ['any', 'all', 'sequential', 'ratio'] as const
/** When nobody is found; `user` stands for "user:<id>" (a named person). */
export const EMPTY_POLICIES = ['refuse', 'auto_approve', 'auto_reject', 'admins'] as const
/** When the initiator is among the approvers. */
export const SELF_POLICIES = ['approve', 'skip', 'dept_head'] as const
export const SERVICE_ACTIONS = ['notify', 'record.create', 'record.update', 'stock.allocate', 'connector.call', 'flow.start'] as const
/** The actions an approver can be offered besides approve (all of them unless the node says otherwise). */
export const TASK_BUTTONS = ['reject', 'return', 'transfer', 'add_signer', 'delegate', 'cc'] as const
export const TIMEOUT_ACTIONS = ['remind', 'escalate', 'auto_approve', 'auto_reject'] as const

/** `P2D` / `PT3H` / `PT30M` -> {amount, unit}; anything else reads as one day. */
export function durationParts(text: string | null | undefined): { amount: number; unit: string } {
  const match = /^P(?:(\d+)D|T(\d+)([HM]))$/.exec(text ?? '')
  if (!match) return { amount: 1, unit: 'D' }
  return match[1] ? { amount: Number(match[1]), unit: 'D' } : { amount: Number(match[2]), unit: match[3] }
}

export function durationText(amount: number, unit: string): string {
  const n = Math.max(1, Math.round(amount))
  return unit === 'D' ? `P${n}D` : `PT${n}${unit}`
}
