/**
 * Keys of new charts and dashboards. People name them by their labels; the key only has
 * to be unique and stable, so it is made from the time and a random part, never shown.
 */
export function newKey(prefix: 'chart' | 'dashboard', now = Date.now(), random = Math.random()): string {
  return `${prefix}_${now.toString(36)}${Math.floor(random * 36 ** 3).toString(36).padStart(3, '0')}`
}
