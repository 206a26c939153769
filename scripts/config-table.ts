// Prints the README's configuration table from the settings the server actually reads.
import { SETTINGS } from '../src/core/config.js';

console.log('| Variable | Default | Meaning |');
console.log('| --- | --- | --- |');
for (const setting of SETTINGS) {
  const fallback = setting.default ? `\`${setting.default}\`` : setting.generated ? 'generated in embedded mode; **required** in production' : '—';
  console.log(`| \`${setting.name}\` | ${fallback} | ${setting.description} |`);
}
