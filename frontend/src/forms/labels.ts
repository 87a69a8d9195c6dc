/** Bilingual labels of form metadata ({zh, en} or a plain string) shown in the UI language. */
import type { Label } from '@/api/formTypes'

export type LabelLang = 'zh' | 'en'

/** The metadata's language code for a UI locale (zh-CN -> zh). */
export function labelLang(locale: string): LabelLang {
  return locale === 'en' ? 'en' : 'zh'
}

/** The label in the UI language, falling back to the other language, then to `fallback`. */
export function labelText(label: Label | null | undefined, locale: string, fallback = ''): string {
  if (!label) return fallback
  if (typeof label === 'string') return label
  const lang = labelLang(locale)
  return label[lang] || label.zh || label.en || fallback
}

/** A label as an editable {zh, en} object. */
export function labelObject(label: Label | null | undefined): { zh: string; en: string } {
  if (!label) return { zh: '', en: '' }
  if (typeof label === 'string') return { zh: label, en: '' }
  return { zh: label.zh ?? '', en: label.en ?? '' }
}

/** Drops empty languages; undefined when both are empty (the metadata then omits it). */
export function compactLabel(label: { zh?: string; en?: string }): { zh?: string; en?: string } | undefined {
  const out: { zh?: string; en?: string } = {}
  if (label.zh?.trim()) out.zh = label.zh.trim()
  if (label.en?.trim()) out.en = label.en.trim()
  return Object.keys(out).length ? out : undefined
}
