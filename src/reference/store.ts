import type { Db, Tx } from '../core/db.js';
import type { PlatformMigration } from '../core/migrate.js';

/** One year's holiday arrangement loaded by an administrator; `data` is the validated upload as JSON. */
export interface CalendarYearsTable {
  year: number;
  data: string;
  loadedBy: string;
  loadedAt: string;
}

declare module '../core/db.js' {
  interface Tables {
    calendarYears: CalendarYearsTable;
  }
}

export const referenceCalendarMigration: PlatformMigration = {
  name: '0130-reference-calendar',
  async up(db) {
    await db.schema
      .createTable('calendar_years')
      .addColumn('year', 'integer', (c) => c.primaryKey())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('loaded_by', 'text', (c) => c.notNull())
      .addColumn('loaded_at', 'text', (c) => c.notNull())
      .execute();
  },
};

/** The SQL of the loaded calendar years; nothing else touches `calendar_years`. */
export class CalendarStore {
  constructor(private readonly db: Db) {}

  /** Every loaded year, oldest first. The table holds one small row per year, so reading it whole is cheap. */
  async allYears(): Promise<CalendarYearsTable[]> {
    return this.db.selectFrom('calendarYears').selectAll().orderBy('year').execute();
  }

  async year(year: number): Promise<CalendarYearsTable | undefined> {
    return this.db.selectFrom('calendarYears').selectAll().where('year', '=', year).executeTakeFirst();
  }

  /** Inserts the year or replaces what was loaded for it; true when it replaced an earlier load. */
  async saveYear(tx: Tx, row: CalendarYearsTable): Promise<boolean> {
    const existing = await tx.selectFrom('calendarYears').select('year').where('year', '=', row.year).executeTakeFirst();
    await tx
      .insertInto('calendarYears')
      .values(row)
      .onConflict((oc) => oc.column('year').doUpdateSet({ data: row.data, loadedBy: row.loadedBy, loadedAt: row.loadedAt }))
      .execute();
    return existing !== undefined;
  }

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }
}
