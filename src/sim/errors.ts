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
