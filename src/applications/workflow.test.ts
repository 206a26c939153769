import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FlowStepDefinition } from '../catalog/schema.js';
import { APPLICATION_STATUSES, availableActions, checkTransition, CLOSED_STATUSES, OFFICER_ACTIONS, type Action, type ApplicationStatus } from './workflow.js';

const licensing: FlowStepDefinition[] = [
  { step: 'accept', roles: ['officer'] },
  { step: 'review', roles: ['officer'] },
  { step: 'specialProcedure', roles: ['officer'] },
  { step: 'approve', roles: ['approver'] },
  { step: 'conclude', roles: ['officer'] },
  { step: 'deliver', roles: ['officer'] },
];
const immediate: FlowStepDefinition[] = [{ step: 'accept', roles: ['officer'] }];
const flow = (steps: FlowStepDefinition[]) => ({ steps });

describe('the handling flow of a licensing item', () => {
  const walk: [Action, ApplicationStatus, string[], ApplicationStatus][] = [
    ['submit', 'draft', [], 'submitted'],
    ['requestSupplement', 'submitted', ['officer'], 'supplementRequested'],
    ['accept', 'submitted', ['officer'], 'accepted'],
    ['startReview', 'accepted', ['officer'], 'underReview'],
    ['startSpecialProcedure', 'underReview', ['officer'], 'specialProcedure'],
    ['endSpecialProcedure', 'specialProcedure', ['officer'], 'underReview'],
    ['approve', 'underReview', ['approver'], 'approved'],
    ['reject', 'underReview', ['approver'], 'rejected'],
    ['conclude', 'approved', ['officer'], 'concluded'],
    ['deliver', 'concluded', ['officer'], 'delivered'],
    ['withdraw', 'underReview', [], 'withdrawn'],
  ];
  it.each(walk)('%s from %s by %j leads to %s', (action, from, roles, to) => {
    expect(checkTransition(action, from, flow(licensing), roles)).toMatchObject({ ok: true, to });
  });

  it('lets only the approver approve', () => {
    expect(checkTransition('approve', 'underReview', flow(licensing), ['officer'])).toEqual({ ok: false, reason: 'roleNotInStep' });
  });

  it('refuses to approve what has not been reviewed', () => {
    expect(checkTransition('approve', 'accepted', flow(licensing), ['approver'])).toEqual({ ok: false, reason: 'illegalTransition' });
  });

  it('returns a supplement to where it was requested', () => {
    expect(checkTransition('supplement', 'supplementRequested', { steps: licensing, resumeStatus: 'underReview' })).toMatchObject({ ok: true, to: 'underReview' });
    expect(checkTransition('supplement', 'supplementRequested', { steps: licensing, resumeStatus: 'submitted' })).toMatchObject({ ok: true, to: 'submitted' });
  });

  it('skips the steps a simple flow leaves out: accepted then decided and concluded at once', () => {
    expect(checkTransition('approve', 'accepted', flow(immediate), ['officer'])).toMatchObject({ ok: true, to: 'concluded' });
    expect(checkTransition('startReview', 'accepted', flow(immediate), ['officer'])).toEqual({ ok: false, reason: 'stepNotInFlow' });
    expect(checkTransition('deliver', 'concluded', flow(immediate), ['officer'])).toEqual({ ok: false, reason: 'stepNotInFlow' });
  });
});

describe('workflow properties', () => {
  const status = fc.constantFrom(...APPLICATION_STATUSES);
  const action = fc.constantFrom<Action>(...OFFICER_ACTIONS, 'submit', 'supplement', 'withdraw');
  const roles = fc.subarray(['officer', 'approver', 'supervisor', 'admin']);

  it('nothing moves a withdrawn, concluded or delivered application except delivering what is concluded', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CLOSED_STATUSES), action, roles, (from, act, who) => {
        const result = checkTransition(act, from, flow(licensing), who);
        if (result.ok) expect([from, act]).toEqual(['concluded', 'deliver']);
      }),
    );
  });

  it('an officer without a role named in the flow can never act', () => {
    fc.assert(
      fc.property(status, fc.constantFrom(...OFFICER_ACTIONS.filter((a) => a !== 'forward')), (from, act) => {
        expect(checkTransition(act, from, flow(licensing), ['supervisor', 'admin']).ok).toBe(false);
      }),
    );
  });

  it('any walk of allowed actions stays within the known statuses and never returns to draft', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(action, roles), { maxLength: 30 }), (steps) => {
        let current: ApplicationStatus = 'draft';
        let resume: ApplicationStatus | null = null;
        for (const [act, who] of steps) {
          const result = checkTransition(act, current, { steps: licensing, resumeStatus: resume }, who);
          if (!result.ok) continue;
          if (result.to === 'supplementRequested') resume = current;
          current = result.to;
          expect(APPLICATION_STATUSES).toContain(current);
          if (act !== 'submit') expect(current).not.toBe('draft');
        }
      }),
    );
  });

  it('the actions offered to an officer are exactly those that would succeed', () => {
    fc.assert(
      fc.property(status, roles, (from, who) => {
        const offered = availableActions(from, flow(licensing), who);
        for (const act of OFFICER_ACTIONS.filter((a) => a !== 'forward')) {
          expect(offered.includes(act)).toBe(checkTransition(act, from, flow(licensing), who).ok);
        }
      }),
    );
  });
});
