/**
 * Every call the dashboard pages make to /api/v1 (charts, their data and drill-down,
 * dashboards). When the back end's contract moves, this is the one file to change.
 */
import { download, http } from '@/api/http'
import type { ItemList } from '@/api/types'
import { emptyDefinition } from './definition'
import type {
  Chart,
  ChartDefinition,
  ChartInput,
  ChartResult,
  ChartSource,
  Dashboard,
  DashboardInput,
  DrillAnswer,
  GlobalFilters,
} from './types'

/**
 * A saved definition may leave out what it does not use (a template's KPI names no
 * dimensions, no sort); the pages read every part, so a chart comes with all of them.
 */
function complete<T extends { definition: ChartDefinition }>(chart: T): T {
  return { ...chart, definition: { ...emptyDefinition(chart.definition.type), ...chart.definition } }
}

export const chartsApi = {
  list: async () => {
    const page = await http.get<ItemList<Chart>>('/charts')
    return { ...page, items: page.items.map(complete) }
  },
  get: async (id: number) => complete(await http.get<Chart>(`/charts/${id}`)),
  create: (input: ChartInput) => http.post<Chart>('/charts', input),
  update: (id: number, input: ChartInput) => http.patch<Chart>(`/charts/${id}`, input),
  remove: (id: number) => http.delete(`/charts/${id}`),
  /** What a chart over the form can read besides its records, with the fields each adds. */
  sources: (formId: number) => http.get<ItemList<ChartSource>>('/charts/sources', { form_id: formId }),
  /** The result of a definition that is not saved yet (the builder's live preview). */
  preview: (formId: number, definition: ChartDefinition, filters: GlobalFilters = {}) =>
    http.post<ChartResult>('/charts/preview', { form_id: formId, definition, filters }),
  data: (id: number, filters: GlobalFilters) => http.post<ChartResult>(`/charts/${id}/data`, { filters }),
  /**
   * A drill step of a saved chart (whoever may view it): its figures over the records at
   * `point` (result dimension keys to values), grouped by the dimensions of the view at `depth`.
   */
  stepData: (id: number, filters: GlobalFilters, point: Record<string, unknown>, depth: number) =>
    http.post<ChartResult>(`/charts/${id}/data`, { filters, point, depth }),
  /** The records behind one point: `point` maps result dimension keys to their values. */
  drill: (id: number, filters: GlobalFilters, point: Record<string, unknown>) =>
    http.post<DrillAnswer>(`/charts/${id}/drill`, { filters, point }),
  exportXlsx: (id: number, filters: GlobalFilters) => download(`/charts/${id}/data.xlsx`, { filters: JSON.stringify(filters) }),
}

export const dashboardsApi = {
  list: () => http.get<ItemList<Dashboard>>('/dashboards'),
  get: async (id: number) => {
    const dashboard = await http.get<Dashboard>(`/dashboards/${id}`)
    return { ...dashboard, charts: dashboard.charts?.map(complete) }
  },
  create: (input: DashboardInput) => http.post<Dashboard>('/dashboards', input),
  update: (id: number, input: DashboardInput) => http.patch<Dashboard>(`/dashboards/${id}`, input),
  remove: (id: number) => http.delete(`/dashboards/${id}`),
}
