/** Links that notifications carry (written for the mobile app) turned into console routes. */

export function consoleLink(link: string | null | undefined): string {
  if (!link) return '/todos'
  const record = /^\/m\/forms\/(\d+)\/records\/(\d+)/.exec(link)
  if (record) return `/records/${record[1]}/${record[2]}`
  const task = /^\/m\/tasks\/(\d+)$/.exec(link)
  if (task) return `/flows/tasks/${task[1]}`
  if (link === '/m' || link.startsWith('/m/')) return '/todos'
  return link.startsWith('/') && !link.startsWith('//') ? link : '/todos'
}

/** The record link a message body ends with (".../m/forms/3/records/9"), if any. */
export function recordLinkIn(body: string): string | null {
  const found = /\/m\/forms\/\d+\/records\/\d+/.exec(body)
  return found ? found[0] : null
}

/** Where a message opens on the phone (a route of the mobile app), if anywhere. */
export function mobileLink(note: { body: string; link?: string | null }): string | null {
  const inside = recordLinkIn(note.body) ?? note.link ?? ''
  return /^\/m\/(forms\/\d+\/records|tasks)\/\d+$/.test(inside) ? inside.slice(2) : null
}

/** The message body without the trailing record link, for display. */
export function bodyText(body: string): string {
  return body.replace(/\n?\/m\/forms\/\d+\/records\/\d+\s*$/, '').trim()
}
