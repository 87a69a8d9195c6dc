/** The console's navigation: one entry per section, admin pages grouped under "Admin". */
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
  /** Permission the entry needs to be shown; none means every signed-in user. */
  permission?: string
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
  { path: '/admin/users', labelKey: 'nav.users', icon: User, testId: 'menu-admin-users', permission: 'admin.users' },
  { path: '/admin/departments', labelKey: 'nav.departments', icon: OfficeBuilding, testId: 'menu-admin-departments', permission: 'admin.departments' },
  { path: '/admin/roles', labelKey: 'nav.roles', icon: UserFilled, testId: 'menu-admin-roles', permission: 'admin.roles' },
  { path: '/admin/tokens', labelKey: 'nav.tokens', icon: Key, testId: 'menu-admin-tokens' },
  { path: '/admin/flow-instances', labelKey: 'flowAllInstances.title', icon: Files, testId: 'menu-admin-flow-instances', permission: 'apps.design' },
  { path: '/admin/audit', labelKey: 'nav.audit', icon: Document, testId: 'menu-admin-audit', permission: 'audit.read' },
  { path: '/admin/health', labelKey: 'nav.health', icon: Monitor, testId: 'menu-admin-health', permission: 'system.health' },
]

export const adminIcon = List
