import { expect, test } from './tenant'

test.describe('mobile app', () => {
  test('sign in, see the to-dos and the Me tab, switch language, sign out', async ({ page, admin }) => {
    await page.goto('/m/')
    await expect(page).toHaveURL(/\/m\/login/)
    await page.getByTestId('m-login-username').locator('input').fill(admin.username)
    await page.getByTestId('m-login-password').locator('input').fill(admin.password)
    await page.getByTestId('m-login-submit').click()

    await expect(page).toHaveURL(/\/m\/todos$/)
    await expect(page.getByTestId('m-todos')).toContainText('暂无待办')

    await page.getByTestId('m-tab-me').click()
    await expect(page).toHaveURL(/\/m\/me$/)
    await expect(page.getByTestId('m-me-name')).not.toBeEmpty()
    await expect(page.getByTestId('m-me-tenant')).not.toBeEmpty()

    await page.getByTestId('m-locale-en').click()
    await expect(page.getByTestId('m-tab-todos')).toContainText('To-dos')
    await page.getByTestId('m-locale-zh-CN').click()
    await expect(page.getByTestId('m-tab-todos')).toContainText('待办')

    await page.getByTestId('m-logout').click()
    await page.locator('.van-dialog__confirm').click()
    await expect(page).toHaveURL(/\/m\/login/)
  })

  test('a wrong password shows an error', async ({ page, admin }) => {
    await page.goto('/m/login')
    await page.getByTestId('m-login-username').locator('input').fill(admin.username)
    await page.getByTestId('m-login-password').locator('input').fill('wrong-password')
    await page.getByTestId('m-login-submit').click()
    await expect(page.getByTestId('m-login-error')).toBeVisible()
    await expect(page).toHaveURL(/\/m\/login/)
  })
})
