import { expect, it } from 'vitest'
import { activeCount, filtersOf, lastDays, monthToDate, picksOf } from './filters'

it('sends only the filters that are set', () => {
  expect(filtersOf({ dates: null, warehouse: '', category: '' })).toEqual({})
  expect(filtersOf({ dates: ['2025-05-01', '2025-05-31'], warehouse: 'east', category: '' })).toEqual({
    date_from: '2025-05-01',
    date_to: '2025-05-31',
    equals: { warehouse: 'east' },
  })
})

it('reads saved defaults back into the filter bar', () => {
  const saved = { date_from: '2025-05-01', date_to: '2025-05-31', equals: { category: 'dairy' } }
  expect(picksOf(saved)).toEqual({ dates: ['2025-05-01', '2025-05-31'], warehouse: '', category: 'dairy' })
  expect(filtersOf(picksOf(saved))).toEqual(saved)
  expect(activeCount(picksOf(saved))).toBe(2)
  expect(picksOf(null)).toEqual({ dates: null, warehouse: '', category: '' })
})

it('keeps a related record\'s id a number and a choice a string, through a save and a reload', () => {
  const picks = { dates: null, warehouse: 12, category: '3' }
  const sent = filtersOf(picks)
  expect(sent).toEqual({ equals: { warehouse: 12, category: '3' } })
  const reloaded = picksOf(JSON.parse(JSON.stringify(sent)))
  expect(reloaded).toEqual(picks)
  expect(activeCount(reloaded)).toBe(2)
  expect(picksOf({ equals: { warehouse: ['east'] as unknown as string, category: 1.5 } })).toMatchObject({ warehouse: '', category: '' })
})

it('offers date ranges ending today', () => {
  const today = new Date(2025, 4, 20)
  expect(lastDays(7, today)).toEqual(['2025-05-14', '2025-05-20'])
  expect(monthToDate(today)).toEqual(['2025-05-01', '2025-05-20'])
})
