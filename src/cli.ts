import { parseArgs } from 'node:util';

const HELP: Record<string, string> = {
  main: `tongban — the Tongban government service platform

Usage: tongban <command> [options]

Commands:
  serve          Serve the platform over HTTP (PORT, default 3000)
  migrate        Bring the database schema up to date
  seed --demo    Load the demo data (regions, departments, staff, persons, enterprises)
  audit verify   Check the audit trail's hash chain and its signed checkpoints
  audit checkpoint  Sign the audit trail's current head now
  policy         Match, import and export policies (policy match|import|export)
  supervision rebuild  Recompute the supervision dashboards' figures from scratch

Run 'tongban <command> --help' for a command's options. Configuration comes from environment
variables; see the README.`,
  serve: `tongban serve [--demo]

Serves the platform at PUBLIC_URL. Migrates the database first.
  --demo   also load the demo data and print the demo accounts`,
  migrate: `tongban migrate

Applies every pending migration to the database named by DATABASE_URL (or the embedded SQLite
database in DATA_DIR) and prints what it applied.`,
  seed: `tongban seed --demo

Loads the demo data. Safe to run twice: existing demo records are left as they are.`,
  audit: `tongban audit verify [--checkpoint FILE]...
tongban audit checkpoint

verify      Recomputes the audit trail's hash chain from the first row and names the first row
            that was changed or removed; then checks every signed checkpoint (the database's,
            every file in AUDIT_CHECKPOINT_DIR when it is set, and each FILE given, e.g. a
            copy taken from the log): its
            signature, and that the chain still holds the signed hash at the signed position,
            so that events cut off the end are detected too. Exits 0 when everything is intact,
            1 otherwise, 2 on wrong usage.
checkpoint  Signs the current head now (the hourly job does the same) and prints the JWS.`,
  policy: `tongban policy match --enterprise FILE [--policies FILE] [--on YYYY-MM-DD]
tongban policy import FILE --department CODE [--publish]
tongban policy export [--codes A,B]

match    Prints, as JSON, every policy in force on the date (today in China by default) where
         the enterprise is, with its outcome (eligible, ineligible, undetermined), every
         condition explained, the missing facts and the benefit amount. The enterprise file
         holds its facts ({"region": "310115", "industry": "6210", ...} or {"facts": {...}}).
         With --policies the policies come from an interchange file (docs/policy-format.md)
         and the database is not touched; without it, the platform's published policies.
import   Imports an interchange file into a department (by its code) as new drafts or
         versions; with --publish also publishes them after the publication checks. One
         problem anywhere imports nothing; every problem is printed with its JSON path.
export   Prints the published policies as an interchange file.
Exit status: 0 done, 1 the input has problems (listed on stderr as JSON), 2 wrong usage.`,
  supervision: `tongban supervision rebuild

Recomputes every application's figures (on time, handling days) with the holiday calendar as it
stands now, then clears and rebuilds the dashboards' monthly rows and the copy of the catalogue.
Run it after loading or correcting a year's holiday arrangement. Safe while servers run: it waits
for a refresh in progress. Exit status: 0 done, 2 wrong usage.`,
};

async function withPlatform<T>(work: (platform: import('./core/platform.js').Platform) => Promise<T>): Promise<T> {
  const { loadConfig } = await import('./core/config.js');
  const { openPlatform } = await import('./core/platform.js');
  const { migrateToLatest } = await import('./core/migrate.js');
  const { MIGRATIONS } = await import('./migrations.js');
  const platform = openPlatform(await loadConfig(), {});
  try {
    await migrateToLatest(platform.database, MIGRATIONS);
    return await work(platform);
  } finally {
    await platform.database.close();
  }
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (error) {
    const { ConfigError } = await import('./core/config.js');
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 78;
    }
    throw error;
  }
}

async function dispatch(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: {
      help: { type: 'boolean', short: 'h' },
      demo: { type: 'boolean' },
      policies: { type: 'string' },
      enterprise: { type: 'string' },
      on: { type: 'string' },
      department: { type: 'string' },
      publish: { type: 'boolean' },
      codes: { type: 'string' },
      checkpoint: { type: 'string', multiple: true },
    },
  });
  const [command, sub] = positionals;
  if (!command || (command === 'help' && !sub)) {
    console.log(HELP.main);
    return command ? 0 : values.help ? 0 : 1;
  }
  if (values.help) {
    console.log(HELP[command] ?? HELP.main);
    return HELP[command] ? 0 : 1;
  }
  switch (command) {
    case 'serve': {
      const { serve } = await import('./main.js');
      await serve({ demo: Boolean(values.demo) });
      return -1;
    }
    case 'migrate': {
      const { loadConfig } = await import('./core/config.js');
      const { openPlatform } = await import('./core/platform.js');
      const { migrateToLatest } = await import('./core/migrate.js');
      const { MIGRATIONS } = await import('./migrations.js');
      const platform = openPlatform(await loadConfig());
      try {
        const result = await migrateToLatest(platform.database, MIGRATIONS);
        const applied = result.results ?? [];
        console.log(applied.length ? applied.map((r) => `applied ${r.migrationName}`).join('\n') : 'The database is up to date.');
      } finally {
        await platform.database.close();
      }
      return 0;
    }
    case 'seed': {
      if (!values.demo) {
        console.error('Say what to seed: tongban seed --demo');
        return 2;
      }
      return withPlatform(async (platform) => {
        const { seedDemo, printDemoAccounts } = await import('./demo/seed.js');
        printDemoAccounts(await seedDemo(platform), platform.config.publicUrl);
        return 0;
      });
    }
    case 'audit': {
      const { auditCommand } = await import('./transparency/cli-command.js');
      return auditCommand(sub, values, withPlatform, HELP.audit!);
    }
    case 'policy': {
      const { policyCommand } = await import('./policies/cli-command.js');
      return policyCommand(sub, positionals.slice(2), values, withPlatform);
    }
    case 'supervision': {
      const { supervisionCommand } = await import('./supervision/dashboard/cli-command.js');
      return supervisionCommand(sub, withPlatform, HELP.supervision!);
    }
    default:
      console.error(`Unknown command "${command}".\n\n${HELP.main}`);
      return 2;
  }
}
