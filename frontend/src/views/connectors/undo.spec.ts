import { describe, expect, it } from 'vitest'
import type { Connector } from '@/api/connectors'
import { ApiError } from '@/api/errors'
import { connectorChoices, restoredNotice, undoRefusal } from './undo'

function connector(id: number, key: string, deleted = false): Connector {
  return { id, key, type: 'webhook', label: { zh: key }, config: {}, enabled: !deleted, updated_at: '2026-11-26T09:00:00Z', deleted }
}

function refused(status: number, code: string): ApiError {
  return new ApiError(status, { code, message: `server says ${code}`, errors: {} })
}

describe('undoing a deletion', () => {
  it('says the row is back under its key, switched off, and warns when the key was cut', () => {
    expect(restoredNotice({ id: 1, key: 'erp_hook', enabled: false, key_shortened: false })).toEqual({ key: 'connectorUndo.restored', values: { key: 'erp_hook' } })
    expect(restoredNotice({ id: 1, key: 'kingdee_inventory_lots', enabled: false, key_shortened: true })).toEqual({
      key: 'connectorUndo.restoredShortened',
      values: { key: 'kingdee_inventory_lots' },
    })
  })

  it("explains the server's refusals in the console's words, and leaves other errors to the server", () => {
    expect(undoRefusal(refused(409, 'key_taken'))).toBe('connectorUndo.keyTaken')
    expect(undoRefusal(refused(409, 'connector_deleted'))).toBe('connectorUndo.connectorDeleted')
    expect(undoRefusal(refused(409, 'not_deleted'))).toBe('connectorUndo.notDeleted')
    expect(undoRefusal(refused(409, 'conflict'))).toBeNull()
    expect(undoRefusal(refused(403, 'forbidden'))).toBeNull()
    expect(undoRefusal(new Error('offline'))).toBeNull()
  })
})

describe("the delivery log's connector filter", () => {
  it('offers live connectors first, then deleted ones newest first, marked as deleted', () => {
    const list = [connector(1, 'old_erp', true), connector(2, 'robot'), connector(3, 'erp', true), connector(4, 'erp')]
    const choices = connectorChoices(list, (c) => c.key, '已删除')
    expect(choices).toEqual([
      { id: 2, label: 'robot', deleted: false },
      { id: 4, label: 'erp', deleted: false },
      { id: 3, label: 'erp (已删除)', deleted: true },
      { id: 1, label: 'old_erp (已删除)', deleted: true },
    ])
  })
})
