/**
 * A mistake in something a user wrote (level file, script, save, command line). Its message is one
 * line that names where (file, line, field) and what was expected; the CLI prints it and exits 2.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
