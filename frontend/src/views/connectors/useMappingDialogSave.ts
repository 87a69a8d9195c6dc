/**
 * What the inbound hook and scheduled pull dialogs share around saving: the errors of their
 * own fields (above the mapping), the key and name checks, the label they send, and the end
 * of saving — say so, close and hand the saved item on, or put the server's errors beside
 * the fields they belong to. The dialogs keep their own fields and request bodies.
 */
import { reactive, ref, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { ApiError } from '@/api/errors'
import type { MappingForm } from '@/connectors/useMappingForm'
import { useNotify } from '@/composables/useNotify'

const KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/

/** The fields every such dialog starts with. */
export interface DialogHead {
  key: string
  zh: string
  en: string
}

export function useMappingDialogSave<T>(options: {
  open: Ref<boolean>
  mapping: MappingForm
  /** Fields of the dialog's own whose server errors are shown beside them. */
  headFields: readonly string[]
  saved: (item: T) => void
}) {
  const { t } = useI18n()
  const notify = useNotify()
  const saving = ref(false)
  const errors = reactive<Record<string, string>>({})

  function clearErrors() {
    for (const key of Object.keys(errors)) delete errors[key]
    options.mapping.clearErrors()
  }

  /** Clears every error, then checks the key (only a new item has one to type) and the name. */
  function checkHead(head: DialogHead, isEdit: boolean) {
    clearErrors()
    if (!isEdit && !KEY_PATTERN.test(head.key)) errors.key = head.key ? t('connectorForm.keyInvalid') : t('errors.required')
    if (!head.zh.trim()) errors['label.zh'] = t('errors.required')
  }

  function label(head: DialogHead): { zh: string; en?: string } {
    const value: { zh: string; en?: string } = { zh: head.zh.trim() }
    if (head.en.trim()) value.en = head.en.trim()
    return value
  }

  /** The browser's checks failed: the fields say why. */
  function invalid() {
    ElMessage.error(t('connectorForm.checkFields'))
  }

  /**
   * Saves through `call`. On failure `placeErrors` (if given) first shows the errors of the
   * dialog's other parts and returns the messages already shown, which the mapping skips.
   */
  async function submit(call: () => Promise<T>, placeErrors?: (err: unknown) => readonly string[]) {
    saving.value = true
    try {
      const item = await call()
      notify.success(t('common.saved'))
      options.open.value = false
      options.saved(item)
    } catch (err) {
      const shown = placeErrors?.(err)
      if (err instanceof ApiError) {
        options.mapping.applyServer(err.fieldErrors, shown)
        for (const field of options.headFields) {
          if (err.fieldErrors[field]) errors[field] = err.fieldErrors[field].join(' ')
        }
      }
      notify.error(err)
    } finally {
      saving.value = false
    }
  }

  return { saving, errors, clearErrors, checkHead, label, invalid, submit }
}
