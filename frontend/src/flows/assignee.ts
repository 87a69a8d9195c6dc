/**
 * A task's assignment as the server reads it (flow_engine/assignment.py): rules separated by
 * spaces, each `user:<id>`, `role:<code>`, `dept_head` / `dept_head:<levels>`, `field:<key>`
 * or `initiator`. The designer edits a list of rules and writes the text back.
 */

export type AssigneeKind = 'user' | 'role' | 'dept_head' | 'field' | 'initiator'

export const ASSIGNEE_KINDS: AssigneeKind[] = ['user', 'role', 'dept_head', 'field', 'initiator']

export interface AssigneeRule {
  kind: AssigneeKind
  /** user id or username, role code, levels up (as text), or user field key; '' when none. */
  value: string
}

const PATTERN = /^(user|role|dept_head|field|initiator)(?::(.*))?$/

/** The rules of an assignment text; unreadable items are kept as they are, as a user rule. */
export function parseAssignee(text: string | null | undefined): AssigneeRule[] {
  return (text ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((item) => {
      const match = PATTERN.exec(item)
      if (!match) return { kind: 'user' as const, value: item }
      return { kind: match[1] as AssigneeKind, value: match[2] ?? '' }
    })
}

/** The assignment text of the rules; a rule that still lacks its value is left out. */
export function formatAssignee(rules: AssigneeRule[]): string {
  return rules
    .map((rule) => {
      const value = rule.value.trim()
      if (rule.kind === 'initiator') return 'initiator'
      if (rule.kind === 'dept_head') return value && value !== '1' ? `dept_head:${value}` : 'dept_head'
      return value ? `${rule.kind}:${value}` : ''
    })
    .filter(Boolean)
    .join(' ')
}

/** A rule with its default value, for the "add" button. */
export function newRule(kind: AssigneeKind): AssigneeRule {
  return { kind, value: kind === 'dept_head' ? '1' : '' }
}
