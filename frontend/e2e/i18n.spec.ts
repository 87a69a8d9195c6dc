import { expect, test } from './tenant'
import { chooseLocale, isPhone, login } from './console'

test('switching the language changes the console labels and is remembered', async ({ page, admin }, info) => {
  await page.goto('/login')
  await expect(page.getByTestId('login-submit')).toHaveText('登录')
  await chooseLocale(page, 'en')
  await expect(page.getByTestId('login-submit')).toHaveText('Sign in')
  await chooseLocale(page, 'zh-CN')

  await login(page, admin)
  if (isPhone(info)) await page.getByTestId('menu-toggle').click()
  const usersEntry = page.getByTestId('menu-admin-users')
  await expect(usersEntry).toHaveText('用户')
  if (isPhone(info)) await page.keyboard.press('Escape')

  await chooseLocale(page, 'en')
  if (isPhone(info)) await page.getByTestId('menu-toggle').click()
  await expect(usersEntry).toHaveText('Users')

  await page.reload()
  if (isPhone(info)) await page.getByTestId('menu-toggle').click()
  await expect(page.getByTestId('menu-admin-users')).toHaveText('Users')
})
