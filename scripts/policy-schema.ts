// Writes docs/policy-format.schema.json from the TypeBox schema of the policy interchange format.
import { writeFileSync } from 'node:fs';
import { policyFileJsonSchema } from '../src/policies/format/schema.js';

const target = new URL('../docs/policy-format.schema.json', import.meta.url);
writeFileSync(target, policyFileJsonSchema());
console.log(`Wrote ${target.pathname}`);
