/** The tenant's outbound allow-list (private hosts connectors may call), for its administrators. */
import { http } from './http'

export interface AllowEntry {
  entry: string
  note: string
  updated_at?: string
}

export interface Allowlist {
  entries: AllowEntry[]
  /** allowed by the installation (GS_OUTBOUND_ALLOWLIST), not editable here */
  environment: string[]
}

export const outboundApi = {
  get: () => http.get<Allowlist>('/outbound-allowlist'),
  save: (entries: AllowEntry[]) => http.put<Allowlist>('/outbound-allowlist', { entries: entries.map(({ entry, note }) => ({ entry, note })) }),
}
