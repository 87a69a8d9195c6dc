/** Shared steps for the console tests: sign in, reach a menu entry on any screen size. */
import { expect, type Page, type TestInfo } from '@playwright/test'

/** Whoever signs in: a test's own administrator (tenant.ts) or a user it made. */
export interface Credentials {
  username: string
  password: string
}

/** A name no earlier run has used, so reruns against a kept database still pass. */
export function uniqueName(prefix: string, info: TestInfo): string {
  return `${prefix}-${info.project.name}-${Date.now().toString(36)}`
}

export function isPhone(info: TestInfo): boolean {
  return info.project.name === 'phone'
}

export async function login(page: Page, user: Credentials): Promise<void> {
  await page.goto('/login')
  await page.getByTestId('login-username').fill(user.username)
  await page.getByTestId('login-password').fill(user.password)
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
