/**
 * Reading app packages and their reports for people: a file read into a package, what an
 * import creates or keeps (by name, never by key), where each problem is (the form, field,
 * flow or record it concerns, from its path in the package), and an install's progress.
 */
import { labelText } from '@/forms/labels'
import type { Label } from '@/api/formTypes'
import { PACKAGE_PARTS, type AppPackage, type InstallJob, type PackagePart, type ReportEntry } from './packageTypes'

export const PACKAGE_FORMAT = 'greenshelf.app/1'

export type FileReading = { pkg: AppPackage } | { error: 'notJson' | 'notPackage' }

/** A chosen file's text as a package; the server checks the rest (format version included). */
export function readPackageFile(text: string): FileReading {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { error: 'notJson' }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'notPackage' }
  const pkg = value as AppPackage
  if (typeof pkg.format !== 'string' || !pkg.format.startsWith('greenshelf.app/')) return { error: 'notPackage' }
  return { pkg }
}

export interface SectionItem {
  name: string
  /** forms: fields; sample data: records */
  count?: number
  /** connectors: settings to enter before switching it on */
  secrets?: string[]
}

export interface ReportSection {
  part: PackagePart
  items: SectionItem[]
}

/** The non-empty parts of a report's create or keep lists, in install order, by name. */
export function reportSections(entries: Partial<Record<PackagePart, ReportEntry[]>>, locale: string): ReportSection[] {
  const sections: ReportSection[] = []
  for (const part of PACKAGE_PARTS) {
    const list = entries[part] ?? []
    if (!list.length) continue
    sections.push({
      part,
      items: list.map((entry) => ({
        name: labelText(entry.label, locale),
        count: part === 'forms' ? entry.fields : part === 'data' ? entry.rows : undefined,
        secrets: part === 'connectors' ? entry.secrets : undefined,
      })),
    })
  }
  return sections
}

/** Where a problem is, as a person names it. */
export interface ProblemPlace {
  /** file: the package as a whole (not a package, another version); users: people it names */
  part: PackagePart | 'file' | 'users'
  /** the part's name; empty when the package does not name it */
  name: string
  /** 1-based position of the part in the file, for a part without a name */
  position?: number
  /** the form field concerned */
  field?: string
  /** 1-based sample record */
  row?: number
}

const LISTS = ['forms', 'flows', 'rules', 'charts', 'dashboards', 'roles', 'connectors'] as const
type ListPart = (typeof LISTS)[number]

function nameOf(entry: Record<string, unknown> | undefined, locale: string): string {
  if (!entry) return ''
  const label = (entry.label ?? entry.name) as Label | undefined
  return labelText(label ?? null, locale)
}

const isIndex = (text: string | undefined) => text !== undefined && /^\d+$/.test(text)

/** The place of a problem reported under `path` (e.g. forms.1.meta.fields.4.type). */
export function problemPlace(path: string, pkg: AppPackage | null, locale: string): ProblemPlace {
  const [head, second, ...rest] = path.split('.')
  if (head === 'users') return { part: 'users', name: '' }
  if (head === 'app') return { part: 'app', name: labelText(pkg?.app?.label ?? null, locale) }
  if ((LISTS as readonly string[]).includes(head) && isIndex(second)) {
    const part = head as ListPart
    const index = Number(second)
    const entries = (pkg?.[part] ?? []) as Record<string, unknown>[]
    const entry = Array.isArray(entries) ? entries[index] : undefined
    const place: ProblemPlace = { part, name: nameOf(entry, locale), position: index + 1 }
    if (part === 'forms' && rest[0] === 'meta' && rest[1] === 'fields' && isIndex(rest[2])) {
      const fields = pkg?.forms?.[index]?.meta?.fields ?? []
      place.field = labelText(fields[Number(rest[2])]?.label ?? null, locale) || undefined
    }
    return place
  }
  if (head === 'data' && second) {
    const form = (pkg?.forms ?? []).find((f) => f.key === second)
    const place: ProblemPlace = { part: 'data', name: labelText(form?.label ?? null, locale) }
    if (isIndex(rest[0])) place.row = Number(rest[0]) + 1
    return place
  }
  if ((PACKAGE_PARTS as readonly string[]).includes(head)) return { part: head as PackagePart, name: '' }
  return { part: 'file', name: '' }
}

export function isFinished(job: InstallJob): boolean {
  return job.status === 'done' || job.status === 'failed'
}

/** How far an install is, 0-100: the app first, then the demo records one by one. */
export function installPercent(job: InstallJob): number {
  if (job.status === 'done') return 100
  if (job.status === 'queued') return 0
  if (job.step !== 'data' || !job.total) return 5
  return Math.min(99, Math.round(5 + (95 * job.processed) / job.total))
}
