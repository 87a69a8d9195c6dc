/**
 * Undoing a deletion: what to say once a connector, inbound webhook or ERP sync is back (switched
 * off, maybe under a shortened key), what to say when the server refuses, and the delivery log's
 * connector choices, which name deleted connectors too so their past deliveries stay findable.
 */
import type { Connector, Restored } from '@/api/connectors'
import { ApiError } from '@/api/errors'

/** An i18n key and its values. */
export interface Phrase {
  key: string
  values: Record<string, string>
}

export function restoredNotice(restored: Restored): Phrase {
  return { key: restored.key_shortened ? 'connectorUndo.restoredShortened' : 'connectorUndo.restored', values: { key: restored.key } }
}

const REFUSALS: Record<string, string> = {
  key_taken: 'connectorUndo.keyTaken',
  connector_deleted: 'connectorUndo.connectorDeleted',
  not_deleted: 'connectorUndo.notDeleted',
}

/** The console's own words for a refused undo, or null to show the server's message. */
export function undoRefusal(err: unknown): string | null {
  if (!(err instanceof ApiError) || err.status !== 409) return null
  return REFUSALS[err.code] ?? null
}

export interface ConnectorChoice {
  id: number
  label: string
  deleted: boolean
}

/** Live connectors first, then deleted ones (newest first), each deleted one marked in its label. */
export function connectorChoices(connectors: Connector[], name: (c: Connector) => string, deletedMark: string): ConnectorChoice[] {
  const live = connectors.filter((c) => !c.deleted)
  const deleted = connectors.filter((c) => c.deleted).sort((a, b) => b.id - a.id)
  return [
    ...live.map((c) => ({ id: c.id, label: name(c), deleted: false })),
    ...deleted.map((c) => ({ id: c.id, label: `${name(c)} (${deletedMark})`, deleted: true })),
  ]
}
