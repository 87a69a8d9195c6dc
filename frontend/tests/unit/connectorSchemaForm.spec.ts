import { describe, expect, it } from 'vitest'
import {
  SECRET_MASK,
  buildPayload,
  fieldsOf,
  initialValues,
  placeServerErrors,
  storedSecrets,
  type JsonSchema,
} from '@/connectors/schemaForm'

/** Settings schemas as the connector types publish them at /connector-types. */
const dingtalkRobot: JsonSchema = {
  type: 'object',
  required: ['webhook_url'],
  additionalProperties: false,
  properties: {
    webhook_url: { type: 'string', minLength: 8 },
    secret: { type: 'string' },
  },
}

const webhook: JsonSchema = {
  type: 'object',
  required: ['url', 'secret'],
  properties: {
    url: { type: 'string', minLength: 8 },
    secret: { type: 'string', minLength: 16 },
    events: { type: 'array', uniqueItems: true, items: { enum: ['record.created', 'flow.finished'] }, description: 'events posted here' },
    forms: { type: 'array', items: { type: 'string' } },
  },
}

const kingdee: JsonSchema = {
  type: 'object',
  required: ['base_url', 'acct_id', 'username', 'password'],
  properties: {
    base_url: { type: 'string' },
    acct_id: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    lcid: { type: 'integer', default: 2052 },
  },
}

const dingtalkApp: JsonSchema = {
  type: 'object',
  required: ['app_key', 'app_secret', 'agent_id'],
  properties: {
    base_url: { type: 'string' },
    app_key: { type: 'string' },
    app_secret: { type: 'string' },
    agent_id: { type: ['string', 'integer'] },
  },
}

const sendText: JsonSchema = {
  type: 'object',
  required: ['user_ids', 'content'],
  properties: {
    user_ids: { type: 'array', minItems: 1, items: { type: 'string' } },
    content: { type: 'string', maxLength: 20000 },
    at_all: { type: 'boolean' },
    security: { enum: ['none', 'starttls', 'ssl'], default: 'starttls' },
    data: { type: 'object' },
    ratio: { type: 'number', minimum: 0, maximum: 1 },
  },
}

describe('schema -> form fields', () => {
  it('reads each property as a field of the right kind, secrets by the type’s secret list', () => {
    const fields = fieldsOf(sendText)
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['user_ids', 'list', true],
      ['content', 'text', true],
      ['at_all', 'boolean', false],
      ['security', 'enum', false],
      ['data', 'json', false],
      ['ratio', 'number', false],
    ])
    expect(fields.find((f) => f.name === 'security')?.options).toEqual(['none', 'starttls', 'ssl'])
    expect(fields.find((f) => f.name === 'data')?.jsonObject).toBe(true)
    expect(fieldsOf(dingtalkRobot, ['secret']).map((f) => [f.name, f.kind])).toEqual([
      ['webhook_url', 'string'],
      ['secret', 'secret'],
    ])
  })

  it('puts required fields first and types a string-or-integer id as text', () => {
    const fields = fieldsOf(dingtalkApp, ['app_secret'])
    expect(fields.map((f) => f.name)).toEqual(['app_key', 'app_secret', 'agent_id', 'base_url'])
    expect(fields.find((f) => f.name === 'agent_id')?.kind).toBe('string')
  })

  it('offers an enum list (event subscriptions) as a choice of its values, with the hint', () => {
    const events = fieldsOf(webhook, ['secret']).find((f) => f.name === 'events')
    expect(events).toMatchObject({ kind: 'list', options: ['record.created', 'flow.finished'], description: 'events posted here' })
  })

  it('starts new settings from the defaults', () => {
    const values = initialValues(fieldsOf(kingdee, ['password']))
    expect(values).toEqual({ base_url: '', acct_id: '', username: '', password: '', lcid: 2052 })
    expect(initialValues(fieldsOf(sendText)).security).toBe('starttls')
  })
})

describe('saved settings', () => {
  const fields = fieldsOf(webhook, ['secret'])
  const saved = { url: 'https://erp.example.com/in', secret: SECRET_MASK, events: ['flow.finished'] }

  it('never puts a stored secret into the form, but remembers that one is stored', () => {
    const values = initialValues(fields, saved)
    expect(values).toEqual({ url: 'https://erp.example.com/in', secret: '', events: ['flow.finished'], forms: [] })
    expect([...storedSecrets(fields, saved)]).toEqual(['secret'])
    expect([...storedSecrets(fields, { url: 'x' })]).toEqual([])
  })

  it('keeps a stored secret left empty by sending the mask back', () => {
    const values = initialValues(fields, saved)
    const built = buildPayload(fields, values, storedSecrets(fields, saved))
    expect(built.problems).toEqual([])
    expect(built.payload).toEqual({ url: 'https://erp.example.com/in', secret: SECRET_MASK, events: ['flow.finished'] })
  })

  it('replaces a stored secret with a typed one, checked like any value', () => {
    const stored = storedSecrets(fields, saved)
    const short = buildPayload(fields, { ...initialValues(fields, saved), secret: 'too-short' }, stored)
    expect(short.problems).toEqual([{ path: 'secret', keyword: 'minLength', params: { n: 16 } }])
    const typed = buildPayload(fields, { ...initialValues(fields, saved), secret: ' new-secret-0123456789 ' }, stored)
    expect(typed.payload.secret).toBe(' new-secret-0123456789 ')
  })

  it('asks for a required secret that nothing is stored for', () => {
    const built = buildPayload(fields, { url: 'https://a.example.com', secret: '' })
    expect(built.problems).toEqual([{ path: 'secret', keyword: 'required' }])
  })
})

