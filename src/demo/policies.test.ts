import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { CATALOG_DEPARTMENTS } from './catalog.js';
import { demoEnterpriseProfiles } from './enterprises.js';
import { DEMO_POLICY_FILE } from './policies.js';
import { POLICY_ITEM_CODES, POLICY_SERVICE_ITEMS } from './policy-items.js';
import { ItemDefinition } from '../catalog/schema.js';
import { checkItem } from '../catalog/rules.js';
import { compileFormula } from '../policies/format/formula.js';
import { resolveParameters } from '../policies/format/parameters.js';
import { parsePolicyFile } from '../policies/format/import.js';
import type { PolicyDocument } from '../policies/format/schema.js';
import { deriveFacts } from '../policies/matching/facts.js';
import { explain, OPERATORS, type Condition, type Facts, type Leaf } from '../policies/rules/evaluate.js';
import { BUILTIN_FACTS, FACT_SOURCES, factsUsed, validateCondition, type FactType } from '../policies/rules/validate.js';
import { isWithin, NATIONWIDE_REGION_CODE } from '../reference/regions.js';

/** The day the demo shows; most policies must be in force then. */
const DEMO_DAY = '2026-11-26';
const { policies } = DEMO_POLICY_FILE;
const declared = DEMO_POLICY_FILE.facts ?? [];
const factTypes: Record<string, FactType> = { ...BUILTIN_FACTS, ...Object.fromEntries(declared.map((fact) => [fact.name, fact.type as FactType])) };
const isAuthoritative = (fact: string) => {
  const declaredFact = declared.find((d) => d.name === fact);
  const source = declaredFact ? (declaredFact.source ?? 'declared') : FACT_SOURCES[fact];
  return source !== undefined && source !== 'declared';
};

const inForce = (policy: PolicyDocument, on: string) => policy.effective.from <= on && (policy.effective.to === null || on <= policy.effective.to);
const leaves = (condition: Condition): Leaf[] =>
  'all' in condition ? condition.all.flatMap(leaves) : 'any' in condition ? condition.any.flatMap(leaves) : 'not' in condition ? leaves(condition.not) : [condition];
const formulaOf = (policy: PolicyDocument) => {
  const compiled = compileFormula(policy.benefit!.formula!, { facts: (name) => factTypes[name] === 'number', parameters: policy.parameters ?? {} });
  if (!compiled.ok) throw new Error(`${policy.code}: ${JSON.stringify(compiled.problems)}`);
  return compiled;
};
const applies = (policy: PolicyDocument, region: string) => policy.regions.some((code) => code === NATIONWIDE_REGION_CODE || isWithin(region, code));

