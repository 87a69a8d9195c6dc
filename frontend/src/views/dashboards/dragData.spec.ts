import { expect, it } from 'vitest'
import { dragText, readDrag, type Dragged } from './dragData'
import { newKey } from './keys'

it.each<Dragged>([{ kind: 'field', path: 'sku.category' }, { kind: 'level', rule: 'near_expiry' }, { kind: 'count' }])('carries %j through a drag', (item) => {
  expect(readDrag(dragText(item))).toEqual(item)
})

it('ignores drags from elsewhere', () => {
  expect(readDrag('https://example.com')).toBeNull()
  expect(readDrag('field:')).toBeNull()
  expect(readDrag(undefined)).toBeNull()
})

it('makes keys the server accepts (lower case, starting with a letter, at most 40 characters)', () => {
  const key = newKey('dashboard', Date.UTC(2030, 0, 1), 0.999)
  expect(key).toMatch(/^[a-z][a-z0-9_]{0,39}$/)
  expect(newKey('chart', 1, 0)).not.toBe(newKey('chart', 2, 0))
})
