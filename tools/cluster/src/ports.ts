// Free TCP ports on 127.0.0.1, asked of the kernel (listen on port 0), all held open together so none repeats.
import { createServer, type Server } from 'node:net';

export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((done, fail) => server.once('error', fail).listen(0, '127.0.0.1', done));
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no TCP address');
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  }
}
