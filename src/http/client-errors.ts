import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ProblemCode } from './problem-details.filter';

/** What Node's HTTP parser refuses before any middleware runs, as status and stable code. */
function problemOf(code: string | undefined): { status: number; reason: string; code: ProblemCode; detail: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, reason: 'Request Header Fields Too Large', code: 'PAYLOAD_TOO_LARGE', detail: 'The request headers are too large' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, reason: 'Payload Too Large', code: 'PAYLOAD_TOO_LARGE', detail: 'The request chunk extensions are too large' };
    default:
      return { status: 400, reason: 'Bad Request', code: 'VALIDATION_FAILED', detail: 'The request is not valid HTTP' };
  }
}

/**
 * Node answers a request its parser refuses (headers too large, bad header characters, malformed framing)
 * with a bare status line. Where the socket can still take an answer, this one is problem+json like every
 * other error, with a request id; otherwise the socket is closed.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.removeAllListeners('clientError');
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    const busy = (socket as Duplex & { _httpMessage?: unknown })._httpMessage;
    if (!socket.writable || busy || error.code === 'ECONNRESET' || error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      socket.destroy();
      return;
    }
    const problem = problemOf(error.code);
    const slug = problem.code.toLowerCase().replace(/_/g, '-');
    const body = JSON.stringify({
      type: `https://asuh.semarangkota.go.id/problems/${slug}`,
      title: problem.code.charAt(0) + problem.code.slice(1).toLowerCase().replace(/_/g, ' '),
      status: problem.status,
      detail: problem.detail,
      code: problem.code,
    });
    const id = randomUUID();
    socket.end(
      `HTTP/1.1 ${problem.status} ${problem.reason}\r\n` +
        'Content-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${id}\r\nX-Correlation-Id: ${id}\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}
