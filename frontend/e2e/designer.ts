/** Steps in the form designer and the Element Plus widgets the form tests use. */
import { expect, type Locator, type Page } from '@playwright/test'

/** Drags with the mouse in small steps, as SortableJS (fallback mode) needs to follow it. */
export async function dragTo(page: Page, source: Locator, target: Locator): Promise<void> {
  await source.hover() // waits until nothing (a closing dialog, a loading mask) covers it
  await target.hover()
  await source.hover()
  const from = await source.boundingBox()
  const to = await target.boundingBox()
  if (!from || !to) throw new Error('drag source or target is not visible')
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
  await page.mouse.down()
  await page.mouse.move(from.x + from.width / 2 + 8, from.y + from.height / 2 + 8, { steps: 4 })
  await page.mouse.move(to.x + to.width / 2, to.y + to.height - 12, { steps: 20 })
  await page.mouse.up()
}

/**
 * Drags a field type from the palette to the end of the canvas and names it; the new field is
 * selected. A key of '' is left to the server, which makes it from the label on saving.
 */
export async function dropField(page: Page, type: string, key: string, label: string): Promise<void> {
  const fields = page.locator('[data-testid^="canvas-field-"][data-uid]')
  const before = await fields.count()
  await dragTo(page, page.getByTestId(`palette-${type}`), page.getByTestId('designer-canvas-list'))
  await expect(fields).toHaveCount(before + 1)
  if (key) await fillKey(page, 'prop-key', key)
  await textBox(page.getByTestId('prop-label-zh')).fill(label)
  if (key) await expect(page.getByTestId(`canvas-field-${key}`)).toBeVisible()
  else await expect(fields.nth(before).getByTestId('canvas-field-label')).toHaveText(label)
}

/** Types a key under its "Advanced" fold (without one the server makes it from the name). */
export async function fillKey(scope: Page | Locator, testid: string, key: string): Promise<void> {
  const input = textBox(scope.getByTestId(testid))
  if (!(await input.isVisible())) await scope.getByTestId(`${testid}-advanced`).locator('.el-collapse-item__header').click()
  await input.fill(key)
}

/** The text box of an input widget: el-input puts the test id on the <input> itself, others on a wrapper. */
export function textBox(widget: Locator): Locator {
  return widget.locator('xpath=self::input | self::textarea | .//input | .//textarea').first()
}

/** Opens an el-select and picks the option with this data-testid. */
export async function choose(page: Page, select: Locator, optionTestId: string): Promise<void> {
  await select.click()
  const option = page.locator(`.el-select-dropdown__item[data-testid="${optionTestId}"]:visible`)
  await option.click()
}
