// The published report schema, compiled once for the tests that check reports against it.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import schema from '../../src/report/schema.json' with { type: 'json' };

export function reportValidator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  return { ajv, validate: ajv.compile(schema) };
}
