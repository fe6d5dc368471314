// The stdio transport, for editors that start the server with `--stdio` (Neovim, Helix, Emacs and
// the benchmark; VS Code uses node-ipc). The stock writer of vscode-jsonrpc sends each message as
// two writes, the header and then the body once the header's write has completed; on a pipe each
// write is a system call and a wake-up of the reader. This one sends a message as a single write.

import { format } from 'node:util';
import { AbstractMessageWriter, type Connection, type Message, type MessageWriter } from 'vscode-languageserver/node';

export class SingleWriteMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;

  constructor(private readonly stream: NodeJS.WritableStream) {
    super();
    stream.on('error', (error: Error) => this.fireError(error));
    stream.on('close', () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    const header = `Content-Length: ${body.byteLength}\r\n\r\n`;
    const frame = Buffer.allocUnsafe(header.length + body.byteLength);
    frame.write(header, 0, 'ascii');
    body.copy(frame, header.length);
    return new Promise((resolve, reject) => {
      this.stream.write(frame, (error) => {
        if (error === undefined || error === null) return resolve();
        this.errorCount++;
        this.fireError(error, message, this.errorCount);
        reject(error);
      });
    });
  }

  end(): void {
    this.stream.end();
  }
}

/**
 * With stdio as the transport, anything printed to stdout would corrupt the protocol: console
 * output goes to the client's log instead (vscode-languageserver does the same for its own stdio).
 */
export function routeConsoleToClient(connection: Connection): void {
  console.log = (...args: unknown[]) => connection.console.log(format(...args));
  console.info = (...args: unknown[]) => connection.console.info(format(...args));
  console.debug = (...args: unknown[]) => connection.console.log(format(...args));
  console.warn = (...args: unknown[]) => connection.console.warn(format(...args));
  console.error = (...args: unknown[]) => connection.console.error(format(...args));
  console.trace = (...args: unknown[]) => connection.console.log(format(...args));
  console.dir = (item: unknown) => connection.console.log(format(item));
}

/**
 * The client closing our input ends the server, as vscode-languageserver does for its own stdio:
 * with status 0 after a `shutdown` request, 1 otherwise (the client died).
 */
export function exitWhenInputEnds(connection: Connection): void {
  let shutdownReceived = false;
  connection.onShutdown(() => {
    shutdownReceived = true;
  });
  const exit = () => process.exit(shutdownReceived ? 0 : 1);
  process.stdin.on('end', exit);
  process.stdin.on('close', exit);
}
