/** One-line texts the designers show on a node: who acts (with names), the mode, a condition in words. */
import type { Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { FieldMeta } from '@/api/formTypes'
import { fromExpression, operatorName } from '@/forms/conditions'
import { labelText } from '@/forms/labels'
import { fieldOptions } from '@/rules/fieldChoices'
import type { People } from '@/views/rules/usePeople'
import { parseAssignee } from './assignee'
import { durationParts } from './nodeOptions'
import type { FlowNode } from './tree'

export function useNodeText(fields: Ref<FieldMeta[]>, people: People) {
  const { t, locale } = useI18n()

  const fieldLabel = (key: string) => {
    const field = fields.value.find((f) => f.key === key)
    return field ? labelText(field.label, locale.value, key) : key
  }

  function assigneeText(text: string | undefined): string {
    return parseAssignee(text)
      .map((rule) => {
        const kind = t(`flowDesigner.kinds.${rule.kind}`)
        if (rule.kind === 'initiator') return kind
        if (rule.kind === 'dept_head') return `${kind}（${t('flowDesigner.levels', { n: rule.value || 1 })}）`
        if (rule.kind === 'user') return /^\d+$/.test(rule.value) ? people.userName(Number(rule.value)) : rule.value
        if (rule.kind === 'role') return people.roles.value.find((r) => r.code === rule.value)?.name ?? rule.value
        return fieldLabel(rule.value)
      })
      .join('、')
  }

  function summary(node: FlowNode): string {
    switch (node.type) {
      case 'initiator':
        return t('flowDesigner.allInitiators')
      case 'approver': {
        const who = assigneeText(node.assignee)
        return who && node.mode && node.mode !== 'any' ? `${who} · ${t(`flowDesigner.modes.${node.mode}`)}` : who
      }
      case 'cc':
        return assigneeText(node.assignee)
      case 'action':
        return node.action ? t(`flowDesigner.actions.${node.action.replace('.', '_')}`) : ''
      case 'delay': {
        const d = durationParts(node.duration)
        return `${d.amount} ${t(`flowDesigner.durationUnits.${d.unit}`)}`
      }
      default:
        return ''
    }
  }

  function conditionText(condition: unknown): string {
    if (condition === null || condition === undefined) return ''
    const group = fromExpression(condition as never)
    if (!group) return JSON.stringify(condition)
    const joiner = group.combinator === 'all' ? ' · ' : ' | '
    return group.rows
      .map((row) => {
        const field = fields.value.find((f) => f.key === row.field)
        const options = fieldOptions(field, locale.value)
        const shown = (v: unknown) => options.find((o) => o.value === String(v))?.label ?? String(v)
        const value = row.op === 'empty' || row.op === 'not_empty' ? '' : Array.isArray(row.value) ? row.value.map(shown).join('/') : shown(row.value)
        return `${fieldLabel(row.field)} ${t(`conditions.ops.${operatorName(row.op)}`)} ${value}`.trim()
      })
      .join(joiner)
  }

  return { summary, conditionText, assigneeText }
}
