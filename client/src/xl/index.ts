// Public surface of the xl layer: command builders, the runner, parsers, errors and types.
// The tree and command modules import from here, never from the files behind it.

export * as xl from './commands';
export * as hostTools from './hostTools';
export type { CreateOptions, DomainRef, SaveOptions, ShutdownOptions, VncEndpoint } from './commands';
export {
  buildArgv,
  buildConfigTextArgv,
  buildStreamArgv,
  buildTerminalArgv,
  checkStreamEndpoint,
  openStream,
  programOptions,
  quoteForRemoteShell,
  quoteShellWord,
  resolveProgramPath,
  resolveXlPath,
  runXl,
  runnerStats,
  startStream,
  STREAM_CONNECT_TIMEOUT_MS,
} from './runner';
export type {
  ArgvContext,
  ArgvOptions,
  HostTarget,
  OpenedStream,
  OpenStreamOptions,
  ResolveXlPathDeps,
  RunLogEntry,
  RunningStream,
  StreamCommand,
  StreamEnd,
  StreamHandlers,
  RunOptions,
  StreamEndpoint,
  StreamTargetOptions,
  SudoMode,
} from './runner';
export { XlError, classifyFailure, isXlError, stoppedCreateOutcome } from './errors';
export type { FailureFacts, RemoteStopOutcome, XlErrorKind, XlErrorOptions } from './errors';
export {
  decodeVdev,
  domainStateFromFlags,
  parseBlockList,
  parseInfo,
  parseList,
  parseNetworkList,
  parseUptime,
  parseVcpuList,
  parseVncEndpoint,
  xenbusStateName,
} from './parsers';
export { parseDomainConfigJson, parseListLong } from './records';
export { parseAutostartEntries, parseHostToolFacts, parseIsoListing, parseLogicalVolumes, parsePathsExist, parseVolumeGroups, volumeDevicePaths } from './hostParsers';
export { displayCommandLine } from './display';
export { parseConfigMessages } from './configMessages';
export type { ConfigMessage, ConfigMessageOptions } from './configMessages';
export { CONFIG_TEXT_PATH } from './types';
export type * from './types';
export { createFailureCause, createFailureSummary } from './createFailure';
export { diskTarget, isBlocking, preflight, preflightMessage, scanDiskSpecs, scanHostReferences } from './preflight';
export type { HostReference, PreflightFinding, PreflightStatus } from './preflight';
export { HIDDEN_PASSWORD, hidePasswords } from './redact';
export { LOG_DIR, LOG_TAIL_BYTES, classifyLogFile, decodeLogBytes, dmesg, escapeLogText, guestLogFile, guestLogFiles, logPath, parseLogChunk, parseLogListing, readLog, startFailureLogs } from './logs';
export type { GuestLogKind, LogChunk, LogFileEntry, LogListing, ReadLogOptions } from './logs';
export { formatSize } from './sizes';
export * as saveFiles from './saveFiles';
export type { SaveFileEntry, SaveFolderListing } from './saveFiles';
export { memSetFailureReason, migrateFailureReason, restoreFailureReason, saveFailureReason, vcpuSetFailureReason } from './resourceFailures';
export { XentopParser, parseXentopRow, xentopStream } from './xentop';
export type { XentopFrame, XentopRow } from './xentop';
