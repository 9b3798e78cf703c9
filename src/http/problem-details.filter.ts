import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { DOMAIN_ERROR_STATUS, DomainError, DomainErrorCode } from '../shared/domain-error';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store/event-store.port';
import { isPostgresUnavailable } from '../event-store/postgres/pg-errors';

/** Terminus' readiness report (`{ status, info, error, details }`), kept as it is for load balancers. */
const isHealthReport = (body: unknown): boolean => typeof body === 'object' && body !== null && 'details' in body && 'status' in body;

/** One line about an error for the log: its name, code and message, never a request body. */
function describe(exception: unknown): string {
  const error = exception as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown };
  const cause = error?.cause as { code?: unknown; message?: unknown } | undefined;
  const own = `${String(error?.name ?? 'Error')}${error?.code ? ` ${String(error.code)}` : ''}: ${String(error?.message ?? exception)}`;
  return cause?.message ? `${own} (cause${cause.code ? ` ${String(cause.code)}` : ''}: ${String(cause.message)})` : own;
}

/** Codes the HTTP edge itself answers with, besides the domain's. */
export const EDGE_PROBLEM_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'PROJECTION_LAGGING',
  'DEPENDENCY_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ProblemCode = DomainErrorCode | (typeof EDGE_PROBLEM_CODES)[number];

/** Every stable code an answer of this API may carry. */
export const PROBLEM_CODES: readonly ProblemCode[] = [...(Object.keys(DOMAIN_ERROR_STATUS) as DomainErrorCode[]), ...EDGE_PROBLEM_CODES];

export interface FieldError {
  field: string;
  message: string;
}

/** An HTTP-edge error that already knows its stable code (validation, read-your-writes wait). */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly code: ProblemCode,
    detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail, status);
  }
}


const STATUS_CODE: Record<number, ProblemCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONCURRENCY_CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  431: 'PAYLOAD_TOO_LARGE',
  503: 'DEPENDENCY_UNAVAILABLE',
};

/** Errors of the body parser (body-parser's `type`), which reach the filter as plain http-errors. */
const BODY_PARSER_PROBLEMS: Record<string, { status: number; code: ProblemCode; detail: string }> = {
  'entity.too.large': { status: 413, code: 'PAYLOAD_TOO_LARGE', detail: 'The request body is larger than 100 kB' },
  'charset.unsupported': { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'JSON bodies are UTF-8' },
  'encoding.unsupported': { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Unsupported Content-Encoding (identity, gzip, deflate or br)' },
  'entity.parse.failed': { status: 400, code: 'VALIDATION_FAILED', detail: 'The request body is not valid JSON' },
  'entity.too.deep': { status: 400, code: 'VALIDATION_FAILED', detail: 'The request body is nested too deeply' },
  'entity.verify.failed': { status: 400, code: 'VALIDATION_FAILED', detail: 'The request body was refused' },
  'request.size.invalid': { status: 400, code: 'VALIDATION_FAILED', detail: 'The request body does not match its Content-Length' },
  'request.aborted': { status: 400, code: 'VALIDATION_FAILED', detail: 'The request body was cut off' },
};

const UNAVAILABLE = { status: 503, code: 'DEPENDENCY_UNAVAILABLE' as const, detail: 'A dependency is unavailable; retry shortly', headers: { 'Retry-After': '5' } };

const slug = (code: string) => code.toLowerCase().replace(/_/g, '-');

const title = (code: string) => code.charAt(0) + code.slice(1).toLowerCase().replace(/_/g, ' ');

/** Every error leaves as `application/problem+json` with a stable `code` (shared/docs/api.md). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<{ path?: string }>();
    // Readiness keeps Terminus' own report (which dependency is down) for load balancers and operators.
    if (request.path?.startsWith('/health') && exception instanceof ServiceUnavailableException && isHealthReport(exception.getResponse())) {
      response.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    const problem = this.toProblem(exception);
    if (problem.status >= 500 && problem.code === 'INTERNAL') {
      this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    } else if (problem.code === 'DEPENDENCY_UNAVAILABLE') {
      this.logger.warn(`Dependency unavailable: ${describe(exception)}`);
    }
    if (response.headersSent) {
      // A streamed answer already under way (the ledger export) cannot turn into a problem: cut it short.
      response.destroy();
      return;
    }
    for (const [name, value] of Object.entries(problem.headers ?? {})) response.setHeader(name, value);
    response
      .status(problem.status)
      .type('application/problem+json')
      .send(
        JSON.stringify({
          type: `https://asuh.semarangkota.go.id/problems/${slug(problem.code)}`,
          title: title(problem.code),
          status: problem.status,
          detail: problem.detail,
          code: problem.code,
          ...(problem.errors ? { errors: problem.errors } : {}),
          ...problem.extra,
        }),
      );
  }

  private toProblem(exception: unknown): {
    status: number;
    code: ProblemCode;
    detail: string;
    errors?: FieldError[];
    headers?: Record<string, string>;
    /** Members beyond the standard ones (the id already holding a unique key). */
    extra?: Record<string, string>;
  } {
    if (exception instanceof DomainError) {
      const status = DOMAIN_ERROR_STATUS[exception.code];
      const errors = exception.field ? [{ field: exception.field, message: exception.message }] : undefined;
      return { status, code: exception.code, detail: exception.message, errors, extra: exception.details };
    }
    if (exception instanceof ProblemException) {
      return { status: exception.getStatus(), code: exception.code, detail: exception.message, errors: exception.errors, headers: exception.headers };
    }
    if (exception instanceof WrongExpectedRevisionError) {
      return { status: 409, code: 'CONCURRENCY_CONFLICT', detail: 'The record changed concurrently; retry the request' };
    }
    if (exception instanceof EventStoreUnavailableError) {
      return { status: 503, code: 'DEPENDENCY_UNAVAILABLE', detail: exception.message, headers: { 'Retry-After': '5' } };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'object' && body && 'message' in body ? (body as { message: unknown }).message : exception.message;
      const detail = Array.isArray(message) ? message.join('; ') : String(message);
      if (status === 429) return { status, code: 'RATE_LIMITED', detail: 'Too many requests for this key or address; retry after Retry-After seconds' };
      const code = STATUS_CODE[status] ?? (status < 500 ? 'VALIDATION_FAILED' : 'INTERNAL');
      return { status, code, detail };
    }
    const bodyError = exception as { type?: unknown; status?: unknown; expose?: unknown; message?: unknown };
    if (typeof bodyError?.type === 'string' && BODY_PARSER_PROBLEMS[bodyError.type]) return BODY_PARSER_PROBLEMS[bodyError.type];
    if (isPostgresUnavailable(exception)) return UNAVAILABLE;
    // Any other client error raised by the HTTP stack (http-errors with `expose`): its status, a stable code.
    if (typeof bodyError?.status === 'number' && bodyError.status >= 400 && bodyError.status < 500 && bodyError.expose === true) {
      return { status: bodyError.status, code: STATUS_CODE[bodyError.status] ?? 'VALIDATION_FAILED', detail: String(bodyError.message ?? 'Bad request') };
    }
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, code: 'INTERNAL', detail: 'Internal error' };
  }
}
