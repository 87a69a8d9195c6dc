/**
 * Deleting a connector, an inbound webhook or an ERP sync from its list: first a confirmation
 * that says what will happen, then the server decides. A connector that a rule, a flow or a
 * sync still uses is refused, and the refusal (which names them) is shown until dismissed.
 * The history stays on the server: the delivery log, the webhook's receipts, the sync's runs.
 * The success message offers to undo: the server brings the row back under its key, switched
 * off (see ./undo for what is said then). The calls themselves are in '@/api/connectors'
 * (connectorsApi, inboundApi, syncsApi: remove, restore).
 */
import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage, ElMessageBox } from 'element-plus'
import type { Restored } from '@/api/connectors'
import { ApiError } from '@/api/errors'
import { useNotify } from '@/composables/useNotify'
import { restoredNotice, undoRefusal } from './undo'

/** The calls of a list whose rows can be deleted and brought back. */
export interface Deletable {
  remove: (id: number) => Promise<unknown>
  restore: (id: number) => Promise<Restored>
}

export function useDeletion() {
  const { t } = useI18n()
  const notify = useNotify()
  /** The id being deleted, for the button's spinner. */
  const deleting = ref<number | null>(null)

  async function undo(id: number, api: Deletable, reload: () => unknown): Promise<void> {
    try {
      const notice = restoredNotice(await api.restore(id))
      notify.success(t(notice.key, notice.values))
    } catch (err) {
      const refusal = undoRefusal(err)
      if (refusal) ElMessage.warning(t(refusal))
      else notify.error(err)
    }
    await reload()
  }

  /** Resolves true once deleted (and the list reloaded); false when the user cancels or the server refuses. */
  async function remove(id: number, question: string, api: Deletable, reload: () => unknown): Promise<boolean> {
    if (!(await notify.confirm(question))) return false
    deleting.value = id
    try {
      await api.remove(id)
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
    notify.successWithAction(t('common.deleted'), t('connectorUndo.action'), () => void undo(id, api, reload), 'deletion-undo')
    await reload()
    return true
  }

  return { deleting, remove }
}
