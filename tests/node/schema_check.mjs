// A small JSON Schema (draft 2020-12) validator for the subset schema/scenario.schema.json uses, so the tests need
// no npm package. Supported: $ref (local "#/..." pointers), type, const, enum, properties, required,
// additionalProperties, propertyNames, maxProperties, pattern, items, minItems, maxItems, minLength, maxLength,
// minimum, maximum, exclusiveMinimum, exclusiveMaximum, allOf, anyOf, oneOf, not, if/then/else; annotations ($schema, $id, $defs, $comment, title,
// description, default, examples) are ignored. Any other keyword throws, so the schema cannot quietly rely on
// something this checker does not enforce.
// validate(schema, value) -> [{ path, message }], empty when valid. Paths are JSON pointers like the engine's.

const annotations = new Set(['$schema', '$id', '$defs', '$comment', 'title', 'description', 'default', 'examples']);
const assertions = new Set(['$ref', 'type', 'const', 'enum', 'properties', 'required', 'additionalProperties',
  'propertyNames', 'maxProperties', 'pattern', 'items',
  'minItems', 'maxItems', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else']);

function typeOf(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;  // object, string, boolean
}

function hasType(value, type) {
  const actual = typeOf(value);
  if (type === 'number') return actual === 'number' || actual === 'integer';
  return actual === type;
}

function equal(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

const escape = (key) => String(key).replace(/~/g, '~0').replace(/\//g, '~1');

function resolve(root, ref) {
  if (!ref.startsWith('#')) throw new Error(`only local $ref is supported, got ${ref}`);
  let node = root;
  for (const part of ref.slice(1).split('/').filter((p) => p !== '')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === undefined || !(key in node)) throw new Error(`$ref ${ref} does not resolve`);
    node = node[key];
  }
  return node;
}

function check(root, schema, value, path, errors) {
  if (schema === true) return;
  if (schema === false) { errors.push({ path, message: 'no value is allowed here' }); return; }
  for (const keyword of Object.keys(schema)) {
    if (!annotations.has(keyword) && !assertions.has(keyword)) throw new Error(`unsupported keyword ${keyword} at ${path}`);
  }
  const fail = (message, at = path) => errors.push({ path: at, message });
  if (schema.$ref) check(root, resolve(root, schema.$ref), value, path, errors);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => hasType(value, t))) { fail(`must be of type ${types.join(' or ')}`); return; }
  }
  if ('const' in schema && !equal(value, schema.const)) fail(`must be ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.some((v) => equal(v, value))) fail(`must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) fail(`must be >= ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) fail(`must be <= ${schema.maximum}`);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) fail(`must be > ${schema.exclusiveMinimum}`);
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) fail(`must be < ${schema.exclusiveMaximum}`);
  }
  if (typeof value === 'string') {
    const length = [...value].length;  // code points, as the specification says
    if (schema.minLength !== undefined && length < schema.minLength) fail(`must be at least ${schema.minLength} characters`);
    if (schema.maxLength !== undefined && length > schema.maxLength) fail(`must be at most ${schema.maxLength} characters`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) fail(`must match ${schema.pattern}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) fail(`must have at least ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) fail(`must have at most ${schema.maxItems} items`);
    if (schema.items !== undefined) value.forEach((item, i) => check(root, schema.items, item, `${path}/${i}`, errors));
  }
  if (typeOf(value) === 'object') {
    const properties = schema.properties ?? {};
    for (const field of schema.required ?? []) {
      if (!(field in value)) fail('is required', `${path}/${escape(field)}`);
    }
    const count = Object.keys(value).length;
    if (schema.maxProperties !== undefined && count > schema.maxProperties) fail(`must have at most ${schema.maxProperties} fields`);
    for (const [field, item] of Object.entries(value)) {
      const at = `${path}/${escape(field)}`;
      if (schema.propertyNames !== undefined) check(root, schema.propertyNames, field, at, errors);
      if (field in properties) check(root, properties[field], item, at, errors);
      else if (schema.additionalProperties === false) fail('unknown field', at);
      else if (typeof schema.additionalProperties === 'object') check(root, schema.additionalProperties, item, at, errors);
    }
  }
  const passes = (sub) => { const e = []; check(root, sub, value, path, e); return e.length === 0; };
  for (const sub of schema.allOf ?? []) check(root, sub, value, path, errors);
  if (schema.anyOf && !schema.anyOf.some(passes)) fail('must match at least one of the alternatives (anyOf)');
  if (schema.oneOf) {
    const matching = schema.oneOf.filter(passes).length;
    if (matching !== 1) fail(`must match exactly one of the alternatives (oneOf), matches ${matching}`);
  }
  if (schema.not && passes(schema.not)) fail('must not match the "not" schema');
  if (schema.if !== undefined) {
    if (passes(schema.if)) { if (schema.then !== undefined) check(root, schema.then, value, path, errors); }
    else if (schema.else !== undefined) check(root, schema.else, value, path, errors);
  }
}

export function validate(schema, value) {
  const errors = [];
  check(schema, schema, value, '', errors);
  return errors;
}

// Every subschema reachable from the root, for checks over the whole schema (supported keywords, $ref targets).
export function walk(schema, visit, path = '#') {
  if (typeof schema !== 'object' || schema === null) return;
  visit(schema, path);
  for (const key of ['properties', '$defs']) {
    for (const [name, sub] of Object.entries(schema[key] ?? {})) walk(sub, visit, `${path}/${key}/${name}`);
  }
  for (const key of ['items', 'additionalProperties', 'propertyNames', 'not', 'if', 'then', 'else']) {
    if (typeof schema[key] === 'object') walk(schema[key], visit, `${path}/${key}`);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) (schema[key] ?? []).forEach((sub, i) => walk(sub, visit, `${path}/${key}/${i}`));
}
