/** Apps, forms (draft, publish, versions), records, Excel import/export and attachments. */
import { download, http } from './http'
import type { ItemList, Page } from './types'
import type {
  AppInput,
  AppItem,
  Attachment,
  FormDiff,
  FormItem,
  FormMeta,
  FormSchema,
  FormVersion,
  ImportJob,
  ImportOptions,
  Label,
  PublishPreview,
  RecordItem,
  RecordPageExtras,
  RecordQuery,
  RecordValues,
} from './formTypes'

export const appsApi = {
  list: () => http.get<ItemList<AppItem>>('/apps'),
  create: (input: AppInput) => http.post<AppItem>('/apps', input),
  update: (id: number, input: Partial<AppInput>) => http.patch<AppItem>(`/apps/${id}`, input),
  remove: (id: number) => http.delete(`/apps/${id}`),
}

export const formsApi = {
  /** Every form of the tenant; callers group them by app_id. */
  list: () => http.get<ItemList<FormItem>>('/forms'),
  get: (id: number) => http.get<FormItem>(`/forms/${id}`),
  create: (appId: number, input: { key?: string; label: Label; draft?: FormMeta }) =>
    http.post<FormItem>(`/apps/${appId}/forms`, input),
  saveDraft: (id: number, draft: FormMeta) => http.patch<FormItem>(`/forms/${id}`, { draft }),
  rename: (id: number, label: Label) => http.patch<FormItem>(`/forms/${id}`, { label }),
  previewPublish: (id: number) => http.get<PublishPreview>(`/forms/${id}/publish`),
  publish: (id: number) => http.post<FormVersion>(`/forms/${id}/publish`),
  versions: (id: number) => http.get<ItemList<FormVersion>>(`/forms/${id}/versions`),
  versionDiff: (id: number, older: number, newer: number) =>
    http.get<FormDiff>(`/forms/${id}/versions/${older}/diff/${newer}`),
  schema: (id: number) => http.get<FormSchema>(`/forms/${id}/schema`),
}

export const recordsApi = {
  list: (formId: number, query: RecordQuery) => http.get<Page<RecordItem> & RecordPageExtras>(`/forms/${formId}/records`, { ...query }),
  get: (formId: number, id: number) => http.get<RecordItem>(`/forms/${formId}/records/${id}`),
  create: (formId: number, values: RecordValues) => http.post<RecordItem>(`/forms/${formId}/records`, values),
  update: (formId: number, id: number, rowVersion: number, values: RecordValues) =>
    http.patch<RecordItem>(`/forms/${formId}/records/${id}`, { row_version: rowVersion, values }),
  remove: (formId: number, id: number) => http.delete<RecordItem>(`/forms/${formId}/records/${id}`),
  restore: (formId: number, id: number) => http.post<RecordItem>(`/forms/${formId}/records/${id}/restore`),
}

export const excelApi = {
  /** `locale` picks the language of the column headers (zh or en). */
  template: (formId: number, locale: 'zh' | 'en') => download(`/forms/${formId}/excel/template`, { locale }),
  export: (
    formId: number,
    query: { format: 'xlsx' | 'csv'; locale: 'zh' | 'en'; filter?: string; sort?: string; fields?: string },
  ) => download(`/forms/${formId}/export`, query),
  startImport: (formId: number, file: File, options: ImportOptions) => {
    const form = new FormData()
    form.append('file', file)
    form.append('dry_run', options.dry_run ? 'true' : 'false')
    form.append('mode', options.mode)
    if (options.key_field) form.append('key_field', options.key_field)
    return http.upload<ImportJob>(`/forms/${formId}/imports`, form)
  },
  importStatus: (formId: number, importId: number | string) =>
    http.get<ImportJob>(`/forms/${formId}/imports/${importId}`),
  errorWorkbook: (formId: number, importId: number | string) =>
    download(`/forms/${formId}/imports/${importId}/errors.xlsx`),
}

export const attachmentsApi = {
  upload: (file: File, formId: number, field: string) => {
    const form = new FormData()
    form.append('file', file)
    form.append('form_id', String(formId))
    form.append('field', field)
    return http.upload<Attachment>('/attachments', form)
  },
  /** A file for the decision the caller is about to make on a flow task. */
  uploadForTask: (file: File, taskId: number) => {
    const form = new FormData()
    form.append('file', file)
    form.append('task_id', String(taskId))
    return http.upload<Attachment>('/attachments', form)
  },
  url: (id: number) => `/api/v1/attachments/${id}`,
}
