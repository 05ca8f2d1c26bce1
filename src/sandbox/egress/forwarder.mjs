// Runs inside the sandbox, before the real command, in a network namespace that has only
// loopback. It listens on 127.0.0.1:PROXY_PORT and relays every connection to the worker's
// egress proxy through a unix socket bound into the sandbox, then runs the command with the
// proxy variables set. It is the worker's own code: no project file is read.
// Usage: node forwarder.mjs <socket> <port> -- <command> [args...]
import process from 'node:process';
import { spawn } from 'node:child_process';
import net from 'node:net';

const [socketPath, portText, separator, command, ...args] = process.argv.slice(2);
const PROXY_PORT = Number(portText);
if (!socketPath || !(PROXY_PORT > 0) || separator !== '--' || !command) {
  process.stderr.write('forwarder: usage: forwarder.mjs <socket> <port> -- <command> [args...]\n');
  process.exit(2);
}

const server = net.createServer((inbound) => {
  const outbound = net.connect(socketPath);
  const close = () => {
    inbound.destroy();
    outbound.destroy();
  };
  inbound.on('error', close).on('close', close);
  outbound.on('error', close).on('close', close);
  inbound.pipe(outbound);
  outbound.pipe(inbound);
});

server.listen(PROXY_PORT, '127.0.0.1', () => {
  const proxy = `http://127.0.0.1:${PROXY_PORT}`;
  const child = spawn(command, args, {
    stdio: 'inherit',
    env: {
      ...process.env,
      HTTP_PROXY: proxy,
      HTTPS_PROXY: proxy,
      http_proxy: proxy,
      https_proxy: proxy,
      npm_config_proxy: proxy,
      npm_config_https_proxy: proxy,
      NO_PROXY: '',
      no_proxy: '',
    },
  });
  child.on('error', (err) => {
    process.stderr.write(`forwarder: cannot start ${command}: ${err.message}\n`);
    process.exit(127);
  });
  child.on('exit', (code, signal) => {
    server.close();
    process.exit(code ?? (signal ? 128 + 9 : 1));
  });
});
server.on('error', (err) => {
  process.stderr.write(`forwarder: cannot listen: ${err.message}\n`);
  process.exit(125);
});
