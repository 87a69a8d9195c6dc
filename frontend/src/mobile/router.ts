/** Mobile routes (history base /m/): sign-in, a tab bar with To-dos and Me, and record forms. */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSessionStore } from '@/stores/session'

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'm-login',
    component: () => import('@/views/mobile/MobileLoginView.vue'),
    meta: { public: true },
  },
  {
    path: '/',
    component: () => import('@/views/mobile/MobileShell.vue'),
    children: [
      { path: '', redirect: { name: 'm-todos' } },
      {
        path: 'todos',
        name: 'm-todos',
        component: () => import('@/views/mobile/todos/TodosView.vue'),
        meta: { titleKey: 'mobile.todos' },
      },
      {
        path: 'approvals',
        name: 'm-approvals',
        component: () => import('@/views/mobile/approvals/ApprovalsView.vue'),
        meta: { titleKey: 'flowMobile.approvals' },
      },
      {
        path: 'me',
        name: 'm-me',
        component: () => import('@/views/mobile/MeView.vue'),
        meta: { titleKey: 'mobile.me' },
      },
    ],
  },
  {
    path: '/forms/:formId(\\d+)/new',
    name: 'm-record-new',
    component: () => import('@/views/mobile/forms/MobileRecordView.vue'),
  },
  {
    path: '/forms/:formId(\\d+)/records/:id(\\d+)',
    name: 'm-record',
    component: () => import('@/views/mobile/forms/MobileRecordView.vue'),
  },
  {
    path: '/tasks/:taskId(\\d+)',
    name: 'm-task',
    component: () => import('@/views/mobile/approvals/MobileTaskView.vue'),
  },
  {
    path: '/instances/:instanceId(\\d+)',
    name: 'm-instance',
    component: () => import('@/views/mobile/approvals/MobileInstanceView.vue'),
  },
  {
    path: '/notifications',
    name: 'm-notifications',
    component: () => import('@/views/mobile/todos/NotificationsView.vue'),
  },
  { path: '/:pathMatch(.*)*', redirect: { name: 'm-todos' } },
]

export function mobileRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/todos'
}

export function createMobileRouter() {
  const router = createRouter({ history: createWebHistory('/m/'), routes })
  router.beforeEach(async (to) => {
    const session = useSessionStore()
    let me = session.me
    try {
      me = await session.ensureLoaded()
    } catch {
      me = null
    }
    if (to.meta.public) return me && to.name === 'm-login' ? mobileRedirect(to.query.redirect) : true
    if (!me) return { name: 'm-login', query: { redirect: to.fullPath } }
    return true
  })
  return router
}
