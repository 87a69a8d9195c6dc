import { describe, expect, it } from 'vitest'
import { DEFAULT_TEMPLATE, insertPlaceholder, placeholdersIn, renderTemplate, unknownPlaceholders } from '@/rules/placeholders'
import { bodyText, consoleLink, mobileLink, recordLinkIn } from '@/rules/links'
import { pivotGroups, splitChange } from '@/rules/levels'
import { daysLeftText } from '@/rules/numbers'

const values = { title: 'B-7', days_left: 4, quantity: 10, warehouse: '华东仓', category: null, level_name: '红牌' }

describe('message templates', () => {
  it('fills placeholders as the server does, spaces allowed, missing ones empty', () => {
    expect(renderTemplate('{{level_name}}: {{ title }} 剩 {{days_left}} 天 {{category}}{{nope}}', values)).toBe('红牌: B-7 剩 4 天 ')
    expect(renderTemplate(DEFAULT_TEMPLATE, values)).toBe('红牌: B-7 — 数量 10, 仓库 华东仓, 剩余 4 天')
  })

  it('inserts a chip at the caret, over a selection, or at the end', () => {
    expect(insertPlaceholder('Batch  left', 'title', 6)).toEqual({ text: 'Batch {{title}} left', caret: 15 })
    expect(insertPlaceholder('Batch XX', 'title', 6, 8)).toEqual({ text: 'Batch {{title}}', caret: 15 })
    expect(insertPlaceholder('Days: ', 'days_left')).toEqual({ text: 'Days: {{days_left}}', caret: 19 })
  })

  it('lists placeholders and flags the ones that would render empty', () => {
    expect(placeholdersIn('{{title}} {{ qty }}')).toEqual(['title', 'qty'])
    expect(unknownPlaceholders('{{title}} {{qty}} {{typo}} {{typo}}', ['qty'])).toEqual(['typo'])
  })
})

describe('alert helpers', () => {
  it('pivots preview groups into rows, busiest first', () => {
    const rows = pivotGroups({
      'east|red': { count: 2, quantity: '20', value: '5' },
      'east|green': { count: 9, quantity: '90', value: '1' },
      'south|yellow': { count: 3, quantity: '30', value: '2' },
      '-|expired': { count: 1, quantity: '1', value: '0' },
    })
    expect(rows.map((r) => [r.group, r.flagged])).toEqual([['south', 3], ['east', 2], ['-', 1]])
    expect(rows[1].levels.green?.count).toBe(9)
    expect(splitChange('none->red')).toEqual({ from: 'none', to: 'red' })
  })

  it('sends notification links to console pages', () => {
    expect(consoleLink('/m/todos')).toBe('/todos')
    expect(consoleLink('/m/forms/3/records/9')).toBe('/records/3/9')
    expect(consoleLink(null)).toBe('/todos')
    expect(consoleLink('//evil.example')).toBe('/todos')
    expect(consoleLink('/m/tasks/12')).toBe('/flows/tasks/12')
    expect(mobileLink({ body: '待审批', link: '/m/tasks/12' })).toBe('/tasks/12')
    expect(mobileLink({ body: '红牌\n/m/forms/3/records/9', link: '/m/todos' })).toBe('/forms/3/records/9')
    expect(mobileLink({ body: '抄送', link: '/flows/instances/4' })).toBeNull()
    const body = '红牌: B-7 — 数量 10\n/m/forms/3/records/9'
    expect(recordLinkIn(body)).toBe('/m/forms/3/records/9')
    expect(bodyText(body)).toBe('红牌: B-7 — 数量 10')
  })

  it('says days left, today and overdue', () => {
    expect(daysLeftText(5)).toEqual({ key: 'left', n: 5 })
    expect(daysLeftText(0)).toEqual({ key: 'today', n: 0 })
    expect(daysLeftText(-3)).toEqual({ key: 'overdue', n: 3 })
    expect(daysLeftText(null)).toEqual({ key: 'unknown', n: 0 })
  })
})
