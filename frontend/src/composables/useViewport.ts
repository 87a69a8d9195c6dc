/** Whether the screen is phone-sized: the console then uses a drawer menu and wide dialogs. */
import { computed, onBeforeUnmount, ref } from 'vue'

const NARROW_QUERY = '(max-width: 768px)'

export function useViewport() {
  const media = typeof window !== 'undefined' ? window.matchMedia(NARROW_QUERY) : null
  const isNarrow = ref(media?.matches ?? false)
  const update = (event: MediaQueryListEvent) => {
    isNarrow.value = event.matches
  }
  media?.addEventListener('change', update)
  onBeforeUnmount(() => media?.removeEventListener('change', update))

  const dialogWidth = computed(() => (isNarrow.value ? '94%' : '560px'))
  return { isNarrow, dialogWidth }
}
