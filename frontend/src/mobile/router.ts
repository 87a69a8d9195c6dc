/** Mobile routes (history base /m/): sign-in, a tab bar with To-dos and Me, and record forms. */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { requireSession, type SessionPages } from '@/composables/sessionRouting'

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

export const MOBILE_PAGES: SessionPages = { login: 'm-login', home: '/todos' }

export function createMobileRouter() {
  const router = createRouter({ history: createWebHistory('/m/'), routes })
  requireSession(router, MOBILE_PAGES)
  return router
}
