import { applyDecorators, type INestApplication } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, DocumentBuilder, getSchemaPath, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { DOMAIN_ERROR_STATUS, type DomainErrorCode } from '../shared/domain-error';
import { PROBLEM_CODES, type ProblemCode } from './problem-details.filter';

export class FieldErrorDto {
  @ApiProperty({ example: 'nik' })
  field: string;

  @ApiProperty({ example: 'nik must be 16 digits' })
  message: string;
}

/** Every error of this API: `application/problem+json` with a stable `code`. */
export class ProblemDto {
  @ApiProperty({ example: 'https://asuh.semarangkota.go.id/problems/nik-already-enrolled' })
  type: string;

  @ApiProperty({ example: 'Nik already enrolled' })
  title: string;

  @ApiProperty({ example: 409 })
  status: number;

  @ApiProperty({ example: 'This NIK is already enrolled in the programme; re-enrol that worker instead' })
  detail: string;

  @ApiProperty({ enum: PROBLEM_CODES, enumName: 'ProblemCode' })
  code: ProblemCode;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Validation failures, by field' })
  errors?: FieldErrorDto[];
}

/** Answers of commands: where the log stands after them (pass it as `minPosition` to read your write). */
export class PositionDto {
  @ApiProperty({ example: '1849267404800001', description: 'Log position of the last event of the command (decimal string)' })
  position: string;
}

const PROBLEM_CONTENT = { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } };

const TITLES: Record<number, string> = {
  400: 'Malformed or invalid input',
  401: 'No or unknown API key',
  403: 'The key may not do this',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body too large',
  415: 'Not JSON',
  422: 'Refused by a business rule',
  429: 'Too many requests',
  503: 'Unavailable for now',
};

/** Edge codes that only some commands answer (a GET's PROJECTION_LAGGING is shared, see addSharedProblems). */
const ROUTE_EDGE_STATUS = { PROJECTION_LAGGING: 503 } as const;

type RouteProblemCode = DomainErrorCode | keyof typeof ROUTE_EDGE_STATUS;

const statusOf = (code: RouteProblemCode): number =>
  code in ROUTE_EDGE_STATUS ? ROUTE_EDGE_STATUS[code as keyof typeof ROUTE_EDGE_STATUS] : DOMAIN_ERROR_STATUS[code as DomainErrorCode];

/**
 * The route-specific problems a route may answer, by code (their statuses follow from the codes). The ones
 * every route shares (validation, keys, limits, dependencies, read-your-writes) are added to the document
 * by `addSharedProblems`.
 */
export function ApiProblems(...codes: RouteProblemCode[]) {
  const byStatus = new Map<number, RouteProblemCode[]>();
  for (const code of codes) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
  return applyDecorators(
    ...[...byStatus].map(([status, list]) =>
      ApiResponse({ status, description: `${TITLES[status] ?? 'Problem'}: ${list.join(', ')}`, content: PROBLEM_CONTENT }),
    ),
  );
}

type Operation = { responses: Record<string, { description?: string; content?: Record<string, unknown> }>; security?: unknown[] };

/** Adds a problem answer to an operation, merging the codes with those the route already documents. */
function addProblem(operation: Operation, status: number, codes: string[]): void {
  const existing = operation.responses[String(status)];
  const known = existing?.description?.split(': ')[1]?.split(', ') ?? [];
  const all = [...new Set([...known, ...codes])];
  operation.responses[String(status)] = { description: `${TITLES[status]}: ${all.join(', ')}`, content: PROBLEM_CONTENT };
}

/** The problems every route of a kind may answer, documented once here instead of on every route. */
export function addSharedProblems(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const operation = value as Operation;
      if (path.startsWith('/health') || path.startsWith('/docs')) continue;
      addProblem(operation, 400, ['VALIDATION_FAILED']);
      if (path.startsWith('/v1/')) {
        addProblem(operation, 401, ['UNAUTHENTICATED']);
        addProblem(operation, 403, ['FORBIDDEN']);
        addProblem(operation, 429, ['RATE_LIMITED']);
        addProblem(operation, 503, method === 'get' ? ['PROJECTION_LAGGING', 'DEPENDENCY_UNAVAILABLE'] : ['DEPENDENCY_UNAVAILABLE']);
      }
      if (method !== 'get') {
        addProblem(operation, 413, ['PAYLOAD_TOO_LARGE']);
        addProblem(operation, 415, ['UNSUPPORTED_MEDIA_TYPE']);
      }
    }
  }
  return document;
}

const DESCRIPTION = [
  'Event-sourced ledger of Gerakan ASN Peduli Pekerja Rentan (Kota Semarang): OPDs, ASN sponsors, vulnerable workers and their',
  'BPJS Ketenagakerjaan premiums (JKK + JKM, Rp16,800 a month).',
  '',
  '**Errors** are `application/problem+json` (`ProblemDto`) with a stable `code`; validation failures list `errors` by field.',
  '',
  '**Read your writes**: every command answers the log `position` of its last event; pass it as `minPosition` to any GET under',
  '`/v1` to wait until the read models have it (503 PROJECTION_LAGGING after ASUH_CONSISTENCY_WAIT_MS). GET answers carry',
  '`X-Projection-Position`.',
  '',
  '**Worker status** (`WorkerStatus`, as of a date D, with the due day 15 and the arrears window 3 months; U is the first unpaid',
  'month): `PENDING` enrolled and never paid, until the due date of U + 3; `ACTIVE` paid and U is after the month of D, or U is',
  'that month and D is on or before its due date; `LAPSED` paid but U is overdue, until the due date of U + 3 (arrears can still',
  'be paid); `ENDED` past the due date of U + 3, or withdrawn: a payment needs a re-enrolment first. Active = ACTIVE; inactive =',
  'PENDING + LAPSED + ENDED. Statuses change by events (`CoverageLapsed`, `CoverageEnded`) recorded by the daily lapse check.',
].join('\n');

/** Builds the OpenAPI document the service serves at /docs-json (Swagger UI at /docs). */
export function setUpOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder().setTitle('Asuh admin API').setDescription(DESCRIPTION).setVersion('1').addBearerAuth().build();
  const document = addSharedProblems(SwaggerModule.createDocument(app, config, { extraModels: [ProblemDto, FieldErrorDto, PositionDto] }));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return document;
}
