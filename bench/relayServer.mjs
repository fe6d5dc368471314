// Servers for the relay benchmark (bench/relay.ts), in a process of their own so that they do not
// share the measured client's event loop. Prints one line of JSON with the ports, then serves
// until its standard input closes.
//
//   node bench/relayServer.mjs RECORDING WIDTH HEIGHT
//
// - replay: an RFB 3.8 server with security None and a WIDTHxHEIGHT 32-bit ServerInit, which then
//   sends the recorded server-to-client bytes (whole FramebufferUpdate messages taken from a real
//   QEMU VNC server) again and again, as fast as the connection takes them. What the client sends
//   is read and dropped.
// - echo: sends back every byte it receives (for the latency of small messages).
import net from 'node:net';
import { readFileSync } from 'node:fs';

const [recordingFile, width, height] = process.argv.slice(2);
const recording = readFileSync(recordingFile);
const name = Buffer.from('replay');
const init = Buffer.alloc(24);
init.writeUInt16BE(Number(width), 0);
init.writeUInt16BE(Number(height), 2);
Buffer.from([32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0]).copy(init, 4);
init.writeUInt32BE(name.length, 20);
const handshake = Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([1, 1]), Buffer.alloc(4), init, name]);

const replay = net.createServer((socket) => {
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy());
  socket.on('data', () => undefined);
  let open = true;
  socket.on('close', () => (open = false));
  const pump = () => {
    while (open && socket.write(recording));
    if (open) socket.once('drain', pump);
  };
  socket.write(handshake);
  pump();
});

const echo = net.createServer((socket) => {
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy());
  socket.pipe(socket);
});

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const ports = { replay: await listen(replay), echo: await listen(echo) };
process.stdout.write(JSON.stringify(ports) + '\n');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
