#!/usr/bin/env node
// score.js: what `kneecheck assess --batch` does, done in JavaScript with one
// of the JavaScript JsonLogic engines, so that the engines can be compared end
// to end on the same rules, the same answers and the same results.
//
//   node score.js --engine ENGINE [--rules FILE] [--date YYYY-MM-DD]
//                 [--output full|compact] ANSWERS_JSONL > results.jsonl
//
// ENGINE:
//   json-logic-engine        json-logic-engine 5.x, every condition compiled once with build()
//   json-logic-engine-run    json-logic-engine 5.x, interpreted with run()
//   json-logic-js            json-logic-js 2.x, apply() (it has no compiled mode)
//
// Like kneecheck (src/batch.cpp, answers.cpp, engine.cpp, report.cpp), for
// every line: parse the answers object; check it against the questions (ids,
// types, options, ranges, ask_if in rule-file order; a bad line gives an
// error record); add the derived values in order, leaving out null ones; raise
// the red flags whose condition holds, most pressing first (urgent, then soon,
// each in file order); score every cause: score = round(100 *
// min(1, matched weight / scoring.full_weight)), band by scoring.bands; rank by
// score, then matched weight, then file order; escalate to the most pressing
// red flag, else `routine` when escalation.routine.when holds, else
// `self_care`, with a review date for the last two.
//
// --output full (the default) writes the assessment in the shape of
// kneecheck's JSON report (the answers behind each match, advice, messages,
// disclaimer): the same result kneecheck writes. --output compact writes only
// the projection bench/compare.js compares, to show what the conditions alone
// cost.
//
// Conditions are evaluated by the chosen engine, truthiness is the engine's
// own (jsonLogic.truthy, engine.truthy).
'use strict'

const fs = require('fs')
const { writeAll } = require('./write_all')
const path = require('path')
const { project } = require('./projection')

const options = {
  engine: null,
  rules: path.join(__dirname, '..', 'data', 'rules.json'),
  date: null,
  output: 'full',
  input: null
}
const args = process.argv.slice(2)
for (let i = 0; i < args.length; i++) {
  const arg = args[i]
  if (arg === '--engine') options.engine = args[++i]
  else if (arg === '--rules') options.rules = args[++i]
  else if (arg === '--date') options.date = args[++i]
  else if (arg === '--output') options.output = args[++i]
  else if (arg.startsWith('-') && arg !== '-') usage(`unknown option ${arg}`)
  else options.input = arg
}
if (!options.engine || !options.input) usage('--engine and an answers file are needed')
if (!['full', 'compact'].includes(options.output)) usage('--output is full or compact')

function usage (message) {
  console.error(`score.js: ${message}\nusage: score.js --engine json-logic-engine|json-logic-engine-run|json-logic-js ` +
    '[--rules FILE] [--date YYYY-MM-DD] [--output full|compact] ANSWERS_JSONL')
  process.exit(2)
}

// --- the engine ------------------------------------------------------------

// compile(rule) -> function(data) -> value; truthy(value) -> boolean.
function makeEngine (name) {
  if (name === 'json-logic-js') {
    const jsonLogic = require('json-logic-js')
    return { compile: (rule) => (data) => jsonLogic.apply(rule, data), truthy: jsonLogic.truthy }
  }
  if (name === 'json-logic-engine' || name === 'json-logic-engine-run') {
    const { LogicEngine } = require('json-logic-engine')
    const engine = new LogicEngine()
    const compile = name === 'json-logic-engine'
      ? (rule) => engine.build(rule)
      : (rule) => (data) => engine.run(rule, data)
    return { compile, truthy: (value) => engine.truthy(value) }
  }
  usage(`unknown engine ${name}`)
}
const engine = makeEngine(options.engine)

// --- the rules -------------------------------------------------------------

const asList = (source) => (source === undefined ? [] : Array.isArray(source) ? source : [source])

