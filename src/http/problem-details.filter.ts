import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DOMAIN_ERROR_STATUS, DomainError, DomainErrorCode } from '../shared/domain-error';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store/event-store.port';

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
  503: 'DEPENDENCY_UNAVAILABLE',
};

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
    if (request.path?.startsWith('/health') && exception instanceof HttpException && typeof exception.getResponse() === 'object') {
      response.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    const problem = this.toProblem(exception);
    if (problem.status >= 500 && problem.code === 'INTERNAL') {
      this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
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
      if (status === 400 && (exception as { name?: string }).name === 'PayloadTooLargeError') {
        return { status, code: 'VALIDATION_FAILED', detail };
      }
      const code = STATUS_CODE[status] ?? (status < 500 ? 'VALIDATION_FAILED' : 'INTERNAL');
      return { status, code, detail };
    }
    const parseError = exception as { type?: string; status?: number; message?: string };
    if (parseError?.type === 'entity.parse.failed' || parseError?.status === 400) {
      return { status: 400, code: 'VALIDATION_FAILED', detail: 'The request body is not valid JSON' };
    }
    const unavailable = exception as { code?: string };
    if (unavailable?.code && ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P03', '08006', '08001'].includes(unavailable.code)) {
      return { status: 503, code: 'DEPENDENCY_UNAVAILABLE', detail: 'A dependency is unavailable; retry shortly', headers: { 'Retry-After': '5' } };
    }
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, code: 'INTERNAL', detail: 'Internal error' };
  }
}
