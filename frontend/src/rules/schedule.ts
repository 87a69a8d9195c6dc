/** Cron presets of the rule schedule; anything else is typed and checked by the server. */
export const SCHEDULE_PRESETS = [
  { id: 'daily', cron: '0 2 * * *' },
  { id: 'hourly', cron: '0 * * * *' },
  { id: 'quarter', cron: '*/15 * * * *' },
] as const

export const DEFAULT_SCHEDULE = SCHEDULE_PRESETS[0].cron

export function presetOf(cron: string): string | null {
  const normal = cron.trim().replace(/\s+/g, ' ')
  return SCHEDULE_PRESETS.find((p) => p.cron === normal)?.id ?? null
}