// Every constant path a condition reads with var (or names in missing /
// missing_some), in order of first appearance: the answers shown as evidence.
function variablesOf (rule) {
  const found = []
  const add = (p) => { if (!found.includes(p)) found.push(p) }
  const walk = (node) => {
    if (Array.isArray(node)) { node.forEach(walk); return }
    if (node === null || typeof node !== 'object') return
    const keys = Object.keys(node)
    if (keys.length !== 1) return
    const op = keys[0]
    const arg = node[op]
    if (op === 'var') {
      const p = Array.isArray(arg) ? arg[0] : arg
      if (typeof p === 'string' || typeof p === 'number') add(String(p))
      else walk(arg)
    } else if (op === 'missing') {
      for (const p of asList(arg)) if (typeof p === 'string') add(p); else walk(p)
    } else if (op === 'missing_some') {
      const list = Array.isArray(arg) ? arg[1] : undefined
      if (Array.isArray(list)) for (const p of list) if (typeof p === 'string') add(p)
    } else {
      walk(arg)
    }
  }
  walk(rule)
  return found
}

function condition (rule) {
  const evaluate = engine.compile(rule)
  const matches = (data) => engine.truthy(evaluate(data))
  return { evaluate, matches, variables: variablesOf(rule) }
}

function loadRules (file) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'))
  const questions = doc.questions.map((q) => {
    const question = {
      id: q.id,
      type: q.type,
      optional: q.optional === true,
      unit: q.unit ?? '',
      options: q.options ?? [],
      optionLabels: new Map((q.options ?? []).map((o) => [o.value, o.label])),
      min: q.type === 'scale' ? 0 : q.min,
      max: q.type === 'scale' ? 10 : q.max,
      integer: q.type === 'scale' ? true : q.integer === true,
      askIf: q.ask_if === undefined ? null : condition(q.ask_if)
    }
    question.expected = question.options.map((o) => `"${o.value}"`).join(', ')
    return question
  })
  const level = (l) => ({
    when: l.when === undefined ? null : condition(l.when),
    message: l.message,
    reviewInDays: l.review_in_days,
    source: asList(l.source)
  })
  return {
    id: doc.id,
    version: doc.version,
    questions,
    questionById: new Map(questions.map((q) => [q.id, q])),
    fullWeight: doc.scoring.full_weight,
    moderate: doc.scoring.bands.moderate,
    high: doc.scoring.bands.high,
    derived: (doc.derived ?? []).map((d) => ({ id: d.id, value: condition(d.value) })),
    redFlags: doc.red_flags.map((f) => ({
      id: f.id, level: f.level, message: f.message, source: asList(f.source), when: condition(f.when)
    })),
    causes: doc.causes.map((c) => ({
      id: c.id,
      title: c.title,
      summary: c.summary,
      indicators: c.indicators.map((i) => ({
        id: i.id, weight: i.weight, because: i.because, source: asList(i.source), when: condition(i.when)
      })),
      advice: c.advice.map((a) => ({ text: a.text, source: asList(a.source), for: a.for ?? [] }))
    })),
    routine: level(doc.escalation.routine),
    selfCare: level(doc.escalation.self_care),
    disclaimer: { text: doc.disclaimer.text, not_covered: doc.disclaimer.not_covered }
  }
}

const rules = loadRules(options.rules)

// --- checking answers (src/answers.cpp, interview.cpp) ---------------------

