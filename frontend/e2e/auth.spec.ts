import { expect, test } from './tenant'
import { login } from './console'

test.describe('console sign-in', () => {
  test('an administrator signs in and lands in the console', async ({ page, admin }) => {
    await login(page, admin)
    await expect(page).toHaveURL(/\/apps$/)
    await expect(page.getByTestId('apps-page')).toBeVisible()
  })

  test('a wrong password shows an error and stays on the login page', async ({ page, admin }) => {
    await page.goto('/login')
    await page.getByTestId('login-username').fill(admin.username)
    await page.getByTestId('login-password').fill('not-the-password')
    await page.getByTestId('login-submit').click()
    await expect(page.getByTestId('login-error')).toBeVisible()
    await expect(page).toHaveURL(/\/login/)
  })

  test('signing out returns to the login page and protects the console', async ({ page, admin }) => {
    await login(page, admin)
    await page.getByTestId('user-menu').click()
    await page.getByTestId('logout').click()
    await expect(page).toHaveURL(/\/login/)
    await page.goto('/admin/users')
    await expect(page).toHaveURL(/\/login\?redirect=/)
    await expect(page.getByTestId('login-submit')).toBeVisible()
  })
})
