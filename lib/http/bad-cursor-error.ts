/** A list cursor that this server did not issue (answered 400). */
export class BadCursorError extends Error {}
