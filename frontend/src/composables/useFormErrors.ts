/**
 * Server field errors for one form: `errors[field]` feeds an el-form-item `error` prop
 * (or a van-field `error-message`), so the user sees which field the server refused.
 */
import { reactive } from 'vue'
import { ApiError, fieldErrorMessages } from '@/api/errors'

export function useFormErrors() {
  const errors = reactive<Record<string, string>>({})

  function clear(): void {
    for (const key of Object.keys(errors)) delete errors[key]
  }

  /** Shows the field errors carried by `err`; returns the ApiError, if it was one. */
  function apply(err: unknown): ApiError | null {
    clear()
    if (!(err instanceof ApiError)) return null
    Object.assign(errors, fieldErrorMessages(err.fieldErrors))
    return err
  }

  function set(field: string, message: string): void {
    errors[field] = message
  }

  return { errors, clear, apply, set }
}
