/** The small badge that tells connector types apart at a glance in lists. */

export interface TypeBadge {
  text: string
  color: string
}

/** By the type name's family (its first word): dingtalk_robot and dingtalk_app share one. */
const FAMILIES: Record<string, TypeBadge> = {
  dingtalk: { text: '钉', color: '#1677ff' },
  wecom: { text: '企', color: '#2aae67' },
  email: { text: '@', color: '#d46b08' },
  smtp: { text: '@', color: '#d46b08' },
  sms: { text: 'SMS', color: '#722ed1' },
  http: { text: 'API', color: '#13a8a8' },
  rest: { text: 'API', color: '#13a8a8' },
  webhook: { text: 'WH', color: '#595959' },
  kingdee: { text: 'K3', color: '#1d39c4' },
  yonyou: { text: 'YY', color: '#cf1322' },
}

export function typeBadge(type: string): TypeBadge {
  const family = type.split('_')[0]
  return FAMILIES[family] ?? { text: type.slice(0, 2).toUpperCase(), color: '#8c8c8c' }
}
