/**
 * Runs `tick` every `seconds` (0: never) while the page is visible, so a wall display stays
 * current without loading charts for a hidden tab.
 */
import { onBeforeUnmount, watch, type Ref } from 'vue'

export function useAutoRefresh(seconds: Ref<number>, tick: () => void) {
  let timer: ReturnType<typeof setInterval> | null = null

  function stop() {
    if (timer !== null) clearInterval(timer)
    timer = null
  }

  function start() {
    stop()
    if (seconds.value > 0) {
      timer = setInterval(() => {
        if (typeof document === 'undefined' || document.visibilityState !== 'hidden') tick()
      }, seconds.value * 1000)
    }
  }

  watch(seconds, start, { immediate: true })
  onBeforeUnmount(stop)
}
