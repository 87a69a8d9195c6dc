/**
 * Full-screen "wall display" mode for one element: the browser's full screen where it is
 * allowed, and in any case a class that lets the element cover the window. Esc (leaving
 * the browser's full screen) ends it.
 */
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

export function useWallMode(element: Ref<HTMLElement | undefined>) {
  const wall = ref(false)

  async function enter() {
    wall.value = true
    try {
      await element.value?.requestFullscreen?.()
    } catch {
      // full screen refused (iframe, phone browser): the covering class still applies
    }
  }

  async function leave() {
    wall.value = false
    if (typeof document !== 'undefined' && document.fullscreenElement) await document.exitFullscreen().catch(() => undefined)
  }

  function toggle() {
    return wall.value ? leave() : enter()
  }

  const onChange = () => {
    if (!document.fullscreenElement) wall.value = false
  }
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && wall.value) void leave()
  }
  onMounted(() => {
    document.addEventListener('fullscreenchange', onChange)
    document.addEventListener('keydown', onKey)
  })
  onBeforeUnmount(() => {
    document.removeEventListener('fullscreenchange', onChange)
    document.removeEventListener('keydown', onKey)
  })

  return { wall, toggle, leave }
}
