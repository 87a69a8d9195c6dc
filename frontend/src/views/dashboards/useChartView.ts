/**
 * One chart on a dashboard: its data under the dashboard's filters, and its drill-down
 * path. A click asks the server which records lie behind the point (shown under the
 * chart) and, when the chart has a next dimension, steps down to it; `back` climbs up.
 */
import { computed, ref, watch, type Ref } from 'vue'
import { chartsApi } from './api'
import { backTo, canStepDown, pathPoint, pointFor, stepsThrough, type DrillStep } from './drill'
import type { PointData } from './chartOptions'
import type { ChartResult, DashboardChart, DrillAnswer, GlobalFilters } from './types'

export interface DrilledRecords {
  answer: DrillAnswer
  /** The breadcrumb of the clicked point ("华东 · 上海仓"). */
  labels: string[]
}

export function useChartView(chart: Ref<DashboardChart | null>, filters: Ref<GlobalFilters>) {
  const result = ref<ChartResult | null>(null)
  const loading = ref(false)
  const error = ref<unknown>(null)
  const steps = ref<DrillStep[]>([])
  const records = ref<DrilledRecords | null>(null)
  const drilling = ref(false)
  let latest = 0

  const depth = computed(() => steps.value.length)
  const breadcrumb = computed(() => steps.value.map((s) => s.labels.join(' · ')))

  async function load(): Promise<void> {
    const current = chart.value
    if (!current) return
    const request = ++latest
    loading.value = true
    try {
      const def = current.definition
      const answer = stepsThrough(def)
        ? await chartsApi.stepData(current.id, filters.value, pathPoint(steps.value), depth.value)
        : await chartsApi.data(current.id, filters.value)
      if (request !== latest) return
      result.value = answer
      error.value = null
    } catch (err) {
      if (request === latest) error.value = err
    } finally {
      if (request === latest) loading.value = false
    }
  }

  /** A click on a point: the records behind it, and a step down when there is a next dimension. */
  async function pick(picked: PointData): Promise<void> {
    const current = chart.value
    if (!current || drilling.value) return
    const point = pointFor(steps.value, picked.point)
    const labels = [...steps.value.flatMap((s) => s.labels), ...picked.labels]
    drilling.value = true
    try {
      const answer = await chartsApi.drill(current.id, filters.value, point)
      records.value = { answer, labels }
      if (canStepDown(current.definition, depth.value)) {
        steps.value = [...steps.value, { point, labels: picked.labels, answer }]
        await load()
      }
    } finally {
      drilling.value = false
    }
  }

  /** Back up the breadcrumb to `to` (0: the chart as saved). */
  async function back(to: number): Promise<void> {
    steps.value = backTo(steps.value, to)
    const last = steps.value.at(-1)
    records.value = last ? { answer: last.answer, labels: steps.value.flatMap((s) => s.labels) } : null
    await load()
  }

  watch(
    [chart, filters],
    () => {
      steps.value = []
      records.value = null
      void load()
    },
    { deep: true, immediate: true },
  )

  return { result, loading, error, steps, depth, breadcrumb, records, drilling, load, pick, back }
}
