/**
 * What the builder's palette drags into the dimension and measure zones, as the text of a
 * drag: a field (`field:sku.category`), a rule's level (`level:<rule key>`) or the count.
 */
export type Dragged = { kind: 'field'; path: string } | { kind: 'level'; rule: string } | { kind: 'count' }

export const DRAG_TYPE = 'text/plain'

export function dragText(item: Dragged): string {
  if (item.kind === 'field') return `field:${item.path}`
  if (item.kind === 'level') return `level:${item.rule}`
  return 'count'
}

export function readDrag(text: string | null | undefined): Dragged | null {
  if (!text) return null
  if (text === 'count') return { kind: 'count' }
  if (text.startsWith('field:') && text.length > 6) return { kind: 'field', path: text.slice(6) }
  if (text.startsWith('level:') && text.length > 6) return { kind: 'level', rule: text.slice(6) }
  return null
}
