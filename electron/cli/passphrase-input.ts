// Reads a passphrase for the CLI: one line from stdin when piped, or a no-echo prompt on a terminal.
// Never from a flag or an environment variable (they end up in shell history and process listings).

const maxBytes = 64 * 1024;

/** Reads the first line of a non-terminal stdin (without its line ending). */
export async function readLineFromStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(buf);
    size += buf.length;
    if (buf.includes(0x0a) || size > maxBytes) break;
  }
  if (size === 0) return null;
  const all = Buffer.concat(chunks);
  const nl = all.indexOf(0x0a);
  const line = all.subarray(0, nl === -1 ? Math.min(all.length, maxBytes) : nl).toString('utf8');
  all.fill(0);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Prompts on stderr and reads keys without echo (raw mode). Ctrl-C aborts with exit code 130. */
export function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve) => {
    process.stderr.write(prompt);
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (s: string) => {
      for (const ch of s) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          process.stderr.write('\n');
          process.exit(130);
        }
        if (ch === '\u007f' || ch === '\b') value = Array.from(value).slice(0, -1).join('');
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
