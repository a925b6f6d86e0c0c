/**
 * Reading the JSON files a stage param names (`params.<stage>.campaigns`, `params.<stage>.triggers`) at
 * package time, for campaigns/schedules.cjs and triggers/resources.cjs alike. CommonJS because osls
 * require()s those modules. `fail(subject, problem)` throws the caller's own error type.
 */
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `thumbnails` -> `Thumbnails`, `raw-logs` -> `RawLogs` */
const pascalOf = (name) =>
  name
    .split('-')
    .filter((part) => part !== '')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');

/**
 * `<dir>/<name>.json` as an object that names itself `name`. `folder` is how messages name the directory
 * (`campaigns`), which is also the param listing the names.
 */
function readNamedJsonFile({ dir, folder, name, fail }) {
  const path = join(dir, `${name}.json`);
  if (!existsSync(path)) fail(folder, `lists "${name}", but ${folder}/${name}.json does not exist`);
  const text = readFileSync(path, 'utf8');
  // osls resolves ${…} variables in what the caller returns: a file must not carry any.
  if (text.includes('${'))
    fail(`${folder}/${name}.json`, 'contains "${", which osls would read as a variable');
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    fail(`${folder}/${name}.json`, `is not JSON: ${error.message}`);
  }
  if (!isObject(value) || value.name !== name) fail(`${folder}/${name}.json`, `must name itself "${name}"`);
  return value;
}

module.exports = { isObject, pascalOf, readNamedJsonFile };
