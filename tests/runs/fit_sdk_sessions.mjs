// The running sessions Garmin's FIT JavaScript SDK decodes from each file,
// one line a session, in runs_summary's format:
//
//   node fit_sdk_sessions.mjs SDK_DIR FILE...
//
// prints "FILE<TAB>START_UTC<TAB>DISTANCE_M<TAB>SPORT"; exits 1 when the SDK
// reports an error for a file.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [sdkDir, ...files] = process.argv.slice(2);
const { Decoder, Stream } = await import(pathToFileURL(path.join(sdkDir, "node_modules/@garmin/fitsdk/src/index.js")).href);
let failed = false;
for (const file of files) {
  const decoder = new Decoder(Stream.fromBuffer(fs.readFileSync(file)));
  const { messages, errors } = decoder.read();
  if (errors.length > 0) {
    console.error(`${file}: the SDK reports: ${errors.map((e) => e.message).join("; ")}`);
    failed = true;
  }
  for (const session of messages.sessionMesgs ?? []) {
    if (session.sport !== "running") continue;
    const subSport = session.subSport && session.subSport !== "generic" ? ` (${session.subSport})` : "";
    const start = Math.round(session.startTime.getTime() / 1000);
    console.log([file, start, session.totalDistance.toFixed(2), session.sport + subSport].join("\t"));
  }
}
process.exit(failed ? 1 : 0);
