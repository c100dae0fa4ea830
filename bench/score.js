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
// Like kneecheck (src/batch.cpp, answers.cpp, flags.cpp, engine.cpp,
// report.cpp), for every line: parse the answers object; check it against the
// questions (ids, types, options, ranges, exclusive options, min_choices,
// ask_if in rule-file order; a missing required answer is fine once the
// answers before it decide an urgent red flag, as the interview stops there;
// a bad line gives an error record); add the derived values in order, leaving
// out null ones; raise the red flags whose condition holds, most pressing
// first (urgent, then soon, each in file order), and withhold advice by them
// (an urgent flag: all cause advice; a flag with withholds_load_advice: load
// advice); score every cause: an indicator counts its points (a number, or
// JsonLogic evaluated when it holds: not a number above 0 does not count,
// above 10 counts 10) unless the cause's applies_if is false; score =
// round(100 * min(1, matched points / scoring.full_weight)); rank by score,
// then the strongest single indicator, then the number matched, then file
// order, causes equal on all three sharing a rank; band: high needs the high
// band and a lead of scoring.bands.lead over every other cause; escalate to
// the most pressing red flag, else `routine` when any routine reason holds,
// else `self_care`, with a review date for the last two; general advice when
// no cause is indicated. The answers behind each match come only from the
// alternatives (parts of a top-level "or") that hold.
//
// --output full (the default) writes the assessment in the shape of
// kneecheck's JSON report (the answers behind each match with their rule
// texts filled in, advice, the headline, the summary of leading causes and
// actions, the numbered references, messages, disclaimer): the record
// kneecheck writes, the same but for two forms, whole points as 3 where
// kneecheck writes 3.0, and a derived value ending in exactly .5 rounded up
// where kneecheck rounds to even. --output compact writes only
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

// --- the rules (src/rules.cpp) -----------------------------------------------

const { asList, variablesOf, literalsOf, alternativesOf, lastQuestionReader } = require('./rule_parts')

function expression (rule) {
  const evaluate = engine.compile(rule)
  return { evaluate, matches: (data) => engine.truthy(evaluate(data)), variables: variablesOf(rule) }
}

