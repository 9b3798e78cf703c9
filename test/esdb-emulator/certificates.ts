/**
 * Throwaway TLS material for the emulator's secure mode (TEST CODE ONLY): a certificate authority and a
 * node certificate for 127.0.0.1/localhost, made with the machine's `openssl` once per test process, in a
 * temporary directory. Production certificates come from the `es-gencert-cli` step of docker-compose.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  /** Path of the CA certificate, for the client's `tlsCAFile`. */
  caFile: string;
  ca: Buffer;
  nodeKey: Buffer;
  nodeCertificate: Buffer;
}

let made: TestCertificates | undefined;

export function testCertificates(): TestCertificates {
  if (made) return made;
  const dir = mkdtempSync(join(tmpdir(), 'asuh-esdb-certs-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl(
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-keyout', file('ca.key'), '-out', file('ca.crt'), '-subj', '/CN=Asuh emulator test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('node.key'), '-out', file('node.csr'), '-subj', '/CN=eventstoredb-node');
  writeFileSync(file('node.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
  openssl(
    'x509', '-req', '-in', file('node.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-days', '2', '-out', file('node.crt'), '-extfile', file('node.ext'),
  );
  made = {
    caFile: file('ca.crt'),
    ca: readFileSync(file('ca.crt')),
    nodeKey: readFileSync(file('node.key')),
    nodeCertificate: readFileSync(file('node.crt')),
  };
  return made;
}
