/**
 * Every call the dashboard pages make to /api/v1 (charts, their data and drill-down,
 * dashboards). When the back end's contract moves, this is the one file to change.
 */
import { download, http } from '@/api/http'
import type { ItemList } from '@/api/types'
import type {
  Chart,
  ChartDefinition,
  ChartInput,
  ChartResult,
  Dashboard,
  DashboardInput,
  DrillAnswer,
  GlobalFilters,
} from './types'

export const chartsApi = {
  list: () => http.get<ItemList<Chart>>('/charts'),
  get: (id: number) => http.get<Chart>(`/charts/${id}`),
  create: (input: ChartInput) => http.post<Chart>('/charts', input),
  update: (id: number, input: ChartInput) => http.patch<Chart>(`/charts/${id}`, input),
  remove: (id: number) => http.delete(`/charts/${id}`),
  /** The result of a definition that is not saved yet (the builder's live preview). */
  preview: (formId: number, definition: ChartDefinition, filters: GlobalFilters = {}) =>
    http.post<ChartResult>('/charts/preview', { form_id: formId, definition, filters }),
  data: (id: number, filters: GlobalFilters) => http.post<ChartResult>(`/charts/${id}/data`, { filters }),
  /**
   * A drilled-down step of a saved chart: its definition grouped by the next dimension and
   * narrowed by the clicked values. The contract has no such call on a saved chart yet, so
   * it goes through the preview of that stepped definition.
   */
  stepData: (chart: Chart, definition: ChartDefinition, filters: GlobalFilters) =>
    http.post<ChartResult>('/charts/preview', { form_id: chart.form_id, definition, filters }),
  /** The records behind one point: `point` maps result dimension keys to their values. */
  drill: (id: number, filters: GlobalFilters, point: Record<string, unknown>) =>
    http.post<DrillAnswer>(`/charts/${id}/drill`, { filters, point }),
  exportXlsx: (id: number, filters: GlobalFilters) => download(`/charts/${id}/data.xlsx`, { filters: JSON.stringify(filters) }),
}

export const dashboardsApi = {
  list: () => http.get<ItemList<Dashboard>>('/dashboards'),
  get: (id: number) => http.get<Dashboard>(`/dashboards/${id}`),
  create: (input: DashboardInput) => http.post<Dashboard>('/dashboards', input),
  update: (id: number, input: DashboardInput) => http.patch<Dashboard>(`/dashboards/${id}`, input),
  remove: (id: number) => http.delete(`/dashboards/${id}`),
}