function loadRules (file) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'))
  const questions = doc.questions.map((q, index) => {
    const options = q.options ?? []
    const question = {
      id: q.id,
      index,
      type: q.type,
      optional: q.optional === true,
      unit: q.unit ?? '',
      options,
      optionOf: new Map(options.map((o) => [o.value, { label: o.label, exclusive: o.exclusive === true }])),
      minChoices: q.min_choices ?? 0,
      min: q.type === 'scale' ? 0 : q.min,
      max: q.type === 'scale' ? 10 : q.max,
      integer: q.type === 'scale' ? true : q.integer === true,
      askIf: q.ask_if === undefined ? null : expression(q.ask_if)
    }
    question.expected = options.map((o) => `"${o.value}"`).join(', ')
    return question
  })
  const questionById = new Map(questions.map((q) => [q.id, q]))

  const { lastQuestionRead, addDerived } = lastQuestionReader(questions)
  const derived = (doc.derived ?? []).map((d) => {
    const value = expression(d.value)
    addDerived(d.id, value.variables)
    return { id: d.id, value, unit: d.unit ?? '', decimals: d.decimals ?? 0 }
  })
  const slotNames = new Set([...questions.map((q) => q.id), ...derived.map((d) => d.id), 'history'])

  // A condition and its alternatives, each compiled apart, as kneecheck keeps them.
  const condition = (rule) => {
    const whole = expression(rule)
    whole.alternatives = alternativesOf(rule).map((part) => {
      const alternative = expression(part)
      alternative.literals = literalsOf(part)
      alternative.lastQuestion = lastQuestionRead(alternative.variables)
      return alternative
    })
    return whole
  }

  const advice = (a) => ({ text: a.text, source: asList(a.source), load: a.load === true, for: a.for ?? [] })
  const routineReasons = (routine) => (routine.reasons !== undefined
    ? routine.reasons.map((r) => ({ id: r.id, text: r.text, source: asList(r.source), when: condition(r.when) }))
    : [{ id: 'routine', text: '', source: [], when: condition(routine.when) }])
  const level = (l) => ({ message: l.message, reviewInDays: l.review_in_days, source: asList(l.source) })
  return {
    id: doc.id,
    version: doc.version,
    questions,
    questionById,
    slotNames,
    fullWeight: doc.scoring.full_weight,
    moderate: doc.scoring.bands.moderate,
    high: doc.scoring.bands.high,
    lead: doc.scoring.bands.lead ?? 1,
    derived,
    derivedById: new Map(derived.map((d) => [d.id, d])),
    sources: new Map((doc.sources ?? []).map((source) => [source.id, {
      id: source.id,
      title: source.title ?? '',
      author: source.author ?? '',
      published_in: source.published_in ?? '',
      year: source.year ?? '',
      url: source.url ?? '',
      citation: source.citation ?? ''
    }])),
    redFlags: doc.red_flags.map((f) => ({
      id: f.id,
      title: f.title ?? '',
      level: f.level,
      message: f.message,
      source: asList(f.source),
      when: condition(f.when),
      withholdsLoadAdvice: f.withholds_load_advice === true
    })),
    causes: doc.causes.map((c) => ({
      id: c.id,
      title: c.title,
      summary: c.summary,
      source: asList(c.source),
      appliesIf: c.applies_if === undefined ? null : expression(c.applies_if),
      indicators: c.indicators.map((i) => {
        const points = i.points ?? i.weight
        return {
          id: i.id,
          points: typeof points === 'number' ? points : 0,
          gradedPoints: typeof points === 'number' ? null : expression(points),
          because: i.because,
          source: asList(i.source),
          when: condition(i.when)
        }
      }),
      advice: c.advice.map(advice)
    })),
    routineReasons: routineReasons(doc.escalation.routine),
    routine: level(doc.escalation.routine),
    selfCare: level(doc.escalation.self_care),
    generalAdvice: (doc.general_advice ?? []).map(advice),
    disclaimer: { text: doc.disclaimer.text, not_covered: doc.disclaimer.not_covered }
  }
}

const rules = loadRules(options.rules)
const LEVEL_ORDER = { urgent: 0, soon: 1, routine: 2, self_care: 3 }
const MAX_POINTS = 10

// --- red flags and derived values (src/flags.cpp) ------------------------------

function addDerivedValues (data) {
  for (const derived of rules.derived) {
    const value = derived.value.evaluate(data)
    if (value !== null && value !== undefined) data[derived.id] = value
  }
}

// The red flags raised by an alternative that reads only the questions up to
// `lastQuestion` (and holds): what those answers already decide.
function decidedRedFlags (data, lastQuestion) {
  const raised = []
  for (const flag of rules.redFlags) {
    const decided = flag.when.alternatives.some((alternative) =>
      alternative.lastQuestion <= lastQuestion && alternative.matches(data))
    if (decided) raised.push(flag)
  }
  return raised
}

// --- checking answers (src/answers.cpp, interview.cpp) ---------------------

