// Writes the FIT fixtures of tests/runs with Garmin's FIT JavaScript SDK
// (its Encoder; tests only, never part of kneecheck):
//
//   node make_fit_fixtures.mjs SDK_DIR OUT_DIR
//
// SDK_DIR holds node_modules/@garmin/fitsdk (npm ci of package-lock.json).
// OUT_DIR gets the files at the paths tests/runs/fixtures uses, byte for byte
// the committed ones (fit_sdk_check.sh compares them). What each holds is
// described beside it; the C++ tests assert the same figures.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [sdkDir, outDir] = process.argv.slice(2);
if (!sdkDir || !outDir) {
  console.error("usage: node make_fit_fixtures.mjs SDK_DIR OUT_DIR");
  process.exit(2);
}
const sdk = await import(pathToFileURL(path.join(sdkDir, "node_modules/@garmin/fitsdk/src/index.js")).href);
const { Encoder, Profile } = sdk;
const Mesg = Profile.MesgNum;

const at = (iso) => new Date(iso);
const plus = (date, seconds) => new Date(date.getTime() + seconds * 1000);

// One activity: file_id, records every 60 s up to the session's end, the
// sessions, and an activity message whose local_timestamp gives UTC+2.
function writeActivity(encoder, { start, sessions, records = true, developer = false }) {
  encoder.onMesg(Mesg.FILE_ID, { type: "activity", manufacturer: "development", product: 1, serialNumber: 1234, timeCreated: start });
  if (developer) {
    encoder.onMesg(Mesg.DEVELOPER_DATA_ID, developerDataId);
    encoder.onMesg(Mesg.FIELD_DESCRIPTION, fieldDescription);
  }
  let end = start;
  for (const session of sessions) {
    const sessionStart = plus(start, session.offset);
    const count = records ? Math.floor(session.elapsed / 60) : 0;
    for (let i = 0; i <= count && records; i++) {
      const record = {
        timestamp: plus(sessionStart, i * 60),
        distance: (session.distance * i) / count,
        cadence: session.cadence ?? 0,
      };
      if (developer) record.developerFields = { 0: 1.5 * i };
      encoder.onMesg(Mesg.RECORD, record);
    }
    end = plus(sessionStart, session.elapsed);
    encoder.onMesg(Mesg.SESSION, {
      timestamp: end,
      startTime: sessionStart,
      sport: session.sport,
      subSport: session.subSport ?? "generic",
      totalElapsedTime: session.elapsed,
      totalTimerTime: session.timer,
      totalDistance: session.distance,
      avgCadence: session.cadence,
    });
  }
  encoder.onMesg(Mesg.ACTIVITY, {
    timestamp: end,
    localTimestamp: Math.round((end.getTime() - Date.UTC(1989, 11, 31)) / 1000) + 7200,
    numSessions: sessions.length,
    totalTimerTime: sessions.reduce((sum, s) => sum + s.timer, 0),
  });
}

const developerDataId = { developerId: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], applicationId: [16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1], applicationVersion: 1, developerDataIndex: 0 };
const fieldDescription = { developerDataIndex: 0, fieldDefinitionNumber: 0, fitBaseTypeId: "float32", fieldName: "Doughnuts Earned", units: "doughnuts", nativeMesgNum: Mesg.RECORD };

function file(name, activities, { developer = false } = {}) {
  const blocks = activities.map((activity) => {
    const encoder = developer
      ? new Encoder({ fieldDescriptions: { 0: { developerDataIdMesg: developerDataId, fieldDescriptionMesg: fieldDescription } } })
      : new Encoder();
    writeActivity(encoder, { ...activity, developer });
    return encoder.close();
  });
  const bytes = Buffer.concat(blocks.map((block) => Buffer.from(block)));
  const target = path.join(outDir, name);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, bytes);
}

// The Strava export's two FIT runs (1004.fit is committed gzipped too).
file("strava_export/activities/1003.fit", [{ start: at("2024-06-25T06:30:00Z"), sessions: [
  { offset: 0, sport: "running", elapsed: 3700, timer: 3600, distance: 18000, cadence: 86 }] }]);
file("fit/1004.fit", [{ start: at("2024-06-20T06:00:00Z"), sessions: [
  { offset: 0, sport: "running", subSport: "trail", elapsed: 4500, timer: 4500, distance: 15000, cadence: 80 }] }]);

// Triathlon-like: a ride, a transition and a run; only the run counts.
file("fit/multisport.fit", [{ start: at("2024-06-22T08:00:00Z"), sessions: [
  { offset: 0, sport: "cycling", elapsed: 3000, timer: 3000, distance: 20000 },
  { offset: 3000, sport: "transition", elapsed: 120, timer: 120, distance: 0 },
  { offset: 3120, sport: "running", elapsed: 1500, timer: 1500, distance: 5000, cadence: 85 }] }]);

// Records carry a developer field (a float32 per record).
file("fit/developer_fields.fit", [{ start: at("2024-06-23T07:00:00Z"), sessions: [
  { offset: 0, sport: "running", elapsed: 2400, timer: 2400, distance: 7000, cadence: 84 }] }], { developer: true });

// Two FIT files one after another in one file.
file("fit/chained.fit", [
  { start: at("2024-06-24T07:00:00Z"), sessions: [{ offset: 0, sport: "running", elapsed: 1800, timer: 1800, distance: 6000, cadence: 83 }] },
  { start: at("2024-06-24T18:00:00Z"), sessions: [{ offset: 0, sport: "running", elapsed: 1200, timer: 1200, distance: 4000, cadence: 87 }] }]);
