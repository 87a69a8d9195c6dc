/**
 * One flow task as its page needs it (console and phone): the task with its record, the bound
 * form's fields under the step's permissions, the instance's history, and deciding it with a
 * comment, a person (transfer, add-signer, delegate, CC) and attachments. A 409 (someone else
 * moved the flow first) reloads the task and says so through `conflict`.
 */
import { computed, reactive, ref } from 'vue'
import type { FieldMeta } from '@/api/formTypes'
import { ApiError } from '@/api/errors'
import { formsApi } from '@/api/forms'
import { flowTasksApi, instancesApi, type Decision, type FlowEvent, type FlowTaskDetail } from '@/api/flows'
import { editedValues, enabledActions, taskPermissions, visibleFields } from './taskView'

export interface DecisionDraft {
  comment: string
  userId: number | null
  position: 'before' | 'after'
  attachments: number[]
  /** return: the step to go back to ('' = the previous one). */
  toNode: string
}

export function useTaskPage(taskId: number) {
  const task = ref<FlowTaskDetail | null>(null)
  const fields = ref<FieldMeta[]>([])
  const events = ref<FlowEvent[]>([])
  const loading = ref(true)
  const acting = ref<string | null>(null)
  const conflict = ref(false)
  const values = reactive<Record<string, unknown>>({})
  const draft = reactive<DecisionDraft>({ comment: '', userId: null, position: 'before', attachments: [], toNode: '' })

  const returnTargets = ref<Array<{ node_id: string; node_name: string }>>([])
  const permissions = computed(() => taskPermissions(task.value))
  const shown = computed(() => visibleFields(fields.value, permissions.value))
  const actions = computed(() => enabledActions(task.value))

  async function load(): Promise<void> {
    loading.value = true
    try {
      const detail = await flowTasksApi.get(taskId)
      const [schema, instance] = await Promise.all([
        fields.value.length ? Promise.resolve(null) : formsApi.schema(detail.form_id as number),
        instancesApi.get(detail.instance_id).catch(() => null),
      ])
      if (schema) fields.value = schema.fields
      events.value = instance?.events ?? []
      task.value = detail
      returnTargets.value = enabledActions(detail).includes('return')
        ? ((await flowTasksApi.returnTargets(taskId).catch(() => null))?.items ?? [])
        : []
      for (const key of Object.keys(values)) delete values[key]
      Object.assign(values, detail.record ?? {})
    } finally {
      loading.value = false
    }
  }

  /** Sends a decision; resolves true when it was taken, false after a conflict (reloaded). */
  async function decide(action: string): Promise<boolean> {
    if (!task.value) return false
    acting.value = action
    conflict.value = false
    try {
      const body: Decision = { comment: draft.comment, row_version: task.value.instance_row_version }
      if (['transfer', 'add_signer', 'delegate'].includes(action) && draft.userId) body.user_id = draft.userId
      if (action === 'cc' && draft.userId) body.user_ids = [draft.userId]
      if (action === 'add_signer') body.position = draft.position
      if (action === 'return' && draft.toNode) body.to_node = draft.toNode
      if (draft.attachments.length) body.attachments = draft.attachments
      const edited = editedValues(fields.value, permissions.value, values)
      if (action === 'approve' && Object.keys(edited).length) {
        body.values = edited
        body.record_row_version = (task.value.record as { _row_version?: number })._row_version
      }
      task.value = await flowTasksApi.act(task.value.id, action, body)
      draft.comment = ''
      draft.userId = null
      draft.attachments = []
      draft.toNode = ''
      const instance = await instancesApi.get(task.value.instance_id).catch(() => null)
      if (instance) events.value = instance.events
      return true
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        conflict.value = true
        await load()
        return false
      }
      throw err
    } finally {
      acting.value = null
    }
  }

  return { task, fields, events, returnTargets, loading, acting, conflict, values, draft, permissions, shown, actions, load, decide }
}
