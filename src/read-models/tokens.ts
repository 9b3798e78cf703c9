/** Connection string of the read-model database (the embedded one, or DATABASE_URL). */
export const DATABASE_URL = Symbol('DATABASE_URL');
