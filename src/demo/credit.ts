import type { Platform } from '../core/platform.js';
import type { RecordInput } from '../credit/schema.js';
import { addMonths, shanghaiDate } from '../reference/dates.js';
import type { Services } from '../services.js';

/**
 * Demo credit records: a licence and an honour for the Pudong software company, a general penalty
 * for the Hangzhou restaurant, and one enterprise of the demo population on the seriously
 * untrustworthy list (one whose authority facts already say `untrustworthy`, so the two agree;
 * reporting the listing keeps the fact set). Dates are relative to today, so the records are in
 * their public periods on the day the demo is first seeded. Idempotent, also on a later day: a
 * record whose department and document number are already there is skipped.
 */
export async function seedCredit(platform: Platform, services: Services, departments: Map<string, string>, enterprises: readonly { uscc: string; name: string }[]): Promise<void> {
  const today = shanghaiDate(platform.clock.now());
  const monthsAgo = (months: number) => addMonths(today, -months);
  const pudong = departments.get('SH-PD-SAMR');
  const xihu = departments.get('ZJ-HZ-XH-SAMR');
  const pudongHr = departments.get('SH-PD-HRSS');
  if (!pudong || !xihu || !pudongHr) return;
  const [software, restaurant] = enterprises;
  const listedRow = await platform.db.selectFrom('enterpriseFacts').select(['uscc', 'name']).where('untrustworthy', '=', 1).where('regionCode', 'like', '31%').orderBy('uscc').limit(1).executeTakeFirst();

  const records: { departmentId: string; input: RecordInput }[] = [];
  if (software) {
    const subject = { kind: 'enterprise' as const, uscc: software.uscc, name: software.name };
    records.push(
      {
        departmentId: pudong,
        input: {
          category: 'licence',
          subject,
          title: '增值电信业务经营许可证',
          content: '许可经营第二类增值电信业务中的信息服务业务（仅限互联网信息服务）。',
          legalBasis: '《中华人民共和国电信条例》第七条',
          documentNumber: '沪B2-20240017',
          decidedOn: monthsAgo(10),
          effectiveTo: addMonths(today, 50),
          publicFields: ['title', 'content', 'legalBasis', 'documentNumber', 'effectiveFrom', 'effectiveTo'],
        },
      },
      {
        departmentId: pudong,
        input: {
          category: 'honour',
          subject,
          title: '上海市“守合同重信用”企业',
          content: '连续两年合同履约情况良好，无不良信用记录。',
          legalBasis: '《上海市“守合同重信用”企业公示活动管理办法》',
          documentNumber: '浦市监〔2025〕守信第12号',
          decidedOn: monthsAgo(6),
        },
      },
    );
  }
  if (restaurant) {
    records.push({
      departmentId: xihu,
      input: {
        category: 'penalty',
        severity: 'general',
        subject: { kind: 'enterprise', uscc: restaurant.uscc, name: restaurant.name },
        title: '未按规定公示食品经营许可证',
        content: '当事人未在经营场所显著位置悬挂食品经营许可证。责令改正，给予警告。',
        legalBasis: '《中华人民共和国食品安全法》第一百二十六条',
        documentNumber: '杭西市监罚〔2026〕18号',
        decidedOn: monthsAgo(4),
        publicFields: ['title', 'legalBasis', 'documentNumber'],
      },
    });
  }
  if (listedRow) {
    records.push({
      departmentId: pudongHr,
      input: {
        category: 'listing',
        subject: { kind: 'enterprise', uscc: listedRow.uscc, name: listedRow.name ?? listedRow.uscc },
        title: '拖欠农民工工资失信联合惩戒对象名单',
        content: '拖欠农民工工资数额较大，经责令限期支付仍未支付。',
        legalBasis: '《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》第五条',
        documentNumber: '浦人社监〔2026〕失信第3号',
        decidedOn: monthsAgo(2),
      },
    });
  }
  for (const { departmentId, input } of records) {
    // Seeded on an earlier day, the dates (relative to today) differ and a report would be a 409:
    // a record already there under its document number stays as it is.
    if (await services.credit.store.byDocument(departmentId, input.documentNumber)) continue;
    await services.credit.report({ departmentId, actor: { type: 'system', label: 'demo data' }, source: 'demo' }, input);
  }
}
