// rule_parts.js: what kneecheck's rule loader (src/rules.cpp, logic.cpp)
// reads out of a JsonLogic condition besides compiling it, for score.js and
// gen_answers.js.
'use strict'

const asList = (source) => (source === undefined ? [] : Array.isArray(source) ? source : [source])

// Operations whose later arguments run in a scope of their own: what they read
// there is an element's, not the answers' (logic.cpp notes no variable there).
const SCOPED = new Set(['map', 'filter', 'reduce', 'all', 'some', 'none', 'try'])

// Every constant path a condition reads with var (or names in missing /
// missing_some), in order of first appearance, outside iteration scopes: the
// answers shown as evidence, and what decides when a condition is known.
function variablesOf (rule) {
  const found = []
  const add = (p) => { if (p !== '' && !found.includes(p)) found.push(p) }
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
      const list = Array.isArray(arg) && Array.isArray(arg[0]) ? arg[0] : asList(arg)
      for (const p of list) if (typeof p === 'string' || typeof p === 'number') add(String(p)); else walk(p)
    } else if (op === 'missing_some') {
      const list = Array.isArray(arg) ? arg[1] : undefined
      if (Array.isArray(list)) for (const p of list) if (typeof p === 'string' || typeof p === 'number') add(String(p))
    } else if (SCOPED.has(op)) {
      walk(Array.isArray(arg) ? arg[0] : arg)
    } else {
      walk(arg)
    }
  }
  walk(rule)
  return found
}

// Every string an alternative compares with, leaving out variable names: the
// options that can make it hold, which is what evidence quotes of a multi answer.
function literalsOf (rule, literals = []) {
  if (typeof rule === 'string') literals.push(rule)
  else if (Array.isArray(rule)) for (const item of rule) literalsOf(item, literals)
  else if (rule !== null && typeof rule === 'object') {
    for (const [op, arg] of Object.entries(rule)) {
      if (op !== 'var' && op !== 'missing' && op !== 'missing_some') literalsOf(arg, literals)
    }
  }
  return literals
}

// The alternatives of a condition: the parts of a top-level "or", nested ones
// flattened; else the whole rule.
function alternativesOf (rule, parts = []) {
  if (rule !== null && typeof rule === 'object' && !Array.isArray(rule)) {
    const keys = Object.keys(rule)
    if (keys.length === 1 && keys[0] === 'or' && Array.isArray(rule.or) && rule.or.length > 0) {
      for (const item of rule.or) alternativesOf(item, parts)
      return parts
    }
  }
  parts.push(rule)
  return parts
}

// lastQuestionReader(questions) -> {lastQuestionRead(variables), addDerived(id, variables)}:
// the index of the last question an expression reads, directly or through
// derived values added before it; Infinity when it reads the history or a
// name that is no answer (Condition::kReadsHistory). 0 when it reads nothing.
function lastQuestionReader (questions) {
  const questionIndex = new Map(questions.map((q, i) => [q.id, i]))
  const derivedLast = new Map()
  const lastQuestionRead = (variables) => {
    let last = 0
    for (const p of variables) {
      const first = p.split('.')[0]
      const read = questionIndex.get(first) ?? derivedLast.get(first) ?? Infinity
      if (read === Infinity) return Infinity
      last = Math.max(last, read)
    }
    return last
  }
  const addDerived = (id, variables) => derivedLast.set(id, lastQuestionRead(variables))
  return { lastQuestionRead, addDerived }
}

module.exports = { asList, variablesOf, literalsOf, alternativesOf, lastQuestionReader }
