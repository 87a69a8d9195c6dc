/**
 * Deleting a connector, an inbound webhook or an ERP sync from its list: first a confirmation
 * that says what will happen, then the server decides. A connector that a rule, a flow or a
 * sync still uses is refused, and the refusal (which names them) is shown until dismissed.
 * The history stays on the server: the delivery log, the webhook's receipts, the sync's runs.
 * The calls themselves are in '@/api/connectors' (connectorsApi, inboundApi, syncsApi: remove).
 */
import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessageBox } from 'element-plus'
import { ApiError } from '@/api/errors'
import { useNotify } from '@/composables/useNotify'

export function useDeletion() {
  const { t } = useI18n()
  const notify = useNotify()
  /** The id being deleted, for the button's spinner. */
  const deleting = ref<number | null>(null)

  /** Resolves true once deleted; false when the user cancels or the server refuses. */
  async function remove(id: number, question: string, call: (id: number) => Promise<unknown>): Promise<boolean> {
    if (!(await notify.confirm(question))) return false
    deleting.value = id
    try {
      await call(id)
      notify.success(t('common.deleted'))
      return true
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        await ElMessageBox.alert(err.message, t('connectorList.inUse'), { type: 'warning', confirmButtonText: t('common.close') }).catch(() => undefined)
      } else {
        notify.error(err)
      }
      return false
    } finally {
      deleting.value = null
    }
  }

  return { deleting, remove }
}
