import { afterEach, describe, expect, it } from 'vitest'
import { followLocaleOnDocument, i18n } from '@/i18n'
import { useLocale } from '@/composables/useLocale'

describe('<html lang> follows the language the person chose', () => {
  const stops: (() => void)[] = []
  afterEach(() => {
    stops.splice(0).forEach((stop) => stop())
    i18n.global.locale.value = 'zh-CN'
  })

  function page(): { lang: string } {
    const root = { lang: '' }
    stops.push(followLocaleOnDocument(root))
    return root
  }

  it('starts in the current language', () => {
    expect(page().lang).toBe('zh-CN')
  })

  it('changes as soon as the language is switched, and back', () => {
    const root = page()
    const { setLocale } = useLocale()
    setLocale('en')
    expect(root.lang).toBe('en')
    setLocale('zh-CN')
    expect(root.lang).toBe('zh-CN')
  })

  it('stops following once stopped', () => {
    const root = { lang: '' }
    followLocaleOnDocument(root)()
    i18n.global.locale.value = 'en'
    expect(root.lang).toBe('zh-CN')
  })
})
