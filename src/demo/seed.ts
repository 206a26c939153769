import type { Platform } from '../core/platform.js';

export interface DemoAccount {
  role: string;
  login: string;
  password: string;
  note?: string;
}

export interface SeedResult {
  created: boolean;
  accounts: DemoAccount[];
}

/** Demo data: regions, departments, staff, persons and enterprises. Idempotent. */
export async function seedDemo(_platform: Platform): Promise<SeedResult> {
  return { created: false, accounts: [] };
}

export function printDemoAccounts(result: SeedResult, url: string): void {
  if (result.accounts.length === 0) return;
  console.log(`\nDemo accounts (${url}):`);
  for (const account of result.accounts) {
    console.log(`  ${account.role.padEnd(22)} ${account.login.padEnd(22)} ${account.password}${account.note ? `  (${account.note})` : ''}`);
  }
  console.log('');
}
