// Reads what `xl create` / `xl -N create` print on stderr about a config file, so a UI can put
// xl's own verdict on lines of the editor: libxlu's located messages (`FILE:LINE: warning: ...`,
// `FILE:LINE: config parsing error near ...`) and xl's unlocated ones (`Invalid domain type
// bogus.`, `Unknown on_poweroff action "x" specified`). Pure: no spawning.

export interface ConfigMessage {
  severity: 'error' | 'warning' | 'info';
  /** 1-based line of the config, when xl named one. */
  line?: number;
  /** The config key the message names (`parameter `memory' ...`), when it names one. */
  key?: string;
  /** The message without its `FILE:LINE: ` prefix. */
  message: string;
  /** The stderr line as xl printed it. */
  text: string;
}

export interface ConfigMessageOptions {
  /** The config path exactly as it was given to xl: located messages start with it. */
  configPath?: string;
  /** xl's exit status: unlocated lines that are not warnings are errors when it is non-zero. */
  exitCode?: number;
}

export function parseConfigMessages(stderr: string, options: ConfigMessageOptions = {}): ConfigMessage[] {
  const messages: ConfigMessage[] = [];
  const failed = options.exitCode !== undefined && options.exitCode !== 0;
  for (const raw of stderr.split('\n')) {
    const text = raw.replace(/\r$/, '');
    if (text.trim() === '' || /^Parsing config from /.test(text) || SSH_NOISE.test(text)) continue;
    const located = locate(text, options.configPath);
    if (located) {
      const warning = /^warning:\s*/i.test(located.message);
      messages.push({
        severity: warning ? 'warning' : 'error',
        line: located.line,
        ...keyOf(located.message),
        message: located.message,
        text,
      });
      continue;
    }
    const warning = /^(xl: )?(warning|WARNING)\b|^libxl: warning:/.test(text);
    messages.push({ severity: warning ? 'warning' : failed ? 'error' : 'info', ...keyOf(text), message: text.trim(), text });
  }
  return messages;
}

/** What ssh adds to stderr when two connections race for the ControlMaster socket. */
const SSH_NOISE = /^ControlSocket .* already exists, disabling multiplexing$|^mux_client_[a-z_]+: /;

/** `FILE:LINE: rest`; with a known path only lines that start with it count. */
function locate(text: string, configPath: string | undefined): { line: number; message: string } | undefined {
  let rest: string;
  if (configPath !== undefined) {
    if (!text.startsWith(`${configPath}:`)) return undefined;
    rest = text.slice(configPath.length + 1);
  } else {
    const match = /^[^:\s][^:]*:(?=\d+: )/.exec(text);
    if (!match) return undefined;
    rest = text.slice(match[0].length);
  }
  const match = /^(\d+): (.*)$/.exec(rest);
  if (!match) return undefined;
  const line = Number(match[1]);
  return Number.isSafeInteger(line) && line > 0 ? { line, message: match[2] } : undefined;
}

/** The key a message names, in the phrasings libxlu and xl use. */
function keyOf(message: string): { key?: string } {
  const patterns = [
    /parameter `([A-Za-z0-9_.]+)'/, // libxlu: parameter `memory' is not a valid number
    /config parsing error in (disk) specification/, // FILE: config parsing error in disk specification: ...
    /^Unknown (on_[a-z_]+) action/, // xl: Unknown on_poweroff action "x" specified
    /\bfor "([A-Za-z0-9_]+)"/, // xl: ERROR: invalid value "x" for "hdtype"
    /^(?:ERROR: )?"([A-Za-z0-9_]+)" option\b/, // xl: ERROR: "ms_vm_genid" option must be ...
    /^(?:xl: )?Unable to parse ([a-z_]+)\.$/, // xl: Unable to parse serial.
    /ignoring "([A-Za-z0-9_]+)" option/, // WARNING: ignoring "vncviewer" option
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(message);
    if (match) return { key: match[1] };
  }
  return {};
}
