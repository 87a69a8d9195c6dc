/**
 * Runs a composable inside a real Vue component without a DOM, with the app's plugins
 * (i18n, pinia, a router) installed: setup(), inject, watchers and unmount hooks behave
 * as in the browser, only nothing is drawn. `unmountAll` ends every component run so far.
 */
import { createRenderer, defineComponent, type App, type Plugin } from 'vue'

const { createApp } = createRenderer<object, object>({
  createElement: () => ({}),
  createText: () => ({}),
  createComment: () => ({}),
  setText: () => undefined,
  setElementText: () => undefined,
  insert: () => undefined,
  remove: () => undefined,
  parentNode: () => null,
  nextSibling: () => null,
  patchProp: () => undefined,
})

const mounted: App[] = []

export function runInComponent<T>(composable: () => T, plugins: Plugin[] = []): T {
  let result: T | undefined
  const app = createApp(
    defineComponent({
      setup() {
        result = composable()
        return () => null
      },
    }),
  )
  for (const plugin of plugins) app.use(plugin)
  app.mount({})
  mounted.push(app)
  return result as T
}

export function unmountAll(): void {
  for (const app of mounted.splice(0)) app.unmount()
}
