/**
 * Every call about app packages: export, import (and its preview), and the template
 * gallery with its installs. When the back end's contract moves, this is the file to change.
 */
import { download, http } from '@/api/http'
import type { ItemList } from '@/api/types'
import type { AppPackage, ImportedApp, InstallJob, PackageReport, TemplateItem } from './packageTypes'

export const packagesApi = {
  /** The app as one package file; with data, its records too (at most 10,000 per form). */
  exportFile: (appId: number, withData: boolean) => download(`/apps/${appId}/export`, { with_data: withData }),
  preview: (pkg: AppPackage) => http.post<PackageReport>('/apps/import/preview', pkg),
  import: (pkg: AppPackage) => http.post<ImportedApp>('/apps/import', pkg),
}

export const templatesApi = {
  list: () => http.get<ItemList<TemplateItem>>('/templates'),
  preview: (name: string) => http.get<PackageReport>(`/templates/${encodeURIComponent(name)}/preview`),
  install: (name: string, demo: boolean) => http.post<InstallJob>(`/templates/${encodeURIComponent(name)}/install`, { demo }),
  job: (id: number) => http.get<InstallJob>(`/templates/jobs/${id}`),
}
