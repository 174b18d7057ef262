import type { DecideInput } from '@jingzhun/contracts';

/** approve → go on; return → back to the first step (a new round); reject → the case ends. */
export type Route = 'go' | 'again' | 'stop';

export function route(d: DecideInput): Route {
  return d.decision === 'approve' ? 'go' : d.decision === 'return' ? 'again' : 'stop';
}
