import type { Platform } from '../../core/platform.js';

type WithPlatform = <T>(work: (platform: Platform) => Promise<T>) => Promise<T>;

/**
 * `tongban supervision rebuild`: re-reads every application through the read port, recomputes
 * every fact with the calendar as it stands now, clears the monthly rows and rebuilds them (so a
 * month that no longer holds any fact disappears), and replaces the catalogue copy. Needed after
 * the holiday calendar of a past or current year is loaded or corrected; safe while servers run
 * (it waits for a running refresh and holds the same lease). Exit 0 done, 2 wrong usage.
 */
export async function supervisionCommand(sub: string | undefined, withPlatform: WithPlatform, help: string): Promise<number> {
  if (sub !== 'rebuild') {
    console.error(help);
    return 2;
  }
  return withPlatform(async (platform) => {
    const { createServices } = await import('../../services.js');
    const started = Date.now();
    const result = await createServices(platform).supervisionDashboards.refresh({ full: true });
    const span = result.months.length ? `${result.months[0]}..${result.months[result.months.length - 1]}` : 'none';
    console.log(
      `Rebuilt the supervision rollup in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.applications} applications, ${result.months.length} months (${span}), ${result.items} items; figures as of ${result.refreshedAt}.`,
    );
    return 0;
  });
}
