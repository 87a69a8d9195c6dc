import 'vue-router'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session (the login pages). */
    public?: boolean
    /** i18n key of the page title shown in the header. */
    titleKey?: string
    /** Menu section a "coming soon" page stands for. */
    section?: string
  }
}
