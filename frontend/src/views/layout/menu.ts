/**
 * The console's navigation: one entry per section, admin pages grouped under "Admin". Who
 * sees an entry is decided by its route's `permission` (console/router.ts), not here.
 */
import type { Component } from 'vue'
import {
  Bell,
  Connection,
  DataAnalysis,
  Document,
  Files,
  Finished,
  Grid,
  Key,
  List,
  Lock,
  Monitor,
  OfficeBuilding,
  Share,
  Stamp,
  Switch,
  Tickets,
  Warning,
  User,
  UserFilled,
} from '@element-plus/icons-vue'

export interface MenuEntry {
  path: string
  labelKey: string
  icon: Component
  testId: string
}

export const mainMenu: MenuEntry[] = [
  { path: '/apps', labelKey: 'nav.apps', icon: Grid, testId: 'menu-apps' },
  { path: '/records', labelKey: 'nav.records', icon: Tickets, testId: 'menu-records' },
  { path: '/rules', labelKey: 'nav.rules', icon: Bell, testId: 'menu-rules' },
  { path: '/alerts', labelKey: 'alertBoard.title', icon: Warning, testId: 'menu-alerts' },
  { path: '/flows', labelKey: 'nav.flows', icon: Share, testId: 'menu-flows' },
  { path: '/flows/inbox', labelKey: 'flowInbox.title', icon: Stamp, testId: 'menu-flow-inbox' },
  { path: '/flows/delegations', labelKey: 'flowDelegations.title', icon: Switch, testId: 'menu-flow-delegations' },
  { path: '/todos', labelKey: 'nav.todos', icon: Finished, testId: 'menu-todos' },
  { path: '/connectors', labelKey: 'nav.connectors', icon: Connection, testId: 'menu-connectors' },
  { path: '/dashboards', labelKey: 'nav.dashboards', icon: DataAnalysis, testId: 'menu-dashboards' },
]

export const adminMenu: MenuEntry[] = [
  { path: '/admin/users', labelKey: 'nav.users', icon: User, testId: 'menu-admin-users' },
  { path: '/admin/departments', labelKey: 'nav.departments', icon: OfficeBuilding, testId: 'menu-admin-departments' },
  { path: '/admin/roles', labelKey: 'nav.roles', icon: UserFilled, testId: 'menu-admin-roles' },
  { path: '/admin/tokens', labelKey: 'nav.tokens', icon: Key, testId: 'menu-admin-tokens' },
  { path: '/admin/flow-instances', labelKey: 'flowAllInstances.title', icon: Files, testId: 'menu-admin-flow-instances' },
  { path: '/admin/outbound', labelKey: 'allowlist.title', icon: Lock, testId: 'menu-admin-outbound' },
  { path: '/admin/audit', labelKey: 'nav.audit', icon: Document, testId: 'menu-admin-audit' },
  { path: '/admin/health', labelKey: 'nav.health', icon: Monitor, testId: 'menu-admin-health' },
]

export const adminIcon = List
