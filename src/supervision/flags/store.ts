import type { Db, Tx } from '../../core/db.js';
import type { FlagAction, FlagStatus } from './schema.js';

export interface SupervisionFlagsTable {
  id: string;
  target: 'application' | 'department';
  applicationId: string | null;
  trackingNumber: string | null;
  itemNameZh: string | null;
  itemNameEn: string | null;
  departmentId: string;
  departmentRegionCode: string;
  reason: string;
  /** Last day (Asia/Shanghai) for the department's response in the current round. */
  dueOn: string;
  status: FlagStatus;
  round: number;
  raisedBy: string;
  /** The raiser's region: only supervisors whose region covers it close or reopen the flag. */
  raisedByRegionCode: string | null;
  raisedByLabel: string;
  raisedAt: string;
  response: string | null;
  respondedByLabel: string | null;
  respondedAt: string | null;
  respondedOn: string | null;
  closedAt: string | null;
  updatedAt: string;
}

export interface SupervisionFlagEventsTable {
  id: string;
  flagId: string;
  action: FlagAction;
  round: number;
  actorStaffId: string;
  actorLabel: string;
  at: string;
  note: string | null;
  dueOn: string | null;
}

declare module '../../core/db.js' {
  interface Tables {
    supervisionFlags: SupervisionFlagsTable;
    supervisionFlagEvents: SupervisionFlagEventsTable;
  }
}

export type FlagRow = SupervisionFlagsTable;
export type FlagEventRow = SupervisionFlagEventsTable;

export interface FlagFilter {
  departmentId?: string;
  regionPrefix?: string;
  statuses?: FlagStatus[];
  limit: number;
  offset: number;
}

/** The SQL of supervision flags; nothing outside this folder touches these tables. */
export class FlagStore {
  constructor(private readonly db: Db) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async insert(tx: Tx, row: FlagRow): Promise<void> {
    await tx.insertInto('supervisionFlags').values(row).execute();
  }

  async insertEvent(tx: Tx, row: FlagEventRow): Promise<void> {
    await tx.insertInto('supervisionFlagEvents').values(row).execute();
  }

  /** A flag this supervisor raised on the same target for the same reason that is not closed yet. */
  openTwin(tx: Tx, row: Pick<FlagRow, 'raisedBy' | 'target' | 'applicationId' | 'departmentId' | 'reason'>): Promise<FlagRow | undefined> {
    let query = tx
      .selectFrom('supervisionFlags')
      .selectAll()
      .where('raisedBy', '=', row.raisedBy)
      .where('target', '=', row.target)
      .where('departmentId', '=', row.departmentId)
      .where('reason', '=', row.reason)
      .where('status', '!=', 'closed');
    query = row.applicationId ? query.where('applicationId', '=', row.applicationId) : query.where('applicationId', 'is', null);
    return query.executeTakeFirst();
  }

  byId(id: string, tx: Tx | Db = this.db): Promise<FlagRow | undefined> {
    return tx.selectFrom('supervisionFlags').selectAll().where('id', '=', id).executeTakeFirst();
  }

  events(flagIds: string[]): Promise<FlagEventRow[]> {
    if (!flagIds.length) return Promise.resolve([]);
    return this.db.selectFrom('supervisionFlagEvents').selectAll().where('flagId', 'in', flagIds).orderBy('at').orderBy('id').execute();
  }

  /**
   * Changes a flag only if it is still in one of `from` and in the same round: a response racing a
   * reopening, or two supervisors closing at once, cannot both win. True when this call changed it.
   */
  async update(tx: Tx, id: string, from: FlagStatus[], round: number, changes: Partial<Omit<FlagRow, 'id'>>): Promise<boolean> {
    const result = await tx.updateTable('supervisionFlags').set(changes).where('id', '=', id).where('status', 'in', from).where('round', '=', round).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Open flags soonest due first, then the rest newest first. A region prefix is exact for known codes (see AlertStore.inRegion). */
  async list(filter: FlagFilter): Promise<{ total: number; rows: FlagRow[] }> {
    let query = this.db.selectFrom('supervisionFlags');
    if (filter.departmentId) query = query.where('departmentId', '=', filter.departmentId);
    if (filter.regionPrefix) query = query.where('departmentRegionCode', 'like', `${filter.regionPrefix}%`);
    if (filter.statuses) query = query.where('status', 'in', filter.statuses);
    const [{ n }, rows] = await Promise.all([
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      query
        .selectAll()
        .orderBy((eb) => eb.case().when('status', '=', 'open').then(0).else(1).end())
        .orderBy('dueOn')
        .orderBy('raisedAt', 'desc')
        .orderBy('id')
        .limit(filter.limit)
        .offset(filter.offset)
        .execute(),
    ]);
    return { total: Number(n), rows };
  }

  /** Open flags of every department past their due day (before `today`). */
  lateResponses(today: string): Promise<FlagRow[]> {
    return this.db.selectFrom('supervisionFlags').selectAll().where('status', '=', 'open').where('dueOn', '<', today).orderBy('dueOn').orderBy('id').execute();
  }
}
