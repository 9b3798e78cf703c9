import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { isPostgresUnavailable } from './pg-errors';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

const databaseError = (code: string) => {
  const error = new DatabaseError('server says no', 0, 'error');
  error.code = code;
  return error;
};

describe('which PostgreSQL failures mean "unavailable for now"', () => {
  it.each([
    ['a connection that died without a code', new Error('Connection terminated unexpectedly')],
    ['a connect that timed out', new Error('Connection terminated due to connection timeout')],
    ['a busy pool that gave no connection in time', new Error('timeout exceeded when trying to connect')],
    ['a server that did not answer (query_timeout)', new Error('Query read timeout')],
    ['a client broken by an earlier error', new Error('Client has encountered a connection error and is not queryable')],
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset connection', withCode('ECONNRESET')],
    ['an administrator shutdown (57P01)', databaseError('57P01')],
    ['a server starting up (57P03)', databaseError('57P03')],
    ['a statement timeout (57014)', databaseError('57014')],
    ['an idle-in-transaction timeout (25P03)', databaseError('25P03')],
    ['a lock timeout (55P03)', databaseError('55P03')],
    ['too many connections (53300)', databaseError('53300')],
    ['a connection failure (08006)', databaseError('08006')],
    ['an I/O error (58030)', databaseError('58030')],
    ['a driver error wrapped by TypeORM', new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly'))],
    ['a cause behind a wrapper', new Error('outer', { cause: withCode('ECONNREFUSED') })],
  ])('%s', (_name, error) => {
    expect(isPostgresUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', databaseError('23505')],
    ['an invalid date', databaseError('22008')],
    ['a syntax error', databaseError('42601')],
    ['a plain bug', new TypeError('x is undefined')],
    ['a non-error', 'Connection terminated unexpectedly'],
    ['nothing', undefined],
  ])('not %s', (_name, error) => {
    expect(isPostgresUnavailable(error)).toBe(false);
  });
});
