import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, findExecutable } from '../create-sandbox.js';
import type { Sandbox } from '../sandbox.js';

const LIMITS = {
  memoryMb: 1024,
  maxProcesses: 128,
  maxOutputBytes: 256 * 1024,
  maxFileBytes: 64 * 1024 * 1024,
};
const hasBwrap = findExecutable('bwrap', process.env.PATH ?? '') !== undefined;
// The process runner isolates with namespaces (util-linux unshare) where bubblewrap is missing.
const identity = process.getuid?.() === 0 ? { identity: { uid: 65534, gid: 65534 } } : {};
const kinds: Array<'bwrap' | 'process'> = hasBwrap ? ['bwrap', 'process'] : ['process'];

/** The probe a hostile install would run: each attempt prints one `name=outcome` line. */
const PROBE = String.raw`
const net = require('node:net');
const http = require('node:http');
const [registry, hostPort] = process.argv.slice(1);
const proxy = process.env.HTTP_PROXY ? new URL(process.env.HTTP_PROXY) : undefined;
function direct(name, host, port) {
  return new Promise((done) => {
    const s = net.connect(port, host);
    s.setTimeout(2000, () => { s.destroy(); console.log(name + '=timeout'); done(); });
    s.once('connect', () => { s.destroy(); console.log(name + '=connected'); done(); });
    s.once('error', (e) => { console.log(name + '=' + e.code); done(); });
  });
}
function viaProxy(name, target) {
  return new Promise((done) => {
    if (!proxy) { console.log(name + '=no-proxy'); return done(); }
    const req = http.request({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: target });
    req.on('connect', (res, socket) => { socket.destroy(); console.log(name + '=' + res.statusCode); done(); });
    req.on('response', (res) => { console.log(name + '=' + res.statusCode); done(); });
    req.on('error', (e) => { console.log(name + '=' + e.code); done(); });
    req.end();
  });
}
function plain(name, url) {
  return new Promise((done) => {
    if (!proxy) { console.log(name + '=no-proxy'); return done(); }
    const req = http.request({ host: proxy.hostname, port: proxy.port, path: url, headers: { host: new URL(url).host } }, (res) => {
      let body = ''; res.on('data', (c) => (body += c)); res.on('end', () => { console.log(name + '=' + res.statusCode + ':' + body); done(); });
    });
    req.on('error', (e) => { console.log(name + '=' + e.code); done(); });
    req.end();
  });
}
(async () => {
  await plain('registry', registry + '/is-number');
  await direct('direct-host', '127.0.0.1', Number(hostPort));
  await direct('direct-public', '203.0.113.80', 443);
  await viaProxy('proxy-host', '127.0.0.1:' + hostPort);
  await viaProxy('proxy-metadata', '169.254.169.254:80');
  await viaProxy('proxy-private', '10.0.0.1:443');
  await viaProxy('proxy-registry-other-port', new URL(registry).hostname + ':22');
  await plain('plain-host', 'http://127.0.0.1:' + hostPort + '/');
})();
`;

describe.each(kinds)('install-time network (%s sandbox)', (kind) => {
  let sandbox: Sandbox;
  let workspace: string;
  let scratch: string;
  let registry: Server;
  let host: TcpServer;
  let registryUrl = '';
  let hostPort = 0;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'sheen-egress-'));
    await chmod(scratch, 0o755);
    workspace = await mkdtemp(path.join(tmpdir(), 'sheen-egress-ws-'));
    if (process.getuid?.() === 0) await chown(workspace, 65534, 65534);
    sandbox = await createSandbox({
      mode: kind,
      limits: LIMITS,
      scratchDir: scratch,
      toolPaths: [],
      systemPath: process.env.PATH ?? '',
      requireBwrap: kind === 'bwrap',
    });
    registry = createHttpServer((_req, res) => res.end('registry-ok'));
    await new Promise<void>((r) => registry.listen(0, '127.0.0.1', r));
    registryUrl = `http://127.0.0.1:${(registry.address() as { port: number }).port}`;
    // Stands for the worker's own port, PostgreSQL and Redis on the host's loopback.
    host = createTcpServer((s) => s.end('HTTP/1.1 200 OK\r\n\r\nhost-secret'));
    await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
    hostPort = (host.address() as { port: number }).port;
  });

  afterAll(async () => {
    registry?.close();
    host?.close();
    await rm(workspace, { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
  });

  const probe = (net: { network: boolean; allowOrigins?: string[] }) =>
    sandbox.run({
      command: process.execPath,
      args: ['-e', PROBE, registryUrl, String(hostPort)],
      cwd: workspace,
      workspace,
      timeoutMs: 30_000,
      ...net,
      ...identity,
    });

  it('reaches the allowed registry and nothing else: no loopback, private or metadata address', async () => {
    const result = await probe({ network: true, allowOrigins: [registryUrl] });
    const lines = Object.fromEntries(
      result.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('=') as [string, string]),
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(lines.registry).toBe('200:registry-ok');
    expect(lines['direct-host']).toBe('ECONNREFUSED');
    expect(['ENETUNREACH', 'EHOSTUNREACH', 'timeout']).toContain(lines['direct-public']);
    expect(lines['proxy-host']).toBe('403');
    expect(lines['proxy-metadata']).toBe('403');
    expect(lines['proxy-private']).toBe('403');
    expect(lines['proxy-registry-other-port']).toBe('403');
    expect(lines['plain-host']).toMatch(/^403/);
    expect(result.stdout).not.toContain('host-secret');
    expect(result.egressRefused).toEqual(
      expect.arrayContaining([`127.0.0.1:${hostPort}`, '169.254.169.254:80']),
    );
  });

  it('has no network at all without it', async () => {
    const result = await probe({ network: false });
    expect(result.stdout).toContain('direct-host=ECONNREFUSED');
    expect(result.stdout).toContain('registry=');
    expect(result.stdout).not.toContain('registry-ok');
  });
});
