/** Shapes of app packages, their import reports, the template gallery and its installs. */
import type { Label } from '@/api/formTypes'

/** The parts of a package, in the order an import installs them. */
export const PACKAGE_PARTS = ['app', 'roles', 'forms', 'connectors', 'flows', 'rules', 'charts', 'dashboards', 'data'] as const
export type PackagePart = (typeof PACKAGE_PARTS)[number]

/** One entry of a report: what it is called, and counts where they tell something. */
export interface ReportEntry {
  key?: string
  label?: Label
  /** forms: how many fields */
  fields?: number
  /** sample data: which form, how many records */
  form?: string
  rows?: number
  /** connectors: the settings someone must enter before switching it on */
  secrets?: string[]
}

/** What importing a package creates, keeps as it is, and every problem by its path. */
export interface PackageReport {
  importable: boolean
  create: Partial<Record<PackagePart, ReportEntry[]>>
  keep: Partial<Record<PackagePart, ReportEntry[]>>
  problems: Record<string, string[]>
  missing_users: string[]
}

/** An app package (greenshelf.app/1) as read from a file; only what the console reads is typed. */
export interface AppPackage {
  format?: unknown
  app?: { key?: string; label?: Label }
  forms?: { key?: string; label?: Label; meta?: { fields?: { key?: string; label?: Label }[] } }[]
  flows?: { key?: string; name?: string }[]
  rules?: { key?: string; label?: Label }[]
  charts?: { key?: string; label?: Label }[]
  dashboards?: { key?: string; label?: Label }[]
  roles?: { code?: string; name?: string }[]
  connectors?: { key?: string; label?: Label }[]
  data?: Record<string, unknown[]>
  [part: string]: unknown
}

export interface TemplateContents {
  forms: Label[]
  flows: Label[]
  rules: Label[]
  charts: Label[]
  dashboards: Label[]
  roles: Label[]
  connectors: Label[]
}

export interface TemplateItem {
  name: string
  label: Label
  description: string
  icon: string
  /** it can bring demo records */
  demo: boolean
  contents: TemplateContents
  /** the app it installed in this tenant, if it did */
  app_id: number | null
}

export type InstallStatus = 'queued' | 'running' | 'done' | 'failed'

export interface InstallJob {
  id: number
  template: string
  demo: boolean
  status: InstallStatus
  /** app: the package; data: the demo records */
  step: 'app' | 'data'
  total: number
  processed: number
  app_id: number | null
  message: string
  errors: Record<string, string[]>
  lines: string[]
}

export interface ImportedApp {
  id: number
  key: string
  label: Label
  report: PackageReport
}
