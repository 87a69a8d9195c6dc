/** How each status of an ERP sync run looks in lists. */
import type { SyncRunStatus } from '@/api/connectors'

export const RUN_TAGS: Record<SyncRunStatus, 'primary' | 'success' | 'warning' | 'danger'> = {
  running: 'primary',
  succeeded: 'success',
  partial: 'warning',
  failed: 'danger',
}
