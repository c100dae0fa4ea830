// Validates JSON files against a draft 2020-12 JSON Schema with Ajv, for check.sh.
//   node validate.cjs MODULES_DIR SCHEMA FILE...
// MODULES_DIR holds node_modules/ajv (check.sh installs it there from
// package-lock.json). Prints one line a file: "valid<TAB>FILE" or
// "invalid<TAB>FILE<TAB>why"; exits 2 if the schema itself is not valid.
"use strict";
const fs = require("fs");
const path = require("path");

const [modulesDir, schemaFile, ...files] = process.argv.slice(2);
const Ajv2020 = require(require.resolve("ajv/dist/2020", { paths: [path.resolve(modulesDir)] }));

// Strict, except for two checks that standard draft 2020-12 idioms trip:
// "required" inside if/then (the property is declared beside the if), and
// "items" in the JsonLogic schema's "else", which applies to arrays only.
const ajv = new Ajv2020({ strict: true, strictRequired: false, strictTypes: false });
let validate;
try {
  validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, "utf8")));
} catch (error) {
  console.log(`schema-invalid\t${schemaFile}\t${error.message}`);
  process.exit(2);
}

for (const file of files) {
  let document;
  try {
    document = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    console.log(`invalid\t${file}\tnot JSON: ${error.message}`);
    continue;
  }
  if (validate(document)) {
    console.log(`valid\t${file}`);
  } else {
    const error = validate.errors[0];
    console.log(`invalid\t${file}\t${error.instancePath || "/"}: ${error.message}`);
  }
}
