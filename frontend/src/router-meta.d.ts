import 'vue-router'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session (the login pages). */
    public?: boolean
    /** i18n key of the page title shown in the header. */
    titleKey?: string
    /** Permission a page needs; without it the menu hides the page and the router explains why. */
    permission?: string
  }
}
