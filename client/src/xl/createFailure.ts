// Why `xl create` failed, in a line or three a notification can show. xl's last line is usually
// libxl cleaning up after the failure (`domain_destroy_cb: Domain 4:Destruction of domain
// failed`); the cause is earlier: an `xc:` or `libxl: error:` line naming a file, a device or a
// script, or one of xl's own messages. Pure.

/** At most this many cause lines are shown; the log has all of them. */
export const MAX_CAUSE_LINES = 3;

/**
 * The lines of `xl create` stderr that carry the cause of a failure, shortened for people
 * (libxl's `file.c:123:function:` location and xc's `panic: file.c:123:` dropped), in the order
 * xl printed them. Cleanup and consequence lines (destroying the half-built domain, "cannot
 * (re-)build domain: -3") are left out unless nothing else is there.
 */
export function createFailureCause(stderr: string): string[] {
  const lines = stderr
    .split('\n')
    .map((line) => line.replace(/\r$/, '').trim())
    .filter((line) => line !== '' && !IGNORED.some((pattern) => pattern.test(line)));
  const causes: string[] = [];
  const consequences: string[] = [];
  for (const line of lines) {
    const text = shorten(line);
    if (text === '') continue;
    (CONSEQUENCE.some((pattern) => pattern.test(line)) ? consequences : causes).push(text);
  }
  const chosen = causes.length > 0 ? rank(causes) : consequences.slice(-1);
  return [...new Set(chosen)].slice(0, MAX_CAUSE_LINES);
}

/** One sentence for a notification: the cause lines joined, or undefined when stderr says nothing. */
export function createFailureSummary(stderr: string): string | undefined {
  const causes = createFailureCause(stderr);
  return causes.length === 0 ? undefined : causes.join(' · ');
}

// --- internals ---

/** Progress and chatter that never explains a failure. */
const IGNORED = [
  /^Parsing config from /,
  /^libxl: (debug|info|verbose|detail|notice):/i,
  /^xc: (debug|info|detail):/i,
  /^ControlSocket .* already exists, disabling multiplexing$/,
  /^mux_client_[a-z_]+: /,
  /^Waiting for domain /,
  /^xl: (warning|WARNING):|^WARNING:/, // warnings are in the log and in Validate
];

/** What libxl prints while undoing a failed build: true, but not why it failed. */
const CONSEQUENCE = [
  /Destruction of domain failed/,
  /Unable to destroy guest/,
  /Non-exista?e?nt domain/,
  /libxl__destroy_domid/,
  /domain_destroy_(cb|callback|domid_cb)/,
  /devices_destroy_cb/,
  /cannot \(re-\)build domain: -?\d+$/,
  /^(xl: )?Domain creation failed\.?$|^Failed to create domain\.?$/i,
];

/** Lines that name something concrete (a file, a device, a script) come first. */
function rank(causes: string[]): string[] {
  const concrete = causes.filter((line) => CONCRETE.test(line));
  const rest = causes.filter((line) => !CONCRETE.test(line));
  return [...concrete, ...rest];
}

const CONCRETE = /['"`/]|No such file|does not exist|not found|Permission denied|already exists|[Ii]nvalid|[Uu]nknown|hotplug|script|bridge|memory/;

function shorten(line: string): string {
  // xc: error: panic: xc_dom_core.c:207: failed to open file '/x': No such file or directory: Internal error
  let match = /^xc: (?:error|warning): (?:panic: )?(?:[^\s:]+\.c:\d+: )?(.*?)(?:: Internal error)?$/.exec(line);
  if (match) return match[1];
  // libxl: error: libxl_dom.c:571:libxl__build_dom: Domain 4:xc_dom_kernel_file failed: No such file or directory
  match = /^libxl: (?:error|warning|critical): [^\s:]+\.c:\d+:[^:\s]*: (?:Domain \d+:)?(.*)$/.exec(line);
  if (match) return match[1];
  return line.replace(/^xl: /, '');
}
