/**
 * Element Plus's message and confirm box for unit tests in Node, where there is no page to
 * draw them on: they record what the user would be told, and the confirm box gives the
 * answer a test chose. Use with `vi.mock('element-plus', () => import('@/testing/elementPlusFeedback'))`.
 */
export interface Told {
  kind: 'success' | 'error' | 'warning' | 'info' | 'confirm'
  message: string
}

export const told: Told[] = []
let confirms = true

/** What the user answers to the next confirm boxes: yes (true) or cancel (false). */
export function answerConfirm(yes: boolean): void {
  confirms = yes
}

export function resetFeedback(): void {
  told.length = 0
  confirms = true
}

const say = (kind: Told['kind']) => (message: string) => {
  told.push({ kind, message })
  return { close: () => undefined }
}

export const ElMessage = { success: say('success'), error: say('error'), warning: say('warning'), info: say('info') }

export const ElMessageBox = {
  async confirm(message: string): Promise<'confirm'> {
    told.push({ kind: 'confirm', message })
    if (!confirms) throw 'cancel'
    return 'confirm'
  },
}
