/**
 * An erasure request honoured (UU PDP art. 8 and 43): recorded in the person's own stream (worker or sponsor),
 * with the reason and the request's reference and no personal data. The person's data key is destroyed right
 * after it is recorded.
 */
export type PersonalDataErasedData = {
  reason: string;
  /** The reference of the request (letter, ticket), for the archive. */
  requestRef: string;
  /** When the erasure was recorded (ISO 8601). */
  erasedAt: string;
  occurredOn: string;
};
