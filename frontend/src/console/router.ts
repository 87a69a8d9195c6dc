/**
 * Console routes (history mode at /). Everything except the login page needs a session; a
 * route's `permission` is the one place that says who may open it (the menu reads it too).
 */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { requireSession, type SessionPages } from '@/composables/sessionRouting'
import { useSessionStore } from '@/stores/session'

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/login/LoginView.vue'),
    meta: { public: true },
  },
  {
    path: '/',
    component: () => import('@/views/layout/ConsoleLayout.vue'),
    children: [
      { path: '', redirect: '/apps' },
      {
        path: 'apps',
        name: 'apps',
        component: () => import('@/views/apps/AppsView.vue'),
        meta: { titleKey: 'nav.apps' },
      },
      {
        path: 'apps/forms/:formId(\\d+)/design',
        name: 'form-designer',
        component: () => import('@/views/designer/DesignerView.vue'),
        meta: { titleKey: 'designer.title', permission: 'apps.design' },
      },
      {
        path: 'records',
        name: 'records',
        component: () => import('@/views/records/RecordsIndexView.vue'),
        meta: { titleKey: 'nav.records', permission: 'records.read' },
      },
      {
        path: 'records/:formId(\\d+)',
        name: 'form-records',
        component: () => import('@/views/records/RecordsView.vue'),
        meta: { titleKey: 'nav.records', permission: 'records.read' },
      },
      {
        path: 'records/:formId(\\d+)/new',
        name: 'record-new',
        component: () => import('@/views/records/RecordEditView.vue'),
        meta: { titleKey: 'recordForm.newTitle', permission: 'records.write' },
      },
      {
        path: 'records/:formId(\\d+)/:recordId(\\d+)',
        name: 'record-edit',
        component: () => import('@/views/records/RecordEditView.vue'),
        meta: { titleKey: 'recordForm.record', permission: 'records.read' },
      },
      {
        path: 'rules',
        name: 'rules',
        component: () => import('@/views/rules/RulesView.vue'),
        meta: { titleKey: 'nav.rules', permission: 'rules.manage' },
      },
      {
        path: 'rules/:ruleId(new|\\d+)',
        name: 'rule-design',
        component: () => import('@/views/rules/RuleDesignerView.vue'),
        meta: { titleKey: 'ruleDesigner.title', permission: 'rules.manage' },
      },
      {
        path: 'alerts',
        name: 'alerts',
        component: () => import('@/views/alerts/AlertsView.vue'),
        meta: { titleKey: 'alertBoard.title', permission: 'records.read' },
      },
      {
        path: 'todos',
        name: 'todos',
        component: () => import('@/views/todos/TodosView.vue'),
        meta: { titleKey: 'nav.todos' },
      },
      {
        path: 'flows',
        name: 'flows',
        component: () => import('@/views/flows/FlowsView.vue'),
        meta: { titleKey: 'nav.flows', permission: 'apps.design' },
      },
      {
        path: 'flows/:flowId(\\d+)/design',
        name: 'flow-designer',
        component: () => import('@/views/flows/designer/SimpleDesignerView.vue'),
        meta: { titleKey: 'flowDesigner.title', permission: 'apps.design' },
      },
      {
        path: 'flows/:flowId(\\d+)/model',
        name: 'flow-modeler',
        component: () => import('@/views/flows/modeler/ModelerView.vue'),
        meta: { titleKey: 'flowModeler.title', permission: 'apps.design' },
      },
      {
        path: 'flows/inbox',
        name: 'flow-inbox',
        component: () => import('@/views/flows/inbox/InboxView.vue'),
        meta: { titleKey: 'flowInbox.title' },
      },
      {
        path: 'flows/delegations',
        name: 'flow-delegations',
        component: () => import('@/views/flows/delegations/DelegationsView.vue'),
        meta: { titleKey: 'flowDelegations.title' },
      },
      {
        path: 'flows/tasks/:taskId(\\d+)',
        name: 'flow-task',
        component: () => import('@/views/flows/inbox/TaskView.vue'),
        meta: { titleKey: 'flowTask.title' },
      },
      {
        path: 'flows/instances',
        name: 'flow-instances',
        component: () => import('@/views/flows/instances/InstancesView.vue'),
        meta: { titleKey: 'flowAdmin.title' },
      },
      {
        path: 'flows/instances/:instanceId(\\d+)',
        name: 'flow-instance',
        component: () => import('@/views/flows/instances/InstanceView.vue'),
        meta: { titleKey: 'flowInstance.title' },
      },
      {
        path: 'connectors',
        name: 'connectors',
        component: () => import('@/views/connectors/ConnectorsView.vue'),
        meta: { titleKey: 'nav.connectors', permission: 'connectors.manage' },
      },
      {
        path: 'connectors/deliveries',
        name: 'connector-deliveries',
        component: () => import('@/views/connectors/DeliveriesView.vue'),
        meta: { titleKey: 'deliveryLog.title', permission: 'connectors.manage' },
      },
      {
        path: 'connectors/inbound',
        name: 'connector-inbound',
        component: () => import('@/views/connectors/InboundView.vue'),
        meta: { titleKey: 'connectorNav.inbound', permission: 'connectors.manage' },
      },
      {
        path: 'connectors/syncs',
        name: 'connector-syncs',
        component: () => import('@/views/connectors/SyncsView.vue'),
        meta: { titleKey: 'connectorNav.sync', permission: 'connectors.manage' },
      },
      {
        path: 'dashboards',
        name: 'dashboards',
        component: () => import('@/views/dashboards/DashboardsView.vue'),
        meta: { titleKey: 'nav.dashboards', permission: 'dashboards.view' },
      },
      {
        path: 'dashboards/:dashboardId(\\d+)',
        name: 'dashboard',
        component: () => import('@/views/dashboards/DashboardView.vue'),
        meta: { titleKey: 'nav.dashboards', permission: 'dashboards.view' },
      },
      {
        path: 'dashboards/charts/:chartId(new|\\d+)',
        name: 'chart-builder',
        component: () => import('@/views/dashboards/ChartBuilderView.vue'),
        meta: { titleKey: 'dashboards.builder.title', permission: 'dashboards.design' },
      },
      {
        path: 'admin',
        redirect: '/admin/users',
      },
      {
        path: 'admin/users',
        name: 'admin-users',
        component: () => import('@/views/admin/users/UsersView.vue'),
        meta: { titleKey: 'nav.users', permission: 'admin.users' },
      },
      {
        path: 'admin/departments',
        name: 'admin-departments',
        component: () => import('@/views/admin/departments/DepartmentsView.vue'),
        meta: { titleKey: 'nav.departments', permission: 'admin.departments' },
      },
      {
        path: 'admin/roles',
        name: 'admin-roles',
        component: () => import('@/views/admin/roles/RolesView.vue'),
        meta: { titleKey: 'nav.roles', permission: 'admin.roles' },
      },
      {
        path: 'admin/tokens',
        name: 'admin-tokens',
        component: () => import('@/views/admin/tokens/TokensView.vue'),
        meta: { titleKey: 'nav.tokens' },
      },
      {
        path: 'admin/flow-instances',
        name: 'admin-flow-instances',
        component: () => import('@/views/flows/admin/AllInstancesView.vue'),
        meta: { titleKey: 'flowAllInstances.title', permission: 'apps.design' },
      },
      {
        path: 'admin/audit',
        name: 'admin-audit',
        component: () => import('@/views/admin/audit/AuditView.vue'),
        meta: { titleKey: 'nav.audit', permission: 'audit.read' },
      },
      {
        path: 'admin/health',
        name: 'admin-health',
        component: () => import('@/views/admin/health/HealthView.vue'),
        meta: { titleKey: 'nav.health', permission: 'system.health' },
      },
      {
        path: 'admin/outbound',
        name: 'admin-outbound',
        component: () => import('@/views/admin/outbound/OutboundView.vue'),
        meta: { titleKey: 'allowlist.title', permission: 'admin.outbound' },
      },
      {
        path: 'no-access',
        name: 'no-access',
        component: () => import('@/components/NoAccess.vue'),
      },
      {
        path: ':pathMatch(.*)*',
        name: 'not-found',
        component: () => import('@/views/placeholder/NotFoundView.vue'),
      },
    ],
  },
]

export const CONSOLE_PAGES: SessionPages = { login: 'login', home: '/' }

export function createConsoleRouter() {
  const router = createRouter({ history: createWebHistory('/'), routes })
  requireSession(router, CONSOLE_PAGES)
  // a page the user's roles do not allow explains so, and never calls an API that would refuse
  router.beforeEach((to) => {
    const needed = to.meta.permission
    return !needed || useSessionStore().can(needed) ? true : { name: 'no-access', replace: true }
  })
  return router
}
