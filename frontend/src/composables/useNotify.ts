/** Console feedback for API calls: the server's message in an ElMessage, translated fallbacks. */
import { ElMessage, ElMessageBox } from 'element-plus'
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

  return { error, success, confirm }
}
