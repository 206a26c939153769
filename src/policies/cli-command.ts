import type { Platform } from '../core/platform.js';
import { AppError } from '../core/errors.js';
import { translate } from '../core/i18n.js';
import { shanghaiDate } from '../reference/dates.js';
import { checkOn, CliInputError, cliMatch, enterpriseFromFile, policiesFromFile } from './cli.js';

type Options = Record<string, string | boolean | undefined>;
type WithPlatform = <T>(work: (platform: Platform) => Promise<T>) => Promise<T>;

function printProblems(error: CliInputError | AppError): number {
  if (error instanceof CliInputError) {
    console.error(error.message);
    if (error.problems.length) console.error(JSON.stringify(error.problems, null, 2));
  } else {
    console.error(translate('en', error.detailKey ?? error.titleKey, error.params));
    console.error(JSON.stringify(error.fields.map((f) => ({ path: f.field, message: translate('en', f.message, f.params) })), null, 2));
  }
  return 1;
}

const usage = (text: string) => {
  console.error(text);
  return 2;
};

/** `tongban policy match|import|export`: see the help text in src/cli.ts. */
export async function policyCommand(sub: string | undefined, args: string[], values: Options, withPlatform: WithPlatform): Promise<number> {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  try {
    switch (sub) {
      case 'match': {
        const enterpriseFile = text('enterprise');
        if (!enterpriseFile) return usage('Say which enterprise: tongban policy match --enterprise FILE [--policies FILE] [--on YYYY-MM-DD]');
        const policiesFile = text('policies');
        if (policiesFile) {
          const on = checkOn(text('on'), shanghaiDate(new Date()));
          const policies = await policiesFromFile(policiesFile);
          console.log(JSON.stringify(cliMatch(policies, await enterpriseFromFile(enterpriseFile, policies, on), on), null, 2));
          return 0;
        }
        return withPlatform(async (platform) => {
          const { createServices } = await import('../services.js');
          const services = createServices(platform);
          const on = checkOn(text('on'), shanghaiDate(platform.clock.now()));
          const policies = await services.policyLibrary.library();
          console.log(JSON.stringify(cliMatch(policies, await enterpriseFromFile(enterpriseFile, policies, on), on), null, 2));
          return 0;
        });
      }
      case 'import': {
        const file = args[0];
        const department = text('department');
        if (!file || !department) return usage('Say what and where: tongban policy import FILE --department CODE [--publish]');
        const { readFile } = await import('node:fs/promises');
        let input: unknown;
        try {
          input = JSON.parse(await readFile(file, 'utf8'));
        } catch (error) {
          throw new CliInputError(`Cannot read ${file} as JSON: ${(error as Error).message}`);
        }
        return withPlatform(async (platform) => {
          const { createServices } = await import('../services.js');
          const report = await createServices(platform).policyLibrary.importAsOperator(department, input, { publish: Boolean(values.publish) });
          console.log(JSON.stringify(report, null, 2));
          return 0;
        });
      }
      case 'export':
        return withPlatform(async (platform) => {
          const { createServices } = await import('../services.js');
          const codes = text('codes')?.split(',').map((c) => c.trim()).filter(Boolean);
          console.log(JSON.stringify(await createServices(platform).policyLibrary.exportFile({ codes }), null, 2));
          return 0;
        });
      default:
        return usage('tongban policy match|import|export; see tongban policy --help');
    }
  } catch (error) {
    if (error instanceof CliInputError || (error instanceof AppError && error.status < 500)) return printProblems(error);
    throw error;
  }
}
