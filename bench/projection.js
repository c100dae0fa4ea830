// projection.js: the part of an assessment that every engine must agree on,
// as one compact JSON line. Used by score.js (--output compact) and
// compare.js; both read kneecheck's JSON report shape.
//
//   [escalation level, review_by,
//    [red flag ids, most pressing first],
//    [[cause id, score, band, [matched indicator ids]], ... in rank order],
//    {answers plus derived values, keys sorted}]
// An error record projects to ["error", line number].
'use strict'

function sortedObject (object) {
  const sorted = {}
  for (const key of Object.keys(object).sort()) sorted[key] = object[key]
  return sorted
}

function project (record) {
  if (record.error !== undefined) return JSON.stringify(['error', record.line])
  return JSON.stringify([
    record.escalation.level,
    record.escalation.review_by,
    record.red_flags.map((flag) => flag.id),
    record.causes.map((cause) => [cause.id, cause.score, cause.band, cause.matched.map((m) => m.id)]),
    sortedObject(record.answers)
  ])
}

module.exports = { project }
