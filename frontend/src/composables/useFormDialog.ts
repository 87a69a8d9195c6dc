/**
 * An el-form in a create / edit dialog: filled afresh each time the dialog opens, the
 * browser's checks, then a save that closes the dialog on success and, on a refusal, shows
 * the server's field errors beside the fields. What the form holds and which request saves
 * it stay with the dialog.
 */
import { ref, watch, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { FormItemRule } from 'element-plus'
import { useFormErrors } from './useFormErrors'
import { useNotify } from './useNotify'

/** What the dialog's form offers: an el-form, or FormDialog which wraps one. */
export interface CheckedForm {
  validate(): Promise<boolean>
  clearValidate(): void
}

/** `fill` puts the form's starting values in place each time `open` turns true. */
export function useFormDialog(open: Ref<boolean>, fill: () => void) {
  const { t } = useI18n()
  const notify = useNotify()
  const fieldErrors = useFormErrors()
  const formRef = ref<CheckedForm>()
  const saving = ref(false)

  watch(open, (visible) => {
    if (!visible) return
    fieldErrors.clear()
    fill()
    formRef.value?.clearValidate()
  })

  /** The el-form rules; false while a field breaks one (or before the form is drawn). */
  async function validate(): Promise<boolean> {
    return Boolean(await formRef.value?.validate().catch(() => false))
  }

  /**
   * Sends `request`. Accepted: shows `success` (when given), closes the dialog, then hands
   * the result to `saved`. Refused: the field errors and the server's message are shown.
   */
  async function submit<T>(request: () => Promise<T>, saved: (result: T) => void, success?: string): Promise<void> {
    saving.value = true
    fieldErrors.clear()
    try {
      const result = await request()
      if (success) notify.success(success)
      open.value = false
      saved(result)
    } catch (err) {
      fieldErrors.apply(err)
      notify.error(err)
    } finally {
      saving.value = false
    }
  }

  /** The rule of a field that must not be left empty. */
  const required = (): FormItemRule[] => [{ required: true, message: t('errors.required'), trigger: 'blur' }]

  return {
    formRef,
    saving,
    errors: fieldErrors.errors,
    setError: fieldErrors.set,
    clearErrors: fieldErrors.clear,
    validate,
    submit,
    required,
  }
}
