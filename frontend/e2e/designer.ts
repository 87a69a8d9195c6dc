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

/** Drags a field type from the palette to the end of the canvas; the new field is selected. */
export async function dropField(page: Page, type: string, key: string, label: string): Promise<void> {
  const before = await page.locator('[data-testid^="canvas-field-"][data-uid]').count()
  await dragTo(page, page.getByTestId(`palette-${type}`), page.getByTestId('designer-canvas-list'))
  await expect(page.locator('[data-testid^="canvas-field-"][data-uid]')).toHaveCount(before + 1)
  await textBox(page.getByTestId('prop-key')).fill(key)
  await textBox(page.getByTestId('prop-label-zh')).fill(label)
  await expect(page.getByTestId(`canvas-field-${key}`)).toBeVisible()
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