describe('the demo policy file', () => {
  it('imports as a whole, examples and amounts checked as publishing checks them, with 42 or more policies', () => {
    const parsed = parsePolicyFile(structuredClone(DEMO_POLICY_FILE));
    expect(parsed.ok ? [] : parsed.problems).toEqual([]);
    expect(policies.length).toBeGreaterThanOrEqual(42);
    expect(new Set(policies.map((p) => p.code)).size).toBe(policies.length);
  });

  it('writes every rule so that the import checks pass', () => {
    for (const policy of policies) expect(validateCondition(policy.eligibility, '/eligibility', factTypes).problems, policy.code).toEqual([]);
  });

  it('describes each policy in both languages with its benefit and at least one eligible and one other example', () => {
    for (const policy of policies) {
      for (const text of [policy.title, policy.summary, policy.benefit?.description]) {
        expect(text?.['zh-CN'], policy.code).toMatch(/\p{Script=Han}/u);
        expect(text?.en, policy.code).toMatch(/^[^\p{Script=Han}]+$/u);
      }
      expect(policy.documentNumber && policy.issuers?.length && policy.legalBasis?.length && policy.links?.length && policy.category, policy.code).toBeTruthy();
      const outcomes = (policy.examples ?? []).map((e) => e.expected);
      expect(outcomes.length, policy.code).toBeGreaterThanOrEqual(2);
      expect(outcomes, policy.code).toContain('eligible');
      expect(outcomes.some((o) => o !== 'eligible'), policy.code).toBe(true);
    }
  });

  it('gives every example its expected outcome, explained condition by condition, as written and as matching completes it', () => {
    for (const policy of policies) {
      for (const example of policy.examples!) {
        const asWritten = explain(policy.eligibility, example.facts as Facts);
        const result = explain(policy.eligibility, deriveFacts(example.facts as Facts, DEMO_DAY));
        expect([asWritten.outcome, result.outcome], `${policy.code}: ${example.name}`).toEqual([example.expected, example.expected]);
        expect(result.conditions.every((c) => c.label !== null), `${policy.code}: every condition has a label`).toBe(true);
        if (example.expected === 'undetermined') expect(result.missingFacts.length, `${policy.code}: ${example.name}`).toBeGreaterThan(0);
      }
    }
  });

  it('computes the benefit of every eligible example of a policy with a formula, by the parameters of its region', () => {
    const withFormula = policies.filter((p) => p.benefit?.formula);
    expect(withFormula.length).toBeGreaterThanOrEqual(15);
    for (const policy of withFormula) {
      const formula = formulaOf(policy);
      for (const example of policy.examples!.filter((e) => e.expected === 'eligible')) {
        expect(example.benefitAmount, `${policy.code}: ${example.name} names its amount`).toBeTypeOf('number');
        const parameters = resolveParameters(policy.parameters ?? {}, example.facts.region as string);
        expect(formula.evaluate(example.facts as Facts, parameters), `${policy.code}: ${example.name}`).toEqual({ amount: example.benefitAmount });
      }
    }
    for (const policy of policies.filter((p) => !p.benefit?.formula)) expect(policy.examples!.every((e) => e.benefitAmount === undefined), policy.code).toBe(true);
  });

  it('grants without application only on facts from the registry, tax, social insurance and credit systems', () => {
    const automatic = policies.filter((p) => p.mode === 'automatic');
    expect(automatic.length).toBeGreaterThanOrEqual(6);
    for (const policy of automatic) {
      const facts = [...factsUsed(policy.eligibility), ...(policy.benefit?.formula ? formulaOf(policy).referencedFacts : [])];
      expect(facts.filter((fact) => !isAuthoritative(fact)), policy.code).toEqual([]);
    }
  });

  it('claims apply-mode policies through a demo service item and no other', () => {
    const codes = new Set<string>(Object.values(POLICY_ITEM_CODES));
    const apply = policies.filter((p) => p.mode === 'apply');
    expect(apply.length).toBeGreaterThan(policies.length / 2);
    for (const policy of apply) expect(codes.has(policy.serviceItem ?? ''), policy.code).toBe(true);
    for (const policy of policies.filter((p) => p.mode !== 'apply')) expect(policy.serviceItem, policy.code).toBeUndefined();
    expect(new Set(apply.map((p) => p.serviceItem))).toEqual(codes);
  });

  it('uses every operator, checks credit in several rules, mixes modes and shows expired policies', () => {
    const all = policies.flatMap((p) => leaves(p.eligibility));
    expect(new Set(all.map((leaf) => leaf.op))).toEqual(new Set(OPERATORS));
    const checksCredit = policies.filter((p) => leaves(p.eligibility).some((l) => l.fact === 'untrustworthy' && l.op === 'eq' && l.value === false));
    expect(checksCredit.length).toBeGreaterThanOrEqual(5);
    expect(policies.filter((p) => p.mode === 'info').length).toBeGreaterThanOrEqual(3);
    const current = policies.filter((p) => inForce(p, DEMO_DAY));
    expect(current.length).toBeGreaterThan(policies.length * 0.75);
    expect(policies.length - current.length).toBeGreaterThanOrEqual(3);
    expect(policies.filter((p) => p.effective.to === '2027-12-31').length).toBeGreaterThanOrEqual(10);
    const provinces = new Set(policies.flatMap((p) => p.regions).map((code) => code.slice(0, 2)));
    for (const province of ['10', '31', '33', '11', '44', '51', '42']) expect(provinces).toContain(province);
  });

  it('finds for every policy in force at least one eligible demo enterprise, and no policy eligible for all', () => {
    const profiles = demoEnterpriseProfiles().map((p) => ({ region: p.facts.region, facts: deriveFacts(p.facts as unknown as Facts, DEMO_DAY) }));
    for (const policy of policies.filter((p) => inForce(p, DEMO_DAY))) {
      const eligible = profiles.filter((p) => applies(policy, p.region) && explain(policy.eligibility, p.facts).outcome === 'eligible').length;
      expect(eligible, policy.code).toBeGreaterThan(0);
      expect(eligible, policy.code).toBeLessThan(profiles.length);
    }
  });
});

describe('the service items of the demo policies', () => {
  it('are enterprise items, fully online, that keep the catalogue rules', () => {
    for (const { definition } of POLICY_SERVICE_ITEMS) {
      expect([...Value.Errors(ItemDefinition, definition)].map((e) => `${e.path}: ${e.message}`), definition.implementationCode).toEqual([]);
      expect(checkItem(definition), definition.implementationCode).toEqual([]);
      expect(definition.audiences).toEqual(['enterprise']);
      expect([definition.onlineDepth, definition.visits, definition.handlingForms.includes('online')]).toEqual([4, 0, true]);
    }
  });

  it('belong to departments of the demo catalogue, each code once, as the exported codes name them', () => {
    const departments = new Set(CATALOG_DEPARTMENTS.map((d) => d.code));
    for (const { departmentCode, definition } of POLICY_SERVICE_ITEMS) {
      expect(departments.has(departmentCode), departmentCode).toBe(true);
      expect(definition.implementationCode.startsWith(`${departmentCode}-`)).toBe(true);
    }
    const codes = POLICY_SERVICE_ITEMS.map((item) => item.definition.implementationCode);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(Object.values(POLICY_ITEM_CODES))).toEqual(new Set(codes));
  });
});
