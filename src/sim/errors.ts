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
