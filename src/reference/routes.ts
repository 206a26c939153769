import { requireRole } from '../core/auth.js';
import type { Clock } from '../core/clock.js';
import { fieldInvalid, notFound } from '../core/errors.js';
import type { HttpApp } from '../core/http.js';
import { translate, type Locale } from '../core/i18n.js';
import { queryAjv } from '../core/validation.js';
import type { CalendarService } from './calendar-service.js';
import { shanghaiDate } from './dates.js';
import { allIndustries, getIndustry, type Industry } from './industries.js';
import { NATIONWIDE_REGION_CODE, ancestors, children, getRegion, isWithin } from './regions.js';
import { validateResidentId } from './resident-id.js';
import { classifyEnterpriseSize } from './size-class.js';
import { entityTypeFromUscc, validateUscc } from './uscc.js';
import {
  AddWorkingDaysQuery,
  AddWorkingDaysResult,
  CalendarYearParams,
  CalendarYearUpload,
  CalendarYearView,
  ContainsResult,
  IndustryParams,
  IndustryView,
  RegionContainsParams,
  RegionParams,
  RegionView,
  SizeClassBody,
  SizeClassResult,
  ValidateQuery,
  ValidateResult,
  WorkingDaysBetweenQuery,
  WorkingDaysBetweenResult,
} from './schema.js';
import './messages.js';

export interface ReferenceDependencies {
  calendar: CalendarService;
  clock: Clock;
}

/** What a number encodes, or why it is not valid, with the reason put into words for the reader. */
export function describeNumber(query: ValidateQuery, today: string, locale: Locale): ValidateResult {
  if (query.type === 'resident-id') {
    const result = validateResidentId(query.value, { today });
    if (!result.valid) return { valid: false, reason: result.reason, message: translate(locale, `reference.residentId.${result.reason}`) };
    return { valid: true, normalized: result.normalized, message: translate(locale, 'reference.residentId.valid'), info: result.info };
  }
  const result = validateUscc(query.value);
  if (!result.valid) return { valid: false, reason: result.reason, message: translate(locale, `reference.uscc.${result.reason}`) };
  const entityType = entityTypeFromUscc(result.normalized);
  return {
    valid: true,
    normalized: result.normalized,
    message: translate(locale, 'reference.uscc.valid'),
    info: { ...result.info, ...(entityType ? { entityType } : {}) },
  };
}

function regionView(code: string): RegionView | undefined {
  if (code === NATIONWIDE_REGION_CODE) {
    return { code, name: '全国', level: 'country', parentCode: null, administrative: true, path: [] };
  }
  const region = getRegion(code);
  if (!region) return undefined;
  return { ...region, path: [...ancestors(code), region].map(({ code, name }) => ({ code, name })) };
}

function knownRegion(code: string): RegionView {
  const view = regionView(code);
  if (!view) throw notFound('regionNotFound', 'reference.region.notFound', { code });
  return view;
}

function industryView(industry: Industry): IndustryView {
  const path: Industry[] = [];
  for (let at: Industry | undefined = industry; at; at = at.parentCode ? getIndustry(at.parentCode) : undefined) path.unshift(at);
  const { division: _division, group: _group, ...rest } = industry;
  return { ...rest, path: path.map(({ code, name }) => ({ code, name })) };
}

function knownIndustry(code: string): Industry {
  const industry = getIndustry(code);
  if (!industry) throw notFound('industryNotFound', 'reference.industry.notFound', { code });
  return industry;
}

