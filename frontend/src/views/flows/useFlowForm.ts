/** A flow with its bound form (key and fields) and the latest deployed version, as the designers load them. */
import { computed, ref } from 'vue'
import type { FieldMeta, FormItem } from '@/api/formTypes'
import { formsApi } from '@/api/forms'
import { flowsApi, type Flow, type FlowVersionDetail } from '@/api/flows'

export function useFlowForm(flowId: number) {
  const flow = ref<Flow | null>(null)
  const form = ref<FormItem | null>(null)
  const fields = ref<FieldMeta[]>([])
  const latest = ref<FlowVersionDetail | null>(null)
  const loading = ref(true)

  async function load(): Promise<void> {
    loading.value = true
    try {
      flow.value = await flowsApi.get(flowId)
      const [f, schema, version] = await Promise.all([
        formsApi.get(flow.value.form_id),
        formsApi.schema(flow.value.form_id),
        flow.value.latest_version ? flowsApi.version(flowId, flow.value.latest_version) : Promise.resolve(null),
      ])
      form.value = f
      fields.value = schema.fields.filter((x) => !x.removed)
      latest.value = version
    } finally {
      loading.value = false
    }
  }

  /** After a deploy: the new version is the latest. */
  function deployed(version: FlowVersionDetail) {
    latest.value = version
    if (flow.value) flow.value.latest_version = version.version
  }

  const versionNumber = computed(() => latest.value?.version ?? null)
  return { flow, form, fields, latest, loading, load, deployed, versionNumber }
}
