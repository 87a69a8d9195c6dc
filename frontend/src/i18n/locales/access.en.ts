/** English messages of keys made from names ("Advanced"), the outbound allow-list and the explanation shown when something cannot be opened (merged into en). */
export default {
  keys: {
    advanced: 'Advanced',
    key: 'Key',
    placeholder: 'Left empty, it is made from the name',
    hint: 'The identifier APIs, exports and integrations use: starts with a lowercase letter; lowercase letters, digits and _ only. It cannot be changed once created.',
  },
  allowlist: {
    title: 'Outbound allow-list',
    intro: 'Connectors may not call private, loopback or link-local addresses unless listed here. List the hosts or networks they may reach (e.g. 10.0.0.8, 10.0.0.0/24, erp.internal).',
    fromEnvironment: 'Already allowed by the deployment (GS_OUTBOUND_ALLOWLIST):',
    noneFromEnvironment: 'The deployment allows no private address.',
    entry: 'Host or network',
    note: 'Note',
    notePlaceholder: 'e.g. Kingdee ERP server',
    add: 'Add a row',
    empty: 'No address yet.',
    saved: 'Allow-list saved',
    remove: 'Remove this row',
  },
  noAccess: {
    page: 'Your roles do not allow this page. Ask an administrator if you need it.',
    title: 'Cannot be opened',
    record: 'You may not view this record, or it was deleted. Ask the form administrator for access if you need to handle it.',
    task: 'This task no longer exists, was handled by someone else, or is no longer assigned to you.',
    back: 'Back',
  },
}
