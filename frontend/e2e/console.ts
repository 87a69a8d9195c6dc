/** Shared steps for the console tests: sign in, reach a menu entry on any screen size. */
import { expect, type Page, type TestInfo } from '@playwright/test'

export const ADMIN = { username: 'admin', password: 'admin-pass-123' }

/** A name no earlier run has used, so reruns against a kept database still pass. */
export function uniqueName(prefix: string, info: TestInfo): string {
  return `${prefix}-${info.project.name}-${Date.now().toString(36)}`
}

export function isPhone(info: TestInfo): boolean {
  return info.project.name === 'phone'
}

export async function login(page: Page, username = ADMIN.username, password = ADMIN.password): Promise<void> {
  await page.goto('/login')
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('user-menu')).toBeVisible()
}

/** Opens the drawer menu first on a phone, where the sidebar is hidden. */
export async function openMenuEntry(page: Page, info: TestInfo, testId: string): Promise<void> {
  if (isPhone(info)) {
    await page.getByTestId('menu-toggle').click()
  }
  const entry = page.getByTestId(testId)
  await expect(entry).toBeVisible()
  await entry.click()
}

export async function chooseLocale(page: Page, code: 'zh-CN' | 'en'): Promise<void> {
  await page.getByTestId('locale-switch').click()
  await page.getByTestId(`locale-option-${code}`).click()
}
