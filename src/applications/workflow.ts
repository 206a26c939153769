import type { FlowStep, FlowStepDefinition } from '../catalog/schema.js';

/**
 * The life of an application, as one table of transitions. Who may take a transition is decided by
 * the item's flow (the version the application was submitted under): each officer action belongs to
 * a step, and only the roles the flow names for that step may take it. Steps an item's flow leaves
 * out are skipped: an item without a review step is decided straight after acceptance, one without
 * a conclude step is concluded by its decision.
 */
export const APPLICATION_STATUSES = [
  'draft',
  'submitted',
  'accepted',
  'supplementRequested',
  'underReview',
  'specialProcedure',
  'approved',
  'rejected',
  'withdrawn',
  'concluded',
  'delivered',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const OFFICER_ACTIONS = [
  'forward',
  'accept',
  'refuse',
  'requestSupplement',
  'startReview',
  'startSpecialProcedure',
  'endSpecialProcedure',
  'approve',
  'reject',
  'conclude',
  'deliver',
] as const;
export type OfficerAction = (typeof OFFICER_ACTIONS)[number];
export type ApplicantAction = 'submit' | 'supplement' | 'withdraw';
export type Action = OfficerAction | ApplicantAction;

/** Statuses in which the legal clock does not run: the applicant or an outside procedure has the ball. */
export const PAUSED_STATUSES: ApplicationStatus[] = ['supplementRequested', 'specialProcedure'];
/** Statuses after which nothing is counted any more. */
export const CLOSED_STATUSES: ApplicationStatus[] = ['withdrawn', 'concluded', 'delivered'];
export const DECIDED_STATUSES: ApplicationStatus[] = ['approved', 'rejected', 'concluded', 'delivered'];

interface Transition {
  from: ApplicationStatus[];
  /** The flow step the action belongs to (officer actions only). */
  step?: FlowStep;
}

const TRANSITIONS: Record<Action, Transition> = {
  submit: { from: ['draft'] },
  withdraw: { from: ['submitted', 'accepted', 'supplementRequested', 'underReview'] },
  supplement: { from: ['supplementRequested'] },
  // 异地代收: the collecting office checks what it received and passes it on; the status does not change.
  forward: { from: ['submitted'] },
  accept: { from: ['submitted'], step: 'accept' },
  // 不予受理: refused at the door, with reasons.
  refuse: { from: ['submitted'], step: 'accept' },
  requestSupplement: { from: ['submitted', 'accepted', 'underReview'], step: 'accept' },
  startReview: { from: ['accepted'], step: 'review' },
  startSpecialProcedure: { from: ['underReview'], step: 'specialProcedure' },
  endSpecialProcedure: { from: ['specialProcedure'], step: 'specialProcedure' },
  approve: { from: ['underReview'], step: 'approve' },
  reject: { from: ['underReview'], step: 'approve' },
  conclude: { from: ['approved', 'rejected'], step: 'conclude' },
  deliver: { from: ['concluded'], step: 'deliver' },
};

export interface FlowContext {
  steps: FlowStepDefinition[];
  /** Where a supplement returns to once answered (the status it was requested from). */
  resumeStatus?: ApplicationStatus | null;
}

function hasStep(flow: FlowContext, step: FlowStep): boolean {
  return flow.steps.some((s) => s.step === step);
}

/** The step whose roles decide an action, after skipping the steps the flow leaves out. */
export function stepFor(action: OfficerAction, flow: FlowContext, current: ApplicationStatus): FlowStep | null {
  if (action === 'forward') return null;
  const step = TRANSITIONS[action].step!;
  // Before acceptance a supplement is part of accepting (补正); afterwards it belongs to the review.
  if (action === 'requestSupplement') return current !== 'submitted' && hasStep(flow, 'review') ? 'review' : 'accept';
  if (step === 'approve' && !hasStep(flow, 'approve')) return hasStep(flow, 'conclude') ? 'conclude' : 'accept';
  return step;
}

/** Statuses an action may start from under this flow (skipped steps widen them). */
export function sourcesOf(action: Action, flow: FlowContext): ApplicationStatus[] {
  const from = [...TRANSITIONS[action].from];
  if ((action === 'approve' || action === 'reject') && !hasStep(flow, 'review')) from.push('accepted');
  return from;
}

/** The status an action leads to under this flow. */
export function targetOf(action: Action, flow: FlowContext, current: ApplicationStatus): ApplicationStatus {
  switch (action) {
    case 'submit':
      return 'submitted';
    case 'withdraw':
      return 'withdrawn';
    case 'supplement':
      return flow.resumeStatus && flow.resumeStatus !== 'supplementRequested' ? flow.resumeStatus : 'submitted';
    case 'forward':
      return current;
    case 'accept':
      return 'accepted';
    case 'refuse':
      return hasStep(flow, 'conclude') ? 'rejected' : 'concluded';
    case 'requestSupplement':
      return 'supplementRequested';
    case 'startReview':
      return 'underReview';
    case 'startSpecialProcedure':
      return 'specialProcedure';
    case 'endSpecialProcedure':
      return 'underReview';
    case 'approve':
      return hasStep(flow, 'conclude') ? 'approved' : 'concluded';
    case 'reject':
      return hasStep(flow, 'conclude') ? 'rejected' : 'concluded';
    case 'conclude':
      return 'concluded';
    case 'deliver':
      return 'delivered';
  }
}

export type TransitionCheck =
  | { ok: true; to: ApplicationStatus; step: FlowStep | null }
  | { ok: false; reason: 'illegalTransition' | 'stepNotInFlow' | 'roleNotInStep' };

/**
 * Whether `action` may be taken now. `roles` are the acting officer's roles (ignored for applicant
 * actions, which are checked against ownership elsewhere).
 */
export function checkTransition(action: Action, current: ApplicationStatus, flow: FlowContext, roles: readonly string[] = []): TransitionCheck {
  if (!sourcesOf(action, flow).includes(current)) return { ok: false, reason: 'illegalTransition' };
  if (action === 'deliver' && !hasStep(flow, 'deliver')) return { ok: false, reason: 'stepNotInFlow' };
  if (action === 'conclude' && !hasStep(flow, 'conclude')) return { ok: false, reason: 'stepNotInFlow' };
  if ((action === 'startReview' || action === 'startSpecialProcedure' || action === 'endSpecialProcedure') && !hasStep(flow, TRANSITIONS[action].step!)) {
    return { ok: false, reason: 'stepNotInFlow' };
  }
  if (isOfficerAction(action) && action !== 'forward') {
    const step = stepFor(action, flow, current)!;
    const definition = flow.steps.find((s) => s.step === step);
    if (!definition) return { ok: false, reason: 'stepNotInFlow' };
    if (!definition.roles.some((role) => roles.includes(role))) return { ok: false, reason: 'roleNotInStep' };
    return { ok: true, to: targetOf(action, flow, current), step };
  }
  return { ok: true, to: targetOf(action, flow, current), step: null };
}

export function isOfficerAction(action: Action): action is OfficerAction {
  return (OFFICER_ACTIONS as readonly string[]).includes(action);
}

/** The officer actions open now for someone with these roles: the workbench shows exactly these. */
export function availableActions(current: ApplicationStatus, flow: FlowContext, roles: readonly string[]): OfficerAction[] {
  return OFFICER_ACTIONS.filter((action) => action !== 'forward' && checkTransition(action, current, flow, roles).ok);
}
