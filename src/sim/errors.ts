import type { SimEvent } from './types.js';

/**
 * A command the model refuses. `code` follows EC2's error names where EC2 has one
 * (InsufficientInstanceCapacity, IncorrectInstanceState...), so players learn the real ones.
 */
export class CommandError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

export function refuse(code: string, message: string): never {
  throw new CommandError(code, message);
}

/**
 * How a refusal reads wherever it is shown: EC2's error code, then the reason, as the AWS SDKs
 * print an error (`VolumeModificationRateExceeded: vol-… has been modified 4 times …`). A refusal
 * of fleetops' own (a game command's, a line that does not parse) has no code: the reason alone.
 */
export function refusalText(reason: string, code: string | null): string {
  return code ? `${code}: ${reason}` : reason;
}

/** EC2's error code a `command-refused` event carries; null for any other event or a refusal of fleetops' own. */
export const refusalCode = (e: SimEvent): string | null =>
  e.kind === 'command-refused' && typeof e.data?.code === 'string' ? e.data.code : null;

/**
 * A `command-refused` event's code and reason, without the command (see refusalText). An event
 * restored from a snapshot saved before refusals kept their reason apart has only its message
 * (the command, then the reason), which is given as it was.
 */
export function refusalOf(e: SimEvent): string {
  return typeof e.data?.reason === 'string' ? refusalText(e.data.reason, refusalCode(e)) : e.message;
}
