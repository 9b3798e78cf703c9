import { createEventCodec } from '../../src/event-catalog';
import { DEFAULT_POLICY } from '../../src/shared/policy';

/** The product's event codec with the default time zone and policy, as the service builds it. */
export const testCodec = () => createEventCodec({ timezone: 'Asia/Jakarta', policy: DEFAULT_POLICY });