describe('form values -> JSON', () => {
  const fields = fieldsOf(sendText)

  it('coerces, trims and leaves out empty optional fields', () => {
    const built = buildPayload(fields, {
      user_ids: [' manager01 ', '', 'clerk02'],
      content: '  批次 B-001 临期  ',
      at_all: false,
      security: null,
      data: '{"batch": "B-001", "qty": 3}',
      ratio: null,
    })
    expect(built.problems).toEqual([])
    expect(built.payload).toEqual({ user_ids: ['manager01', 'clerk02'], content: '批次 B-001 临期', at_all: false, data: { batch: 'B-001', qty: 3 } })
  })

  it('reports each value it cannot send, by field', () => {
    const built = buildPayload(fields, { user_ids: [], content: '', at_all: true, security: 'ssl', data: '[1, 2]', ratio: 1.5 })
    expect(built.problems).toEqual([
      { path: 'user_ids', keyword: 'required' },
      { path: 'content', keyword: 'required' },
      { path: 'data', keyword: 'object' },
      { path: 'ratio', keyword: 'maximum', params: { n: 1 } },
    ])
    expect(buildPayload(fields, { user_ids: ['a'], content: 'x', data: '{oops' }).problems).toEqual([{ path: 'data', keyword: 'json' }])
  })

  it('refuses a fraction where the schema wants an integer', () => {
    const lcid = fieldsOf(kingdee, ['password'])
    const built = buildPayload(lcid, { base_url: 'http://k3', acct_id: '1', username: 'u', password: 'p', lcid: 20.5 })
    expect(built.problems).toEqual([{ path: 'lcid', keyword: 'integer' }])
  })
})

describe('text fields', () => {
  const gateway: JsonSchema = {
    type: 'object',
    required: ['url', 'body'],
    properties: {
      url: { type: 'string', minLength: 8, maxLength: 2000 },
      body: { type: ['string', 'object', 'null'] },
      sender_name: { type: 'string' },
      ca_certificate: { type: 'string' },
    },
  }
  const fields = fieldsOf(gateway)

  it('edits messages, templates and certificates on several lines', () => {
    expect(fields.map((f) => [f.name, f.kind])).toEqual([
      ['url', 'string'],
      ['body', 'text'],
      ['sender_name', 'string'],
      ['ca_certificate', 'text'],
    ])
  })

  it('sends a body typed as a JSON object as the object, any other text as typed', () => {
    const saved = { url: 'https://sms.example.com/send', body: { to: '{{ phone }}', text: '{{ message }}' } }
    const values = initialValues(fields, saved)
    expect(values.body).toBe(JSON.stringify(saved.body, null, 2))
    expect(buildPayload(fields, values).payload).toEqual(saved)
    const text = buildPayload(fields, { ...values, body: 'to={{ phone }}&text={{ message }}' }).payload
    expect(text.body).toBe('to={{ phone }}&text={{ message }}')
    const broken = buildPayload(fields, { ...values, body: '{"to": ' }).payload
    expect(broken.body).toBe('{"to":')
  })
})

describe('server errors -> fields', () => {
  const fields = fieldsOf(dingtalkRobot, ['secret'])

  it('places paths with or without the config prefix, and paths inside a field', () => {
    const placed = placeServerErrors(
      { webhook_url: ["'x' is too short"], 'config.secret': ['Bad secret'], key: ['Already in use.'], 'label.zh': ['Required'] },
      fields,
    )
    expect(placed.fields).toEqual({ webhook_url: "'x' is too short", secret: 'Bad secret' })
    expect(placed.rest).toEqual({ key: 'Already in use.', 'label.zh': 'Required' })
    expect(placed.general).toEqual([])
    const inside = placeServerErrors({ 'inputs.user_ids.0': ['Not a string'] }, fieldsOf(sendText), 'inputs')
    expect(inside.fields).toEqual({ user_ids: 'Not a string' })
  })

  it('sends "x is a required property" on the whole object to field x, the rest to the general list', () => {
    const placed = placeServerErrors({ _body: ["'webhook_url' is a required property", 'Additional properties are not allowed'] }, fields)
    expect(placed.fields).toEqual({ webhook_url: "'webhook_url' is a required property" })
    expect(placed.general).toEqual(['Additional properties are not allowed'])
  })
})