const pointerTo = (id) => '/' + id.replace(/~/g, '~0').replace(/\//g, '~1')

function rangeText (q) {
  return `${q.min} to ${q.max}${q.unit ? ' ' + q.unit : ''}`
}

// The value to keep, or a string saying what is wrong.
function checkAnswer (q, value) {
  switch (q.type) {
    case 'choice':
      if (typeof value === 'string' && q.optionOf.has(value)) return { value }
      return { problem: `expected one of ${q.expected}` }
    case 'multi': {
      if (!Array.isArray(value)) return { problem: 'expected an array of option values' }
      for (let i = 0; i < value.length; i++) {
        const item = value[i]
        if (typeof item !== 'string' || !q.optionOf.has(item)) {
          return { problem: `${JSON.stringify(item)} is not an option of this question` }
        }
        for (let j = 0; j < i; j++) if (value[j] === item) return { problem: `${JSON.stringify(item)} is listed twice` }
      }
      if (value.length < q.minChoices) {
        return { problem: q.minChoices === 1 ? 'choose at least one option' : `choose at least ${q.minChoices} options` }
      }
      if (value.length > 1) {
        for (const item of value) {
          const option = q.optionOf.get(item)
          if (option.exclusive) return { problem: `"${option.label}" cannot be chosen together with other options` }
        }
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

// Whether the valid answers before question `index` already raise an urgent
// red flag, judged only on what those answers decide: the interview stops
// there, so the questions after it need no answer.
function urgentBefore (answers, index) {
  if (index === 0) return false
  const soFar = { ...answers }
  addDerivedValues(soFar)
  return decidedRedFlags(soFar, index - 1).some((flag) => flag.level === 'urgent')
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
  let stoppedAtUrgent = false // decided once, at the first missing answer
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
      if (q.optional || stoppedAtUrgent) continue
      if (errors.length === 0 && urgentBefore(answers, q.index)) {
        stoppedAtUrgent = true
        continue
      }
      errors.push({ pointer: pointerTo(q.id), message: 'missing: this question needs an answer' })
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

// fmt's {:g}: 6 significant digits rounded half to even from the exact
// binary value (47.65625 gives 47.6562), exponent form below 1e-4 and from
// 1e6, no trailing zeros.
function formatG (x) {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf'
  if (x === 0) return Object.is(x, -0) ? '-0' : '0'
  const sign = x < 0 ? '-' : ''
  const magnitude = Math.abs(x)
  // toExponential rounds the exact value correctly but a tie upwards; only a
  // value that may be a tie (…5 then zeros to 17 digits) is written out
  // exactly (every double from 1e-100 to 1e21 is, with 100 decimals).
  const mayTie = /^\d\.\d{5}50+e/.test(magnitude.toExponential(16))
  const exact = mayTie && magnitude < 1e21 && magnitude > 1e-100 ? magnitude.toFixed(100) : null
  let digits
  let exponent
  if (exact === null) {
    const [mantissa, e] = magnitude.toExponential(5).split('e')
    digits = mantissa.replace('.', '')
    exponent = Number(e)
  } else {
    const point = exact.indexOf('.')
    const all = exact.slice(0, point) + exact.slice(point + 1)
    const first = all.search(/[1-9]/)
    exponent = point - first - 1
    const kept = all.slice(first, first + 6).padEnd(6, '0')
    const rest = all.slice(first + 6)
    const up = rest[0] > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || Number(kept[5]) % 2 === 1))
    digits = up ? String(Number(kept) + 1) : kept
    if (digits.length > 6) { digits = digits.slice(0, 6); exponent++ }
  }
  const strip = (text) => (text.includes('.') ? text.replace(/\.?0+$/, '') : text)
  if (exponent < -4 || exponent >= 6) {
    const mantissa = strip(digits[0] + '.' + digits.slice(1))
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`
  }
  if (exponent < 0) return sign + strip('0.' + '0'.repeat(-exponent - 1) + digits)
  const fraction = digits.slice(exponent + 1)
  return sign + (fraction === '' ? digits : strip(digits.slice(0, exponent + 1) + '.' + fraction))
}

function formatNumber (value) {
  return Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? String(value) : formatG(value)
}

// Whether item `i` of a multi answer is shown: the chosen options the
// alternative compares with, or all of them when it compares with none.
function showsItem (value, i, relevant) {
  if (relevant.length === 0) return true
  const among = (item) => typeof item === 'string' && relevant.includes(item)
  if (among(value[i])) return true
  for (const item of value) if (among(item)) return false
  return true
}

function shownValue (question, value, relevant) {
  if (value === null || value === undefined) return 'not answered'
  const label = (item) => (typeof item === 'string' ? question.optionOf.get(item)?.label ?? item : JSON.stringify(item))
  if (question !== null) {
    switch (question.type) {
      case 'choice': return label(value)
      case 'multi': {
        if (!Array.isArray(value)) break
        if (value.length === 0) return 'none of these'
        const shown = []
        for (let i = 0; i < value.length; i++) if (showsItem(value, i, relevant)) shown.push(label(value[i]))
        return shown.join(', ')
      }
      case 'yes_no':
        if (typeof value !== 'boolean') break
        return value ? 'yes' : 'no'
      default:
        if (typeof value !== 'number') break
        return formatNumber(value) + (question.unit ? ' ' + question.unit : '') + (question.type === 'scale' ? ' of 10' : '')
    }
  }
  return typeof value === 'number' ? formatNumber(value) : JSON.stringify(value)
}

// The answers an alternative read, added to `evidence` (question and derived
// ids once over all alternatives; history variables by their full path).
function addEvidence (evidence, seen, alternative, position, data) {
  for (const p of alternative.variables) {
    const dot = p.indexOf('.')
    const first = dot === -1 ? p : p.slice(0, dot)
    let id = first
    let value = null
    let question = null
    let key = first
    if (!rules.slotNames.has(first)) {
      key = `${position}\u0000${p}`
    } else if (first === 'history') {
      id = p
      key = `${position}\u0000${p}`
      const member = data.history?.[p.slice(first.length + 1)]
      value = member === undefined ? null : member
    } else {
      question = rules.questionById.get(first) ?? null
      const given = data[first]
      value = given === undefined ? null : given
    }
    // An answer read by several alternatives that hold shows the options of
    // all of them (up to four lists; an alternative comparing with none, or
    // a fifth, shows the whole answer).
    let item = seen.get(key)
    if (item === undefined) {
      item = { id, value, question, lists: [], whole: false }
      seen.set(key, item)
      evidence.push(item)
    }
    const literals = alternative.literals
    if (literals.length === 0 || item.lists.length === 4) item.whole = true
    else if (!item.lists.includes(literals)) item.lists.push(literals)
  }
}

// For a condition that holds: the answers read by its alternatives that hold,
// and no others.
function evidenceFor (condition, data) {
  const evidence = []
  const seen = new Map()
  const alternatives = condition.alternatives
  for (let i = 0; i < alternatives.length; i++) {
    if (alternatives[i].matches(data)) addEvidence(evidence, seen, alternatives[i], i, data)
  }
  return evidence.map((item) => ({
    id: item.id,
    value: item.value,
    shown: shownValue(item.question, item.value, item.whole ? [] : item.lists.flat())
  }))
}

function pointsOf (indicator, data) {
  if (indicator.gradedPoints === null) return indicator.points
  const value = indicator.gradedPoints.evaluate(data)
  if (typeof value !== 'number' || !(value > 0)) return 0
  return Math.min(value, MAX_POINTS)
}

const withholds = (withheld, advice) => withheld === 'all' || (withheld === 'load' && advice.load)
const adviceItem = (advice) => ({ text: advice.text, source: advice.source, load: advice.load })

function assessCause (cause, data, withheld) {
  let matchedPoints = 0
  let strongest = 0
  const matched = []
  const matchedIds = new Set()
  const applies = cause.appliesIf === null || cause.appliesIf.matches(data)
  for (const indicator of cause.indicators) {
    const points = applies && indicator.when.matches(data) ? pointsOf(indicator, data) : 0
    if (!(points > 0)) continue
    matchedPoints += points
    strongest = Math.max(strongest, points)
    matchedIds.add(indicator.id)
    matched.push({
      id: indicator.id,
      because: indicator.because,
      source: indicator.source,
      shown: withPlaceholders(indicator.because, data),
      points,
      answers: evidenceFor(indicator.when, data)
    })
  }
  const score = Math.round(100 * Math.min(1, matchedPoints / rules.fullWeight))
  // General advice first, then the tips tied to what matched.
  const advice = []
  for (const specific of [false, true]) {
    for (const item of cause.advice) {
      if ((item.for.length === 0) === specific) continue
      if (specific && !item.for.some((id) => matchedIds.has(id))) continue
      if (withholds(withheld, item)) continue
      advice.push(adviceItem(item))
    }
  }
  return { id: cause.id, title: cause.title, summary: cause.summary, source: cause.source, score, strongest, matched, advice }
}

// The higher score, then the stronger single indicator, then more matched.
function compareCauses (a, b) {
  if (a.score !== b.score) return b.score - a.score
  if (a.strongest !== b.strongest) return b.strongest - a.strongest
  return b.matched.length - a.matched.length
}

function sortedKeys (object) {
  const sorted = {}
  for (const key of Object.keys(object).sort()) if (key !== 'history') sorted[key] = object[key]
  return sorted
}

function addDays (isoDate, days) {
  const d = new Date(isoDate + 'T00:00:00Z')
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

// --- the report's added parts (src/report/content.cpp, src/engine/engine.cpp) -----

// A rule text's {id} placeholders filled with the answer or derived value.
function withPlaceholders (text, data) {
  return text.replace(/\{([a-z0-9_]+)\}/g, (whole, id) => {
    const value = data[id]
    if (value === null || value === undefined) return 'not answered'
    const question = rules.questionById.get(id)
    if (question !== undefined) return shownValue(question, value, [])
    const derived = rules.derivedById.get(id)
    if (derived !== undefined && typeof value === 'number') return derivedInWords(derived, value)
    return JSON.stringify(value)
  })
}

function derivedInWords (derived, value) {
  let digits = value.toFixed(derived.decimals)
  if (digits === '-0') digits = '0'
  if (derived.unit === '') return digits
  return derived.unit === '%' ? digits + '%' : digits + ' ' + derived.unit
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December']
function dateInWords (isoDate) {
  const [year, month, day] = isoDate.split('-').map(Number)
  return `${day} ${MONTHS[month - 1]} ${year}`
}

function headline (level, reviewBy) {
  const review = reviewBy === null ? '' : dateInWords(reviewBy)
  switch (level) {
    case 'urgent': return 'Get the knee seen today'
    case 'soon': return 'See a doctor or physiotherapist within the next few days'
    case 'routine': return 'See a physiotherapist or GP within the next few weeks' + (review ? `, by ${review}` : '')
    default: return 'Look after it yourself' + (review ? ` and check again on ${review}` : '')
  }
}

// The leading causes and at most three actions: round by round, the first
// advice item of each leading cause, then their second ones, ...; then the
// same for the other causes pointed to; general advice when none is.
const MAX_ACTIONS = 3
function summarise (causes, withheld, generalAdvice, anyCauseIndicated) {
  const summary = { leading: [], actions: [] }
  if (withheld === 'all') return summary
  const add = (item) => {
    if (summary.actions.length < MAX_ACTIONS && !summary.actions.some((chosen) => chosen.text === item.text)) {
      summary.actions.push(item)
    }
  }
  if (!anyCauseIndicated) {
    for (const item of generalAdvice) add(item)
    return summary
  }
  let leading = 0
  while (leading < causes.length && causes[leading].rank === 1) leading++
  const takeInRounds = (from, to) => {
    for (let round = 0; summary.actions.length < MAX_ACTIONS; round++) {
      let any = false
      for (let i = from; i < to; i++) {
        if (round < causes[i].advice.length) {
          any = true
          add(causes[i].advice[round])
        }
      }
      if (!any) break
    }
  }
  takeInRounds(0, leading)
  let indicated = 0
  while (indicated < causes.length && causes[indicated].matched.length > 0) indicated++
  takeInRounds(leading, indicated)
  summary.leading = causes.slice(0, leading).map((c) => c.id)
  return summary
}

// The sources in the order the human reports number them, each once.
function references (flags, escalation, withheld, summary, causes, generalAdvice) {
  const order = []
  const cite = (sources) => {
    for (const source of sources) {
      const hash = source.indexOf('#')
      const id = hash === -1 ? source : source.slice(0, hash)
      if (!order.includes(id)) order.push(id)
    }
  }
  for (const flag of flags) cite(flag.source)
  if (flags.length === 0) {
    for (const reason of escalation.reasons) cite(reason.source)
    cite(escalation.source)
  }
  if (withheld !== 'all') {
    for (const cause of causes.filter((c) => summary.leading.includes(c.id))) {
      let strongest = null
      for (const indicator of cause.matched) if (strongest === null || indicator.points > strongest.points) strongest = indicator
      if (strongest !== null) cite(strongest.source)
    }
    for (const action of summary.actions) cite(action.source)
  }
  for (const cause of causes) {
    if (cause.matched.length === 0) continue
    if (withheld !== 'all') cite(cause.source)
    for (const indicator of cause.matched) cite(indicator.source)
    for (const advice of cause.advice) cite(advice.source)
  }
  for (const advice of generalAdvice) cite(advice.source)
  const list = []
  order.forEach((id, i) => {
    const source = rules.sources.get(id)
    if (source !== undefined) list.push({ n: i + 1, ...source })
  })
  return list
}

function score (answers, date) {
  // A batch has no earlier check-ins: the history variables say so.
  const history = { checkins: 0 }
  const data = { ...answers, history }
  addDerivedValues(data)

  const flags = []
  for (const flag of rules.redFlags) {
    if (!flag.when.matches(data)) continue
    flags.push({
      id: flag.id,
      title: flag.title,
      level: flag.level,
      message: flag.message,
      source: flag.source,
      answers: evidenceFor(flag.when, data),
      withholdsLoadAdvice: flag.withholdsLoadAdvice
    })
  }
  flags.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]) // stable
  let withheld = 'none'
  for (const flag of flags) {
    if (flag.level === 'urgent') { withheld = 'all'; break }
    if (flag.withholdsLoadAdvice) withheld = 'load'
  }

  const causes = rules.causes.map((cause) => assessCause(cause, data, withheld))
  causes.sort(compareCauses) // stable: level causes keep the rule file's order
  for (let i = 0; i < causes.length; i++) {
    causes[i].rank = i > 0 && compareCauses(causes[i - 1], causes[i]) === 0 ? causes[i - 1].rank : i + 1
  }
  // "high" only for a score in the high band that leads every other cause by the lead.
  for (let i = 0; i < causes.length; i++) {
    let bestOther = 0
    for (let j = 0; j < causes.length; j++) if (j !== i) bestOther = Math.max(bestOther, causes[j].score)
    const s = causes[i].score
    causes[i].band = s >= rules.high && s - bestOther >= rules.lead ? 'high' : s >= rules.moderate ? 'moderate' : 'low'
  }

  let escalation
  if (flags.length > 0) {
    escalation = { level: flags[0].level, message: flags[0].message, review_by: null, source: flags[0].source, reasons: [] }
  } else {
    const reasons = []
    for (const reason of rules.routineReasons) {
      if (!reason.when.matches(data)) continue
      reasons.push({ id: reason.id, text: reason.text, source: reason.source, answers: evidenceFor(reason.when, data) })
    }
    const routine = reasons.length > 0
    const level = routine ? rules.routine : rules.selfCare
    escalation = {
      level: routine ? 'routine' : 'self_care',
      message: level.message,
      review_by: addDays(date, level.reviewInDays),
      source: level.source,
      reasons
    }
  }
  const anyCauseIndicated = causes.some((c) => c.matched.length > 0)
  const generalAdvice = []
  if (!anyCauseIndicated) {
    for (const item of rules.generalAdvice) if (!withholds(withheld, item)) generalAdvice.push(adviceItem(item))
  }
  escalation.headline = headline(escalation.level, escalation.review_by)
  const summary = summarise(causes, withheld, generalAdvice, anyCauseIndicated)
  return {
    kneecheck_assessment: 1,
    rules: { id: rules.id, version: rules.version },
    date,
    escalation: {
      level: escalation.level,
      headline: escalation.headline,
      message: escalation.message,
      review_by: escalation.review_by,
      source: escalation.source,
      reasons: escalation.reasons
    },
    red_flags: flags.map((f) => ({ id: f.id, title: f.title, level: f.level, message: f.message, source: f.source,
      answers: f.answers })),
    advice_withheld: withheld,
    any_cause_indicated: anyCauseIndicated,
    causes: causes.map((c) => ({
      rank: c.rank,
      level_with: causes.filter((other) => other !== c && other.rank === c.rank).map((other) => other.id),
      id: c.id,
      title: c.title,
      summary: c.summary,
      score: c.score,
      band: c.band,
      matched: c.matched,
      advice: c.advice
    })),
    general_advice: generalAdvice,
    summary: { leading: summary.leading, actions: summary.actions },
    references: references(flags, escalation, withheld, summary, causes, generalAdvice),
    answers: sortedKeys(data), // kneecheck keeps answers in slot order by name, history apart
    from_runs: [],
    history,
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
