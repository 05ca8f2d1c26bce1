import type { ClassifiedFailure } from '../build/classify.js';

/**
 * An expected end of a build (the app does not compile, a dependency does not exist): the
 * build fails with this code, message and hint; the operator detail goes to events.
 */
export class StageFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string,
    readonly detail?: ClassifiedFailure,
  ) {
    super(message);
    this.name = 'StageFailure';
  }

  static from(failure: ClassifiedFailure): StageFailure {
    return new StageFailure(failure.code, failure.message, failure.hint, failure);
  }
}

export class BuildCancelled extends Error {
  constructor() {
    super('The build was cancelled.');
    this.name = 'BuildCancelled';
  }
}