const pointerTo = (id) => '/' + id.replace(/~/g, '~0').replace(/\//g, '~1')

function rangeText (q) {
  return `${q.min} to ${q.max}${q.unit ? ' ' + q.unit : ''}`
}

// The value to keep, or a string saying what is wrong.
function checkAnswer (q, value) {
  switch (q.type) {
    case 'choice':
      if (typeof value === 'string' && q.optionLabels.has(value)) return { value }
      return { problem: `expected one of ${q.expected}` }
    case 'multi': {
      if (!Array.isArray(value)) return { problem: 'expected an array of option values' }
      const seen = new Set()
      for (const item of value) {
        if (typeof item !== 'string' || !q.optionLabels.has(item)) {
          return { problem: `${JSON.stringify(item)} is not an option of this question` }
        }
        if (seen.has(item)) return { problem: `${JSON.stringify(item)} is listed twice` }
        seen.add(item)
      }
      return { value }
    }
    case 'yes_no':
      if (typeof value === 'boolean') return { value }
      return { problem: 'expected true or false' }
    case 'number':
    case 'scale':
      if (typeof value !== 'number') return { problem: `expected a number from ${rangeText(q)}` }
      if (q.integer && !Number.isInteger(value)) return { problem: `enter a whole number from ${rangeText(q)}` }
      if (value < q.min || value > q.max) {
        return { problem: `enter a ${q.integer ? 'whole ' : ''}number from ${rangeText(q)}` }
      }
      return { value }
  }
  return { problem: 'unknown question type' }
}

function checkAnswers (object) {
  const answers = {}
  const errors = []
  if (object === null || typeof object !== 'object' || Array.isArray(object)) {
    errors.push({ pointer: '', message: 'expected a JSON object of question id -> answer' })
    return { answers, errors }
  }
  for (const id of Object.keys(object)) {
    if (!rules.questionById.has(id)) errors.push({ pointer: pointerTo(id), message: `unknown question id "${id}"` })
  }
  for (const q of rules.questions) {
    const value = object[q.id]
    const given = value !== undefined && value !== null
    if (q.askIf !== null && !q.askIf.matches(answers)) {
      if (given) {
        errors.push({
          pointer: pointerTo(q.id),
          message: 'answered, but this question is not asked given the earlier answers (its ask_if is false)'
        })
      }
      continue
    }
    if (!given) {
      if (!q.optional) errors.push({ pointer: pointerTo(q.id), message: 'missing: this question needs an answer' })
      continue
    }
    const checked = checkAnswer(q, value)
    if (checked.problem !== undefined) {
      errors.push({ pointer: pointerTo(q.id), message: `${JSON.stringify(value)} is not a valid answer: ${checked.problem}` })
      continue
    }
    answers[q.id] = checked.value
  }
  return { answers, errors }
}

// --- scoring (src/engine.cpp) ------------------------------------------------

const LEVEL_ORDER = { urgent: 0, soon: 1, routine: 2, self_care: 3 }

function formatNumber (value) {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)))
}

function shownValue (id, value) {
  if (value === null || value === undefined) return 'not answered'
  const q = rules.questionById.get(id)
  if (q === undefined) return typeof value === 'number' ? formatNumber(value) : JSON.stringify(value)
  const label = (item) => (typeof item === 'string' ? q.optionLabels.get(item) ?? item : JSON.stringify(item))
  switch (q.type) {
    case 'choice': return label(value)
    case 'multi': return value.length === 0 ? 'none of these' : value.map(label).join(', ')
    case 'yes_no': return value ? 'yes' : 'no'
    default:
      return formatNumber(value) + (q.unit ? ' ' + q.unit : '') + (q.type === 'scale' ? ' of 10' : '')
  }
}

function evidenceFor (cond, answers) {
  const evidence = []
  for (const p of cond.variables) {
    const dot = p.indexOf('.')
    const id = dot === -1 ? p : p.slice(0, dot)
    if (evidence.some((item) => item.id === id)) continue
    const value = Object.prototype.hasOwnProperty.call(answers, id) ? answers[id] : null
    evidence.push({ id, value, shown: shownValue(id, value) })
  }
  return evidence
}

function withDerivedValues (answers) {
  const all = { ...answers }
  for (const derived of rules.derived) {
    const value = derived.value.evaluate(all)
    if (value !== null && value !== undefined) all[derived.id] = value
  }
  return all
}

function sortedKeys (object) {
  const sorted = {}
  for (const key of Object.keys(object).sort()) sorted[key] = object[key]
  return sorted
}

