/**
 * SortableJS bound to a list that Vue renders. Sortable moves DOM nodes itself; Vue must
 * stay the only owner of the DOM, so every drop is undone in the DOM and replayed on the
 * array (Vue then moves the nodes). Fallback mode is used everywhere so mouse, touch and
 * automated pointers all drag the same way.
 */
import { onBeforeUnmount, onMounted, type Ref } from 'vue'
import Sortable, { type SortableEvent } from 'sortablejs'

export interface SortableHandlers {
  /** A palette item dropped in: its data-field-type and the index it was dropped at. */
  onAdd?: (type: string, index: number) => void
  /** An item moved inside the list. */
  onMove?: (from: number, to: number) => void
}

export const FIELD_GROUP = 'gs-form-fields'

export function useSortableList(el: Ref<HTMLElement | null>, options: Sortable.Options, handlers: SortableHandlers = {}) {
  let instance: Sortable | null = null
  let startNext: Node | null = null

  onMounted(() => {
    if (!el.value) return
    instance = Sortable.create(el.value, {
      animation: 150,
      forceFallback: true,
      fallbackOnBody: true,
      fallbackTolerance: 3,
      ...options,
      onStart(evt: SortableEvent) {
        startNext = evt.item.nextSibling
      },
      onAdd(evt: SortableEvent) {
        const type = evt.item.dataset.fieldType ?? ''
        // Put the palette's own node back where Sortable left a copy of it.
        if (evt.clone && evt.clone.parentNode) evt.clone.parentNode.replaceChild(evt.item, evt.clone)
        else evt.item.remove()
        // newDraggableIndex is counted with the source list's `draggable`; newIndex is ours.
        handlers.onAdd?.(type, evt.newIndex ?? 0)
      },
      onUpdate(evt: SortableEvent) {
        evt.from.insertBefore(evt.item, startNext)
        const from = evt.oldDraggableIndex ?? evt.oldIndex ?? 0
        const to = evt.newDraggableIndex ?? evt.newIndex ?? 0
        if (from !== to) handlers.onMove?.(from, to)
      },
    })
  })

  onBeforeUnmount(() => {
    instance?.destroy()
    instance = null
  })
}
