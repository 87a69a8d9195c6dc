import { describe, expect, it } from 'vitest'
import { installPercent, problemPlace, readPackageFile, reportSections } from './packageReport'
import type { AppPackage, InstallJob } from './packageTypes'

const pkg: AppPackage = {
  format: 'greenshelf.app/1',
  app: { key: 'lots', label: { zh: '批次管理', en: 'Lots' } },
  forms: [
    { key: 'product', label: { zh: '商品' }, meta: { fields: [{ key: 'name', label: '品名' }] } },
    { key: 'lot', label: { zh: '批次', en: 'Lots' }, meta: { fields: [{ key: 'no', label: { zh: '批次号', en: 'Lot no.' } }] } },
  ],
  flows: [{ key: 'check', name: '批次审批' }],
  charts: [{ key: 'count' }],
}

const job = (over: Partial<InstallJob>): InstallJob => ({
  id: 1,
  template: 'expiry_disposal',
  demo: true,
  status: 'running',
  step: 'app',
  total: 0,
  processed: 0,
  app_id: null,
  message: '',
  errors: {},
  lines: [],
  ...over,
})

describe('reading a package file', () => {
  it('accepts a JSON object in a greenshelf.app format and leaves the version to the server', () => {
    expect(readPackageFile(JSON.stringify(pkg))).toEqual({ pkg })
    expect(readPackageFile('{"format": "greenshelf.app/9", "app": {}}')).toHaveProperty('pkg')
  })

  it('tells a file that is not JSON from JSON that is not a package', () => {
    expect(readPackageFile('<xml/>')).toEqual({ error: 'notJson' })
    expect(readPackageFile('[1, 2]')).toEqual({ error: 'notPackage' })
    expect(readPackageFile('{"hello": "world"}')).toEqual({ error: 'notPackage' })
  })
})

describe('where a problem is', () => {
  it('names the form and the field of a form path, in the UI language', () => {
    expect(problemPlace('forms.1.meta.fields.0.type', pkg, 'en')).toEqual({
      part: 'forms',
      name: 'Lots',
      position: 2,
      field: 'Lot no.',
    })
    expect(problemPlace('forms.0.meta.fields.0.type', pkg, 'zh-CN').field).toBe('品名')
  })

  it('names flows by their name and falls back to the position of a part without a name', () => {
    expect(problemPlace('flows.0.tree.child', pkg, 'zh-CN')).toEqual({ part: 'flows', name: '批次审批', position: 1 })
    expect(problemPlace('charts.0.definition.dimensions.0.field', pkg, 'zh-CN')).toEqual({ part: 'charts', name: '', position: 1 })
  })

  it('names the form and the record of sample data', () => {
    expect(problemPlace('data.lot.4.qty', pkg, 'zh-CN')).toEqual({ part: 'data', name: '批次', row: 5 })
  })

  it('puts the format and unknown places on the file, and people on users', () => {
    expect(problemPlace('format', pkg, 'en')).toEqual({ part: 'file', name: '' })
    expect(problemPlace('_body', null, 'en')).toEqual({ part: 'file', name: '' })
    expect(problemPlace('users', pkg, 'en')).toEqual({ part: 'users', name: '' })
    expect(problemPlace('app.key', pkg, 'zh-CN')).toEqual({ part: 'app', name: '批次管理' })
  })
})

describe('a report in sections', () => {
  it('lists the non-empty parts in install order with names and counts', () => {
    const sections = reportSections(
      {
        rules: [{ key: 'levels', label: { zh: '临期预警' } }],
        forms: [{ key: 'lot', label: { zh: '批次' }, fields: 10 }],
        connectors: [{ key: 'robot', label: { zh: '运营群' }, secrets: ['secret'] }],
        data: [{ form: 'lot', label: { zh: '批次' }, rows: 120 }],
        charts: [],
      },
      'zh-CN',
    )
    expect(sections.map((s) => s.part)).toEqual(['forms', 'connectors', 'rules', 'data'])
    expect(sections[0].items).toEqual([{ name: '批次', count: 10, secrets: undefined }])
    expect(sections[1].items[0].secrets).toEqual(['secret'])
    expect(sections[3].items[0].count).toBe(120)
  })
})

describe('install progress', () => {
  it('goes from queued through the app to the demo records, and is whole only when done', () => {
    expect(installPercent(job({ status: 'queued' }))).toBe(0)
    expect(installPercent(job({}))).toBe(5)
    expect(installPercent(job({ step: 'data', total: 200, processed: 100 }))).toBe(53)
    expect(installPercent(job({ step: 'data', total: 200, processed: 200 }))).toBe(99)
    expect(installPercent(job({ status: 'done', step: 'data', total: 200, processed: 200 }))).toBe(100)
  })
})