function addDays (isoDate, days) {
  const d = new Date(isoDate + 'T00:00:00Z')
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

function score (answers, date) {
  const all = withDerivedValues(answers)
  const flags = []
  for (const flag of rules.redFlags) {
    if (flag.when.matches(all)) {
      flags.push({ id: flag.id, level: flag.level, message: flag.message, source: flag.source, answers: evidenceFor(flag.when, all) })
    }
  }
  flags.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]) // stable
  const causes = rules.causes.map((cause) => {
    let matchedWeight = 0
    const matched = []
    for (const indicator of cause.indicators) {
      if (!indicator.when.matches(all)) continue
      matchedWeight += indicator.weight
      matched.push({
        id: indicator.id,
        because: indicator.because,
        weight: indicator.weight,
        source: indicator.source,
        answers: evidenceFor(indicator.when, all)
      })
    }
    const value = Math.round(100 * Math.min(1, matchedWeight / rules.fullWeight))
    const band = value >= rules.high ? 'high' : value >= rules.moderate ? 'moderate' : 'low'
    const advice = []
    for (const specific of [false, true]) {
      for (const item of cause.advice) {
        if ((item.for.length === 0) === specific) continue
        if (specific && !matched.some((m) => item.for.includes(m.id))) continue
        advice.push({ text: item.text, source: item.source })
      }
    }
    return { id: cause.id, title: cause.title, summary: cause.summary, score: value, band, matchedWeight, matched, advice }
  })
  causes.sort((a, b) => (a.score !== b.score ? b.score - a.score : b.matchedWeight - a.matchedWeight)) // stable
  let escalation
  if (flags.length > 0) {
    escalation = { level: flags[0].level, message: flags[0].message, review_by: null, source: flags[0].source }
  } else {
    const routine = rules.routine.when !== null && rules.routine.when.matches(all)
    const level = routine ? rules.routine : rules.selfCare
    escalation = {
      level: routine ? 'routine' : 'self_care',
      message: level.message,
      review_by: addDays(date, level.reviewInDays),
      source: level.source
    }
  }
  return {
    kneecheck_assessment: 1,
    rules: { id: rules.id, version: rules.version },
    date,
    escalation,
    red_flags: flags,
    any_cause_indicated: causes.some((c) => c.matched.length > 0),
    causes: causes.map((c, i) => ({
      rank: i + 1, id: c.id, title: c.title, summary: c.summary, score: c.score, band: c.band, matched: c.matched, advice: c.advice
    })),
    answers: sortedKeys(all), // kneecheck keeps answers in a std::map
    disclaimer: rules.disclaimer
  }
}

// --- the batch (src/batch.cpp) -----------------------------------------------

function assessLine (line, lineNumber, date) {
  let document
  try {
    document = JSON.parse(line)
  } catch (error) {
    return { line: lineNumber, error: 'invalid JSON', problems: [{ pointer: '', message: error.message }] }
  }
  const check = checkAnswers(document)
  if (check.errors.length > 0) return { line: lineNumber, error: 'invalid answers', problems: check.errors }
  return score(check.answers, date)
}

const date = options.date ?? new Date().toISOString().slice(0, 10)
const text = fs.readFileSync(options.input === '-' ? 0 : options.input, 'utf8')
const write = options.output === 'full' ? (record) => JSON.stringify(record) : (record) => project(record)

let out = ''
let lineNumber = 0
let failed = 0
let start = 0
while (start < text.length) {
  let end = text.indexOf('\n', start)
  if (end === -1) end = text.length
  const line = text.slice(start, end)
  start = end + 1
  ++lineNumber
  if (line.trim() === '') continue
  const record = assessLine(line, lineNumber, date)
  if (record.error !== undefined) failed++
  out += write(record) + '\n'
  if (out.length > 1 << 20) {
    writeAll(1, out)
    out = ''
  }
}
if (out.length > 0) writeAll(1, out)
if (failed > 0) {
  console.error(`score.js: ${failed} of ${lineNumber} lines had invalid answers; their error records say why`)
  process.exitCode = 1
}
