import { expect, test } from './tenant'
import { login, openMenuEntry, uniqueName } from './console'

test('an administrator creates a department and a user in it', async ({ page, admin }, info) => {
  const department = uniqueName('Dept', info)
  const username = uniqueName('user', info).toLowerCase()
  const displayName = `Clerk ${department}`

  await login(page, admin)
  await openMenuEntry(page, info, 'menu-admin-departments')
  await expect(page).toHaveURL(/\/admin\/departments$/)

  await page.getByTestId('department-create').click()
  const deptDialog = page.getByTestId('department-dialog')
  await deptDialog.getByTestId('department-form-name').fill(department)
  await deptDialog.getByTestId('department-dialog-save').click()
  await expect(deptDialog).toBeHidden()
  await expect(page.getByTestId(`department-node-${department}`)).toBeVisible()

  await openMenuEntry(page, info, 'menu-admin-users')
  await expect(page).toHaveURL(/\/admin\/users$/)
  await page.getByTestId('user-create').click()
  const userDialog = page.getByTestId('user-dialog')
  await userDialog.getByTestId('user-form-username').fill(username)
  await userDialog.getByTestId('user-form-display-name').fill(displayName)
  await userDialog.getByTestId('user-form-password').fill('clerk-pass-123')
  await userDialog.locator('[data-testid="user-form-department"]').first().click()
  await page.locator('.gs-user-department-popper').getByText(department, { exact: true }).click()
  await userDialog.getByTestId('user-dialog-save').click()
  await expect(userDialog).toBeHidden()

  await page.getByTestId('users-search').fill(username)
  await page.getByTestId('users-search-button').click()
  const row = page.getByTestId('users-table').locator('tr', { hasText: username })
  await expect(row).toBeVisible()
  await expect(row).toContainText(department)
  await expect(row).toContainText(displayName)
})

test('a department that still has users cannot be deleted, and the reason is shown', async ({ page, admin }, info) => {
  const department = uniqueName('Busy', info)
  const username = uniqueName('member', info).toLowerCase()

  await login(page, admin)
  await page.goto('/admin/departments')
  await page.getByTestId('department-create').click()
  await page.getByTestId('department-form-name').fill(department)
  await page.getByTestId('department-dialog-save').click()
  await expect(page.getByTestId(`department-node-${department}`)).toBeVisible()

  await page.goto('/admin/users')
  await page.getByTestId('user-create').click()
  await page.getByTestId('user-form-username').fill(username)
  await page.getByTestId('user-form-display-name').fill('Member')
  await page.getByTestId('user-form-password').fill('member-pass-123')
  await page.locator('[data-testid="user-form-department"]').first().click()
  await page.locator('.gs-user-department-popper').getByText(department, { exact: true }).click()
  await page.getByTestId('user-dialog-save').click()
  await expect(page.getByTestId('user-dialog')).toBeHidden()

  await page.goto('/admin/departments')
  await page.getByTestId(`department-delete-${department}`).click()
  await page.locator('.el-message-box__btns .el-button--danger').click()
  await expect(page.locator('.el-message--error')).toBeVisible()
  await expect(page.getByTestId(`department-node-${department}`)).toBeVisible()
})

test('an API token is shown once and can be revoked', async ({ page, admin }, info) => {
  const name = uniqueName('token', info)
  await login(page, admin)
  await openMenuEntry(page, info, 'menu-admin-tokens')
  await page.getByTestId('token-create').click()
  await page.getByTestId('token-form-name').fill(name)
  await page.getByTestId('token-dialog-save').click()
  await expect(page.getByTestId('token-secret')).not.toBeEmpty()
  await page.getByTestId('token-secret-close').click()
  await expect(page.getByTestId('token-secret-dialog')).toBeHidden()

  const row = page.getByTestId('tokens-table').locator('tr', { hasText: name })
  await expect(row).toBeVisible()
  await page.getByTestId(`token-revoke-${name}`).click()
  await page.locator('.el-message-box__btns .el-button--danger').click()
  await expect(page.getByTestId(`token-revoke-${name}`)).toBeDisabled()
})


test("the server's field error is shown beside the field it concerns", async ({ page, admin }) => {
  await login(page, admin)
  await page.goto('/admin/users')
  await page.getByTestId('user-create').click()
  const dialog = page.getByTestId('user-dialog')
  await dialog.getByTestId('user-form-username').fill(admin.username)
  await dialog.getByTestId('user-form-display-name').fill('Second admin')
  await dialog.getByTestId('user-form-password').fill('another-pass-123')
  await dialog.getByTestId('user-dialog-save').click()
  const usernameItem = dialog.locator('.el-form-item', { has: page.getByTestId('user-form-username') })
  await expect(usernameItem.locator('.el-form-item__error')).toBeVisible()
  await expect(dialog).toBeVisible()
})
