import { createServer } from 'node:net';

/**
 * A port on 127.0.0.1 that nothing listens on: connections to it are refused (ECONNREFUSED),
 * as they are by a local server that is not running. The port was free a moment ago and the
 * kernel hands out ephemeral ports in turn, so it stays closed for the length of a test.
 */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
