// How much the client and the language server read when they look for guest configs. Guest
// configs are hand-written files of a few KB; these bounds keep a workspace full of other files
// (or `/` opened as the workspace) cheap, and the same on both sides, so the Configs view and the
// server's cross-file checks see the same configs.

/**
 * A config file larger than this is not read from disk to find guests, and the line scans of a
 * config's text (its name, its claims, the host paths it names) stop here. Bytes on disk, UTF-16
 * code units in a text; for the ASCII text of a config they are the same.
 */
export const CONFIG_MAX_BYTES = 1024 * 1024;

/**
 * Content detection of a `.cfg` the path rules do not claim reads only this much of its start:
 * it runs on every such file opened or found, most of which are not Xen's, and a guest config
 * sets `name` and its well-known keys in its first lines.
 */
export const SNIFF_HEAD_BYTES = 64 * 1024;

/** More configs than this in one workspace is a sign of a wrong folder, not a Xen host's. */
export const MAX_CONFIG_FILES = 2000;