/** National reference data: validators, regions, industries, size classes and the working-day calendar. */
export function referenceRoutes(app: HttpApp, { calendar, clock }: ReferenceDependencies): void {
  const tags = ['reference'];

  app.get(
    '/api/v1/reference/validate',
    {
      schema: {
        tags,
        summary: 'Check a resident identity number or unified social credit code, and say what it encodes',
        description:
          'Public, so that departments can check numbers before they submit data. Not-valid is an answer (200 with valid: false and the reason), not an error. The value is never logged.',
        querystring: ValidateQuery,
        response: { 200: ValidateResult },
      },
    },
    async (request) => describeNumber(request.query, shanghaiDate(clock.now()), request.locale),
  );

  app.get(
    '/api/v1/reference/regions/:code',
    { schema: { tags, summary: 'An administrative division (GB/T 2260) with its place in the hierarchy', params: RegionParams, response: { 200: RegionView } } },
    async (request) => knownRegion(request.params.code),
  );

  app.get(
    '/api/v1/reference/regions/:code/children',
    {
      schema: {
        tags,
        summary: 'The divisions directly below a region (100000: the provinces)',
        params: RegionParams,
        response: { 200: { type: 'array', items: RegionView } },
      },
    },
    async (request) => {
      knownRegion(request.params.code);
      return children(request.params.code).map((child) => regionView(child.code)!);
    },
  );

  app.get(
    '/api/v1/reference/regions/:code/contains/:other',
    {
      schema: {
        tags,
        summary: 'Whether region `other` lies within region `code` (a region contains itself)',
        params: RegionContainsParams,
        response: { 200: ContainsResult },
      },
    },
    async (request) => {
      knownRegion(request.params.code);
      knownRegion(request.params.other);
      return { within: isWithin(request.params.other, request.params.code) };
    },
  );

  app.get(
    '/api/v1/reference/industries',
    { schema: { tags, summary: 'The sections (门类) of GB/T 4754-2017', response: { 200: { type: 'array', items: IndustryView } } } },
    async () => allIndustries('section').map(industryView),
  );

  app.get(
    '/api/v1/reference/industries/:code',
    { schema: { tags, summary: 'An industry of GB/T 4754-2017 with its place in the hierarchy', params: IndustryParams, response: { 200: IndustryView } } },
    async (request) => industryView(knownIndustry(request.params.code)),
  );

  app.get(
    '/api/v1/reference/industries/:code/children',
    {
      schema: { tags, summary: 'The industries directly below one', params: IndustryParams, response: { 200: { type: 'array', items: IndustryView } } },
    },
    async (request) => {
      const parent = knownIndustry(request.params.code);
      return allIndustries()
        .filter((industry) => industry.parentCode === parent.code)
        .sort((a, b) => a.code.localeCompare(b.code))
        .map(industryView);
    },
  );

  app.post(
    '/api/v1/reference/size-class',
    {
      schema: {
        tags,
        summary: 'Enterprise size class (国统字〔2017〕213号) from industry, employees, revenue and assets',
        description: 'Amounts are integer fen. An indicator the industry needs but that is missing gives insufficientData, never a guess.',
        body: SizeClassBody,
        response: { 200: SizeClassResult },
      },
    },
    async (request) => {
      const { industry, employees, operatingRevenue, totalAssets } = request.body;
      const result = classifyEnterpriseSize({
        industry,
        employees,
        // The standard's thresholds are in yuan; the platform keeps money in fen.
        operatingRevenue: operatingRevenue === undefined ? undefined : operatingRevenue / 100,
        totalAssets: totalAssets === undefined ? undefined : totalAssets / 100,
      });
      if (result.status === 'notCovered' && result.reason === 'unknownIndustryClass') {
        throw fieldInvalid('unknownIndustry', '/industry', 'reference.industry.notAClass');
      }
      if (result.status === 'invalidInput') throw fieldInvalid('invalidIndicator', `/${result.indicator}`, 'field.invalid');
      return result.status === 'notCovered' ? { status: result.status } : result;
    },
  );

  app.get(
    '/api/v1/reference/calendar/:year',
    {
      schema: {
        tags,
        summary: "A year's official holidays and adjusted working days, and where they came from",
        params: CalendarYearParams,
        response: { 200: CalendarYearView },
      },
    },
    async (request) => calendar.year(request.params.year),
  );

  app.get(
    '/api/v1/reference/working-days/add',
    {
      schema: {
        tags,
        summary: 'The n-th working day after a date (legal time limits)',
        description: 'Counting starts the day after `from`. A year without a loaded calendar gives 400 calendarYearNotLoaded.',
        querystring: AddWorkingDaysQuery,
        response: { 200: AddWorkingDaysResult },
      },
    },
    async (request) => {
      const { from, days } = request.query;
      return { from, days, date: await calendar.addWorkingDays(from, days) };
    },
  );

  app.get(
    '/api/v1/reference/working-days/between',
    {
      schema: {
        tags,
        summary: 'Working days after `from` up to and including `to`',
        querystring: WorkingDaysBetweenQuery,
        response: { 200: WorkingDaysBetweenResult },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      return { from, to, workingDays: await calendar.workingDaysBetween(from, to) };
    },
  );

  app.put(
    '/api/v1/admin/calendar/:year',
    {
      schema: {
        tags: ['administration'],
        summary: "Administrators: load or correct a year's holiday arrangement as the State Council published it",
        description: 'Replaces any arrangement the year had. Every problem in the upload is listed, each with its JSON path in errors[].field. Audited.',
        params: CalendarYearParams,
        body: CalendarYearUpload,
        response: { 200: CalendarYearView },
      },
      // The body schema documents the upload; validateCalendarYear checks it, so that an
      // administrator sees every mistake in one answer rather than the type errors first.
      validatorCompiler: ({ schema, httpPart }) => (httpPart === 'body' ? () => true : queryAjv.compile(schema)),
    },
    async (request) => {
      const principal = requireRole(request, 'admin');
      const actor = { type: 'admin' as const, id: principal.staffId ?? principal.accountId, label: principal.displayName };
      return calendar.loadYear(request.params.year, request.body as unknown, actor);
    },
  );
}
