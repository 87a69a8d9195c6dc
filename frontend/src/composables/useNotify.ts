/** Console feedback for API calls: the server's message in an ElMessage, translated fallbacks. */
import { h } from 'vue'
import { ElButton, ElMessage, ElMessageBox } from 'element-plus'
import { useI18n } from 'vue-i18n'
import { ApiError } from '@/api/errors'

export function useNotify() {
  const { t } = useI18n()

  function error(err: unknown): void {
    if (err instanceof ApiError && err.status === 401) return // already sent to the login page
    if (err instanceof ApiError && err.status === 403 && !err.message) {
      ElMessage.error(t('errors.forbidden'))
      return
    }
    ElMessage.error(err instanceof ApiError ? err.message : t('errors.network'))
  }

  function success(message: string): void {
    ElMessage.success(message)
  }

  /** A success message with one button (e.g. undo), shown long enough to reach it; a click closes it. */
  function successWithAction(message: string, actionText: string, action: () => void, testId?: string): void {
    const button = h(ElButton, { link: true, type: 'primary', 'data-testid': testId, onClick: () => (shown.close(), action()) }, () => actionText)
    const shown = ElMessage.success({ message: h('span', [message, ' ', button]), duration: 8000, showClose: true })
  }

  /** Resolves true when the user confirms, false when they cancel. */
  async function confirm(message: string, danger = true): Promise<boolean> {
    try {
      await ElMessageBox.confirm(message, t('common.confirmTitle'), {
        confirmButtonText: t('common.confirm'),
        cancelButtonText: t('common.cancel'),
        type: danger ? 'warning' : 'info',
        confirmButtonClass: danger ? 'el-button--danger' : undefined,
      })
      return true
    } catch {
      return false
    }
  }

  /**
   * Asks `question`; on yes runs `action` and shows `done`, or the error it met. Resolves
   * true once the action has succeeded (the caller then reloads what it changed).
   */
  async function confirmThen(question: string, action: () => Promise<unknown>, done: string): Promise<boolean> {
    if (!(await confirm(question))) return false
    try {
      await action()
      success(done)
      return true
    } catch (err) {
      error(err)
      return false
    }
  }

  return { error, success, successWithAction, confirm, confirmThen }
}
