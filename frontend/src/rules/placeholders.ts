/**
 * Message templates of rule actions: the {{name}} placeholders the server fills in
 * (app/rules/actions.py), inserting one at the caret, and the same rendering for a preview.
 */
export const PLACEHOLDERS = ['title', 'days_left', 'quantity', 'warehouse', 'category', 'level_name'] as const
export type Placeholder = (typeof PLACEHOLDERS)[number]

/** Same pattern as the server's: {{ name }} with optional spaces. */
const PATTERN = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g

/** What the server uses when an action leaves its title or message empty. */
export const DEFAULT_TITLE = '临期品处理 {{title}}'
export const DEFAULT_TEMPLATE = '{{level_name}}: {{title}} — 数量 {{quantity}}, 仓库 {{warehouse}}, 剩余 {{days_left}} 天'

export function token(name: string): string {
  return `{{${name}}}`
}

/** Fills every placeholder; unknown or empty ones become empty text, as on the server. */
export function renderTemplate(template: string, values: Record<string, unknown>): string {
  return template.replace(PATTERN, (_, name: string) => {
    const value = values[name]
    return value === null || value === undefined ? '' : String(value)
  })
}

export function placeholdersIn(template: string): string[] {
  return [...template.matchAll(PATTERN)].map((m) => m[1])
}

/** Placeholders that are neither standard nor a field of the form: they would render empty. */
export function unknownPlaceholders(template: string, fieldKeys: Iterable<string> = []): string[] {
  const known = new Set<string>([...PLACEHOLDERS, 'level', 'metric', ...fieldKeys])
  return [...new Set(placeholdersIn(template).filter((name) => !known.has(name)))]
}

/** Inserts {{name}} over the selection [start, end) and says where the caret goes next. */
export function insertPlaceholder(text: string, name: string, start?: number | null, end?: number | null): { text: string; caret: number } {
  const from = start ?? text.length
  const to = end ?? from
  const inserted = token(name)
  return { text: text.slice(0, from) + inserted + text.slice(to), caret: from + inserted.length }
}
