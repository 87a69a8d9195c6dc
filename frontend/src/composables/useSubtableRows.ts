/**
 * The rows of a sub-table field, for the console's table editor and the phone's cards: its
 * child fields, and adding, removing and editing rows. Every change is reported through
 * `changed` so the record form re-checks its linkage and errors.
 */
import { computed, type Ref } from 'vue'
import type { FieldMeta, RecordValues } from '@/api/formTypes'
import { activeFields, newRow } from '@/forms/recordValues'

export function useSubtableRows(field: () => FieldMeta, value: Ref<unknown>, changed: () => void) {
  const children = computed(() => activeFields(field().fields ?? []))
  const rows = computed<RecordValues[]>(() => (Array.isArray(value.value) ? (value.value as RecordValues[]) : []))

  function addRow(): void {
    value.value = [...rows.value, newRow(field())]
    changed()
  }

  function removeRow(index: number): void {
    value.value = rows.value.filter((_, i) => i !== index)
    changed()
  }

  function setCell(index: number, key: string, cell: unknown): void {
    rows.value[index][key] = cell
    changed()
  }

  return { children, rows, addRow, removeRow, setCell }
}
